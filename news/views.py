"""Information work (信息宣传): the public news pages (list, article, photos; no login, member code-sessions
too), the news desk where staff and union chairs write, submit, review, publish and withdraw items and
record channels, and the staff's yearly information-work assessment (rules, ranking, send to honours)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members.models import Area, GrassrootsUnion
from unionhub.access import check_required, public_page, require
from unionhub.files import stored_response
from unionhub.paging import page_of
from unionhub.params import choice_param, id_param, year_param
from unionhub.posted import add_errors, error_messages
from unionhub.rules_library import plain_text, render_markdown

from . import permissions, services
from .forms import (
    ChannelForm,
    ItemForm,
    PublicFilterForm,
    ReturnForm,
    RulesForm,
    SendToHonoursForm,
    item_initial,
)
from .models import AssessmentRules, Category, NewsChannel, NewsItem, NewsPhoto
from .stored_files import can_read_photo

DESCRIPTION_LENGTH = 120
# The largest primary key the databases hold (as the core's file view).
MAX_PK = 2**63 - 1


def description_of(item: NewsItem) -> str:
    """The line shown under a title in lists, feeds and shares: the summary, or the text's start."""
    return item.summary or Truncator(plain_text(item.text)).chars(DESCRIPTION_LENGTH)


# --- the public pages ------------------------------------------------------------------------------------


@public_page
@require_GET
def news_list(request):
    """Published items, newest first, by category and grid area (an unknown value is no filter)."""
    form = PublicFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    items = NewsItem.objects.published().select_related("union", "area").prefetch_related("photos")
    if "category" in filters:
        items = items.filter(category=filters["category"])
    if "area" in filters:
        items = items.filter(area=filters["area"])
    page = page_of(request, items.order_by("-published_at", "-pk"))
    for item in page.object_list:
        item.description = description_of(item)
    return render(
        request,
        "news/news_list.html",
        {"form": form, "page": page, "categories": Category.choices, "filters": filters},
    )


@public_page
@require_GET
def article(request, pk):
    """A published item, for anyone; an unpublished or withdrawn one is not there (404) — its authors read
    it on the news desk."""
    item = get_object_or_404(
        NewsItem.objects.published().select_related("union", "area").prefetch_related("photos", "channels"),
        pk=pk,
    )
    cover = item.cover
    return render(
        request,
        "news/article.html",
        {
            "item": item,
            "html": render_markdown(item.text),
            "description": description_of(item),
            "page_url": request.build_absolute_uri(item.get_absolute_url()),
            "cover_url": request.build_absolute_uri(reverse("news:photo", args=[cover.pk])) if cover else "",
            "picked_up": any(channel.is_higher for channel in item.channels.all()),
        },
    )


@public_page
@require_GET
def photo(request, pk):
    """A news photo: anyone's for a published item (the core's delivery view asks for a login, so public
    photos have this door of their own); otherwise only for those who see the item on the desk."""
    news_photo = NewsPhoto.objects.filter(pk=pk).first() if pk <= MAX_PK else None
    if news_photo is None or not can_read_photo(request.user, news_photo):
        raise Http404
    return stored_response(news_photo.image)


# --- the news desk ---------------------------------------------------------------------------------------


def _item_for(user, pk) -> NewsItem:
    require(permissions.can_use_desk(user))
    return get_object_or_404(
        NewsItem.objects.visible_to(user).select_related("union", "area", "author", "reviewed_by"), pk=pk
    )


@check_required(permissions.can_use_desk)
def desk(request):
    """Staff: every item by state; a chair: their unions' items and where each stands."""
    user = request.user
    status = choice_param(request, "status", NewsItem.Status.values)
    items = NewsItem.objects.visible_to(user).select_related("union", "area", "author")
    if status:
        items = items.filter(status=status)
    page = page_of(request, items.order_by("-created_at", "-pk"))
    return render(
        request,
        "news/desk.html",
        {
            "page": page,
            "status": status,
            "statuses": NewsItem.Status.choices,
            "staff": permissions.is_news_staff(user),
        },
    )


def _writable_unions(user):
    if permissions.is_news_staff(user):
        return GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE)
    return GrassrootsUnion.objects.visible_to(user).filter(status=GrassrootsUnion.Status.ACTIVE)


@check_required(permissions.can_use_desk)
def item_create(request):
    user = request.user
    staff = permissions.is_news_staff(user)
    unions = _writable_unions(user)
    form = ItemForm(request.POST or None, request.FILES or None, unions=unions)
    if not staff:
        form.fields["union"].required = True
        form.fields["union"].empty_label = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_item(
                by=user,
                title=data["title"],
                summary=data["summary"],
                text=data["text"],
                category=data["category"],
                union=data.get("union"),
                area=data["area"],
                photos=data["photos"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The item is saved as a draft."))
            return redirect("news:item_detail", pk=item.pk)
    return render(request, "news/item_form.html", {"form": form, "item": None})


@login_required
def item_edit(request, pk):
    item = _item_for(request.user, pk)
    require(permissions.can_edit(request.user, item))
    form = ItemForm(request.POST or None, request.FILES or None, initial=item_initial(item))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_item(
                item=item,
                by=request.user,
                title=data["title"],
                summary=data["summary"],
                text=data["text"],
                category=data["category"],
                area=data["area"],
                photos=data["photos"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The item is saved."))
            return redirect("news:item_detail", pk=item.pk)
    return render(request, "news/item_form.html", {"form": form, "item": item, "photos": item.photos.all()})


@login_required
def item_detail(request, pk):
    user = request.user
    item = _item_for(user, pk)
    return render(
        request,
        "news/item_detail.html",
        {
            "item": item,
            "html": render_markdown(item.text),
            "photos": item.photos.all(),
            "channels": item.channels.all(),
            "can_edit": permissions.can_edit(user, item),
            "can_publish": permissions.can_publish(user),
            "can_submit": item.union_id is not None
            and item.union.chair_id == user.pk
            and item.status in (NewsItem.Status.DRAFT, NewsItem.Status.RETURNED),
            "can_record_channels": permissions.can_record_channels(user),
            "return_form": ReturnForm(),
            "channel_form": ChannelForm(initial={"published_on": timezone.localdate()}),
        },
    )


def _act(request, pk, action, done: str, **kwargs):
    item = _item_for(request.user, pk)
    try:
        action(item=item, by=request.user, **kwargs)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, done)
    return redirect("news:item_detail", pk=item.pk)


@require_POST
@login_required
def item_submit(request, pk):
    return _act(request, pk, services.submit_item, _("The item is sent to the federation for review."))


@require_POST
@login_required
def item_publish(request, pk):
    return _act(request, pk, services.publish_item, _("The item is published."))


@require_POST
@login_required
def item_withdraw(request, pk):
    return _act(request, pk, services.withdraw_item, _("The item is withdrawn from the public pages."))


@require_POST
@login_required
def item_return(request, pk):
    item = _item_for(request.user, pk)
    require(permissions.can_publish(request.user))
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the item is returned: the chair reads it."))
        return redirect("news:item_detail", pk=item.pk)
    return _act(
        request, pk, services.return_item, _("The item is returned to the union."), **form.cleaned_data
    )


@require_POST
@login_required
def photo_remove(request, pk):
    # Before looking the photo up: its existence is not told.
    require(permissions.can_use_desk(request.user))
    news_photo = get_object_or_404(NewsPhoto.objects.select_related("item__union"), pk=pk)
    item = _item_for(request.user, news_photo.item_id)
    try:
        services.remove_photo(photo=news_photo, by=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The photo is removed."))
    return redirect("news:item_edit", pk=item.pk)


@require_POST
@login_required
def channel_add(request, pk):
    item = _item_for(request.user, pk)
    require(permissions.can_record_channels(request.user))
    form = ChannelForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("news:item_detail", pk=item.pk)
    return _act(request, pk, services.add_channel, _("The channel is recorded."), **form.cleaned_data)


@require_POST
@login_required
def channel_remove(request, pk):
    # Before looking the channel up: its existence is not told.
    require(permissions.can_use_desk(request.user))
    channel = get_object_or_404(NewsChannel, pk=pk)
    item = _item_for(request.user, channel.item_id)
    require(permissions.can_record_channels(request.user))
    services.remove_channel(channel=channel, by=request.user)
    messages.success(request, _("The channel is removed."))
    return redirect("news:item_detail", pk=item.pk)


# --- the information-work assessment ----------------------------------------------------------------------


@check_required(permissions.can_see_ranking)
def ranking(request):
    """The year's points of every union, ranked in the district or in one grid area, with each rule's
    share; from here staff send a union's result to an honours round."""
    today = timezone.localdate()
    year = year_param(request, default=today.year)
    area_pk = id_param(request, "area")
    areas = list(Area.objects.only("pk", "name"))
    area = next((a for a in areas if a.pk == area_pk), None)
    rules = AssessmentRules.objects.filter(year=year).first()
    results = services.union_results(year, area=area, rules=rules) if rules else []
    return render(
        request,
        "news/ranking.html",
        {
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "rules": rules,
            "results": results,
            "areas": areas,
            "area": area,
            "can_set_rules": permissions.can_set_rules(request.user),
        },
    )


@check_required(permissions.can_set_rules)
def rules_edit(request, year):
    rules = AssessmentRules.objects.filter(year=year).first()
    initial = (
        {
            "points_published": rules.points_published,
            "published_cap": rules.published_cap,
            "points_picked_up": rules.points_picked_up,
            "picked_up_cap": rules.picked_up_cap,
            "points_report_on_time": rules.points_report_on_time,
        }
        if rules
        else {}
    )
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rules(by=request.user, year=year, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The %(year)d rules are saved.") % {"year": year})
            return redirect(reverse("news:ranking") + f"?year={year}")
    return render(request, "news/rules_form.html", {"form": form, "year": year, "rules": rules})


@check_required(permissions.can_set_rules)
def send_to_honours(request, year):
    rounds = services.open_union_rounds(timezone.localdate())
    initial = {"union": id_param(request, "union")}
    form = SendToHonoursForm(request.POST or None, initial=initial, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.send_to_honours(
                by=request.user,
                year=year,
                union=data["union"],
                round=data["round"],
                statement=data["statement"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(union)s is nominated for %(award)s with its assessment as evidence.")
                % {"union": data["union"], "award": nomination.round.award_type},
            )
            return redirect(reverse("news:ranking") + f"?year={year}")
    return render(request, "news/send_form.html", {"form": form, "year": year, "rounds": rounds})
