"""Accounts of the people who sign in and are not staff (chairs, cadres, association chairs, merchants):
the accounts page, printable sign-in letters with one-time links, withdrawing links, and the handover of a
union to a new chair (换届)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Subquery, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from unionhub.access import check_required, require
from unionhub.certificates import federation_name, qr_code_svg
from unionhub.contributions import roles
from unionhub.masking import mask_phone
from unionhub.models import SignInLink
from unionhub.paging import page_of
from unionhub.params import choice_param, parse_id, text_param
from unionhub.posted import add_errors
from unionhub.signin_links import withdraw_signin_links

from .. import permissions
from ..forms import HandoverForm
from ..models import ChairChange, GrassrootsUnion
from ..services import accounts as account_services
from ..services.handover import hand_over_union

accounts_required = check_required(permissions.can_manage_accounts)

PENDING = "pending"  # the filter: no password yet, or never signed in
CHAIRS = "chairs"
MAX_LETTERS = 300  # one batch: every chair of the district (186) and then some


def _people(today):
    """Active accounts that are not staff, with their open link's expiry and their roles answered in the
    same query (the roles each programme contributes, as ``User._relationship_roles`` asks them)."""
    User = get_user_model()
    contributed = roles()
    open_links = SignInLink.objects.open().filter(user=OuterRef("pk")).order_by("-expires_at")
    return (
        User.objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .annotate(
            link_expires=Subquery(open_links.values("expires_at")[:1]),
            **{f"role_{name}": Exists(role.subquery(today)) for name, role in contributed.items()},
        )
        .prefetch_related(Prefetch("chaired_unions", queryset=GrassrootsUnion.objects.order_by("code")))
        # The next step on top: people without a password yet (a letter to print), chairs before others.
        .order_by(
            Case(When(password__startswith=UNUSABLE_PASSWORD_PREFIX, then=0), default=1),
            Case(When(Exists(GrassrootsUnion.objects.filter(chair=OuterRef("pk"))), then=0), default=1),
            "username",
        )
    )


def _with_roles(users) -> None:
    names = list(roles())
    for user in users:
        user.__dict__["_relationship_roles"] = {name: getattr(user, f"role_{name}") for name in names}


@accounts_required
def account_list(request):
    today = timezone.localdate()
    people = _people(today)
    q = text_param(request, "q")
    if q:
        people = people.filter(Q(name__icontains=q) | Q(username__icontains=q) | Q(phone__icontains=q))
    show = choice_param(request, "show", [PENDING, CHAIRS])
    if show == PENDING:
        people = people.filter(Q(password__startswith=UNUSABLE_PASSWORD_PREFIX) | Q(last_login=None))
    elif show == CHAIRS:
        people = people.filter(chaired_unions__isnull=False).distinct()
    page = page_of(request, people)
    _with_roles(page.object_list)
    for user in page.object_list:
        user.masked_phone = mask_phone(user.phone)
        # Accounts made from a ledger or a handover are named by their mobile: masked as the phone is.
        user.shown_username = mask_phone(user.username) if user.username == user.phone else user.username
    # Every chair who has no password yet: one button prints all their letters.
    chairs_without_password = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            is_staff=False,
            is_superuser=False,
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
            chaired_unions__isnull=False,
        )
        .distinct()
        .order_by("username")
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "members/account_list.html",
        {
            "page": page,
            "q": q,
            "show": show,
            "chairs_without_password": chairs_without_password,
        },
    )


def _letters(request, issued):
    unions = {}
    for union in GrassrootsUnion.objects.filter(chair__in=[i.link.user_id for i in issued]).order_by("code"):
        unions.setdefault(union.chair_id, []).append(union)
    letters = []
    for item in issued:
        url = item.url(request)
        letters.append(
            {
                "user": item.link.user,
                "unions": unions.get(item.link.user_id, []),
                "url": url,
                "qr": mark_safe(qr_code_svg(url)),  # noqa: S308 - our own SVG, built from a URL we made
                "link": item.link,
            }
        )
    return letters


def _letters_page(request, letters, *, heading, back_url):
    response = render(
        request,
        "members/signin_letters.html",
        {
            "letters": letters,
            "heading": heading,
            "back_url": back_url,
            "federation": federation_name(),
            "contact": request.user,
        },
    )
    # The page carries live tokens: nothing may keep a copy, and no page it links to may learn the address.
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_POST
@accounts_required
def signin_letters(request):
    """Issue a link for each ``user`` posted and print one letter per person. Unknown ids answer 404 and
    a person the user may not issue for 403, with nothing issued for anybody."""
    ids = request.POST.getlist("user")
    if not ids:
        messages.error(request, _("Choose at least one person."))
        return redirect("members:accounts")
    if len(ids) > MAX_LETTERS:
        messages.error(request, _("Print at most %(n)d letters at a time.") % {"n": MAX_LETTERS})
        return redirect("members:accounts")
    pks = [parse_id(raw) for raw in ids]
    if None in pks:
        raise Http404
    users = list(get_user_model().objects.filter(pk__in=set(pks), is_active=True).order_by("username"))
    if len(users) != len(set(pks)):
        raise Http404
    issued = account_services.issue_letters(users=users, by=request.user)
    letters = _letters(request, issued)
    if request.POST.get("send") == "email":
        sent = account_services.email_letters(letters=letters)
        messages.success(request, _("%(n)d letters were also sent by e-mail.") % {"n": sent})
    return _letters_page(request, letters, heading=_("Sign-in letters"), back_url=reverse("members:accounts"))


@require_POST
@accounts_required
def account_withdraw_links(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    count = withdraw_signin_links(user=user, by=request.user)
    messages.success(request, _("%(n)d open links of %(name)s were withdrawn.") % {"n": count, "name": user})
    return redirect("members:accounts")


def _handed_over(request, pk):
    """The outgoing chair asking for a union they handed over (a second submit, the back button): a clear
    message instead of a bare 404 or 403."""
    change = (
        ChairChange.objects.filter(union_id=pk, outgoing=request.user)
        .select_related("union", "incoming")
        .first()
    )
    if change is None:
        return None
    messages.info(
        request,
        _("You handed %(union)s over to %(name)s on %(on)s: it is no longer yours to manage.")
        % {"union": change.union, "name": change.incoming, "on": change.on.isoformat()},
    )
    return redirect("dashboard")


@never_cache
@login_required
def union_handover(request, pk):
    union = GrassrootsUnion.objects.visible_to(request.user).select_related("chair").filter(pk=pk).first()
    if union is None or not permissions.can_use_registry(request.user):
        if (response := _handed_over(request, pk)) is not None:
            return response
        require(permissions.can_use_registry(request.user))
        raise Http404
    require(permissions.can_hand_over_union(request.user, union))
    form = HandoverForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            done = hand_over_union(
                union=union,
                by=request.user,
                new_chair=form.cleaned_data["account"],
                new_name=form.cleaned_data["new_name"],
                new_phone=form.cleaned_data["new_phone"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            change = done.change
            messages.success(
                request,
                _("%(union)s is handed over: %(name)s is its chair from now on.")
                % {"union": union, "name": change.incoming},
            )
            back = reverse("members:union_detail", args=[union.pk])
            if done.issued is None:
                if change.incoming.has_usable_password():
                    messages.info(
                        request, _("%(name)s signs in with their own password.") % {"name": change.incoming}
                    )
                else:
                    messages.info(
                        request,
                        _("The federation's office issues %(name)s's sign-in letter.")
                        % {"name": change.incoming},
                    )
                return redirect(back if request.user.is_federation_staff else "dashboard")
            letters = _letters(request, [done.issued])
            if not request.user.is_federation_staff:
                back = reverse("dashboard")
            return _letters_page(
                request, letters, heading=_("Sign-in letter for the new chair"), back_url=back
            )
    return render(request, "members/union_handover.html", {"union": union, "form": form})
