"""Conflicts of interest in casework: who may not handle a case because they sit on the employer's side.

A complaint is about an employer, and the union at that employer is close to its management: the
chair of that union, or a member of its roster who holds a post in it (vice-chair, committee member,
as recorded on a secondment or a nomination), must never become the case's handler, since the handler
may reveal the complainant's name and phone. The rule lives here, once: ``assign`` refuses such a
handler whoever asks, the assignment form leaves them out, and ``can_see_identity`` refuses a handler
who has a conflict (a case assigned before the rule, or a post taken up since).

The unions concerned are those covering the employer: the registered enterprise's union, the union of
the complainant's member record and of its enterprise, and the union of any registered enterprise that
bears the employer's name exactly as written."""

from django.utils.translation import gettext as _

from members.models import Enterprise, GrassrootsUnion
from secondment.models import Nomination, SecondmentTerm, UnionPost


def employer_unions(case) -> set[int]:
    """The ids of the unions covering the complainant's employer."""
    unions: set[int | None] = set()
    if case.enterprise_id:
        unions.add(case.enterprise.union_id)
    if case.member_id:
        unions.add(case.member.union_id)
        unions.add(case.member.enterprise.union_id)
    name = (case.employer_name or "").strip()
    if name:
        unions.update(Enterprise.objects.filter(name=name).values_list("union_id", flat=True))
    unions.discard(None)
    return unions  # type: ignore[return-value]


def _posts(unions: set[int]):
    """(user id, union id, post) of everyone who holds a post in one of ``unions``: a secondment
    term's home union (the cadre's account and the member record's login) and a nomination."""
    for user_id, member_user_id, union_id, post in SecondmentTerm.objects.filter(
        union__in=unions
    ).values_list("cadre_id", "member__user_id", "union_id", "union_post"):
        for who in {user_id, member_user_id} - {None}:
            yield who, union_id, post
    for user_id, union_id, post in (
        Nomination.objects.filter(union__in=unions, member__user__isnull=False)
        .exclude(status=Nomination.Status.WITHDRAWN)
        .values_list("member__user_id", "union_id", "union_post")
    ):
        yield user_id, union_id, post


def conflict_of_interest(case, user) -> str | None:
    """Why ``user`` may not handle ``case`` (a sentence for the person assigning), or None."""
    if user is None or not getattr(user, "pk", None):
        return None
    unions = employer_unions(case)
    if not unions:
        return None
    chaired = GrassrootsUnion.objects.filter(pk__in=unions, chair=user).first()
    if chaired is not None:
        return _(
            "%(name)s chairs %(union)s, the union at the complainant's employer, and cannot handle this "
            "case: the complainant's identity must be kept from the employer's side."
        ) % {"name": user, "union": chaired.name}
    for who, union_id, post in _posts(unions):
        if who == user.pk:
            union = GrassrootsUnion.objects.get(pk=union_id)
            return _(
                "%(name)s holds a post (%(post)s) in %(union)s, the union at the complainant's employer, and "
                "cannot handle this case: the complainant's identity must be kept from the employer's side."
            ) % {
                "name": user,
                "post": UnionPost(post).label if post in UnionPost.values else _("union cadre"),
                "union": union.name,
            }
    return None


def conflicted_users(case) -> set[int]:
    """The ids of every user ``conflict_of_interest`` refuses for ``case``: left out of the choice of
    handlers."""
    unions = employer_unions(case)
    if not unions:
        return set()
    users = set(
        GrassrootsUnion.objects.filter(pk__in=unions, chair__isnull=False).values_list("chair_id", flat=True)
    )
    users.update(who for who, _union, _post in _posts(unions))
    return users
