"""The news's workflows: writing and editing an item with its photos, a union's submission, the staff's
review (return with a reason, publish), withdrawal, channels; and the yearly information-work assessment:
its rules, the points of every union (one query), the ranking, and sending a union's result to an honours
round as nomination evidence.

Each workflow checks who acts, runs in one transaction with the audit actor set, and locks the item it
changes, so a double submit finds the item already moved and is refused with a clear message."""

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from homes.models import SelfAssessment
from honours import services as honours_services
from honours.models import AwardRound, NomineeKind
from members.models import Area, GrassrootsUnion
from unionhub.context_processors import federation_name
from unionhub.pdf import render_template_pdf
from unionhub.uploads import PHOTOS

from .models import HIGHER_OUTLETS, AssessmentRules, Category, NewsChannel, NewsItem, NewsPhoto, Outlet
from .permissions import (
    can_edit,
    can_publish,
    can_record_channels,
    can_set_rules,
    can_use_desk,
    is_news_staff,
)

Status = NewsItem.Status
MAX_PHOTOS = 9
TITLE_LENGTH = 120


def photo_problem(upload) -> str | None:
    return PHOTOS.problem(upload)


def _locked(item: NewsItem) -> NewsItem:
    return NewsItem.objects.select_for_update().get(pk=item.pk)


def _content_problems(*, title, text, category, union, by) -> list[str]:
    problems = []
    if not title.strip():
        problems.append(_("Give the item a title."))
    if not text.strip():
        problems.append(_("Write the item's text."))
    if category not in Category.values:
        problems.append(_("Choose a category."))
    if union is not None and not is_news_staff(by) and union.chair_id != by.pk:
        problems.append(_("Only the chair of %(union)s can write news for it.") % {"union": union})
    if union is None and not is_news_staff(by):
        problems.append(_("Choose your union."))
    return problems


def _add_photos(item: NewsItem, photos: Sequence) -> None:
    start = item.photos.count()
    for n, entry in enumerate(photos):
        upload, caption = entry if isinstance(entry, tuple) else (entry, "")
        NewsPhoto.objects.create(item=item, image=upload, caption=caption.strip()[:200], position=start + n)


def _photo_problems(item: NewsItem | None, photos: Sequence) -> list[str]:
    uploads = [entry[0] if isinstance(entry, tuple) else entry for entry in photos]
    problems = [p for upload in uploads if (p := photo_problem(upload))]
    existing = item.photos.count() if item is not None else 0
    if existing + len(uploads) > MAX_PHOTOS:
        problems.append(_("An item has at most %(n)d photos.") % {"n": MAX_PHOTOS})
    return problems


def create_item(
    *,
    by,
    title: str,
    text: str,
    category: str,
    summary: str = "",
    union: GrassrootsUnion | None = None,
    area: Area | None = None,
    photos: Sequence = (),
) -> NewsItem:
    """A new draft: staff's own (``union`` None, or a union's on its behalf), or a chair's for their union.
    ``area`` defaults to the union's grid area."""
    if not can_use_desk(by):
        raise PermissionDenied
    problems = _content_problems(title=title, text=text, category=category, union=union, by=by)
    problems += _photo_problems(None, photos)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        item = NewsItem.objects.create(
            title=title.strip()[:TITLE_LENGTH],
            summary=summary.strip()[:200],
            text=text.strip(),
            category=category,
            union=union,
            area=area if area is not None else (union.area if union is not None else None),
            author=by,
        )
        _add_photos(item, photos)
    return item


def update_item(
    *,
    item: NewsItem,
    by,
    title: str,
    text: str,
    category: str,
    summary: str = "",
    area: Area | None = None,
    photos: Sequence = (),
) -> NewsItem:
    """Staff edit any item that is not withdrawn (a published one stays published); a chair edits their
    draft or returned item."""
    with transaction.atomic(), set_actor(by):
        item = _locked(item)
        if not can_edit(by, item):
            raise PermissionDenied
        problems = _content_problems(title=title, text=text, category=category, union=item.union, by=by)
        problems += _photo_problems(item, photos)
        if problems:
            raise ValidationError(problems)
        item.title, item.summary, item.text = (
            title.strip()[:TITLE_LENGTH],
            summary.strip()[:200],
            text.strip(),
        )
        item.category, item.area = category, area
        item.save(update_fields=["title", "summary", "text", "category", "area"])
        _add_photos(item, photos)
    return item


def remove_photo(*, photo: NewsPhoto, by) -> None:
    with transaction.atomic(), set_actor(by):
        item = _locked(photo.item)
        if not can_edit(by, item):
            raise PermissionDenied
        storage, name = photo.image.storage, photo.image.name
        photo.delete()
        transaction.on_commit(lambda: storage.delete(name))


def submit_item(*, item: NewsItem, by) -> NewsItem:
    """A chair sends their union's draft (or returned item) to the federation for review."""
    with transaction.atomic(), set_actor(by):
        item = _locked(item)
        if item.union_id is None or item.union.chair_id != by.pk:
            raise PermissionDenied
        if item.status not in (Status.DRAFT, Status.RETURNED):
            raise ValidationError(
                _("This item is %(status)s: it cannot be submitted.") % {"status": item.get_status_display()}
            )
        item.status, item.submitted_at = Status.SUBMITTED, timezone.now()
        item.save(update_fields=["status", "submitted_at"])
    return item


def return_item(*, item: NewsItem, by, reason: str) -> NewsItem:
    """Staff send a submitted item back to its union's chair, saying why."""
    if not can_publish(by):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why the item is returned: the chair reads it."))
    with transaction.atomic(), set_actor(by):
        item = _locked(item)
        if item.status != Status.SUBMITTED:
            raise ValidationError(_("Only an item waiting for review can be returned."))
        item.status, item.return_reason, item.reviewed_by = Status.RETURNED, reason.strip(), by
        item.save(update_fields=["status", "return_reason", "reviewed_by"])
    return item


def publish_item(*, item: NewsItem, by, at: datetime.datetime | None = None) -> NewsItem:
    """Staff publish a submitted item, their own draft, or a withdrawn item again; it keeps its first
    publication time when it is published again."""
    if not can_publish(by):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        item = _locked(item)
        if item.status == Status.PUBLISHED:
            raise ValidationError(_("This item is already published."))
        if item.status == Status.RETURNED or (item.status == Status.DRAFT and item.union_id is not None):
            raise ValidationError(_("The union has not submitted this item: it cannot be published yet."))
        item.status, item.reviewed_by = Status.PUBLISHED, by
        item.published_at = item.published_at or at or timezone.now()
        item.return_reason = ""
        item.save(update_fields=["status", "reviewed_by", "published_at", "return_reason"])
    return item


def withdraw_item(*, item: NewsItem, by) -> NewsItem:
    """Staff take a published item off the public pages and feeds (its photos become private again)."""
    if not can_publish(by):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        item = _locked(item)
        if item.status != Status.PUBLISHED:
            raise ValidationError(_("Only a published item can be withdrawn."))
        item.status = Status.WITHDRAWN
        item.save(update_fields=["status"])
    return item


def add_channel(*, item: NewsItem, by, outlet: str, url: str, published_on: datetime.date) -> NewsChannel:
    """Record another outlet that published the item (an http(s) link, a day not in the future)."""
    if not can_record_channels(by):
        raise PermissionDenied
    problems = []
    if outlet not in Outlet.values:
        problems.append(_("Choose the outlet."))
    if url and not url.lower().startswith(("http://", "https://")):
        problems.append(_("The link must start with http:// or https://."))
    if published_on > timezone.localdate():
        problems.append(_("The day cannot be in the future."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), set_actor(by):
        item = _locked(item)
        if item.status != Status.PUBLISHED:
            raise ValidationError(_("Only a published item can be recorded in other outlets."))
        if item.channels.filter(outlet=outlet).exists():
            raise ValidationError(
                _("%(outlet)s is already recorded for this item.") % {"outlet": Outlet(outlet).label}
            )
        return NewsChannel.objects.create(
            item=item, outlet=outlet, url=url.strip(), published_on=published_on, recorded_by=by
        )


def remove_channel(*, channel: NewsChannel, by) -> None:
    if not can_record_channels(by):
        raise PermissionDenied
    with transaction.atomic(), set_actor(by):
        channel.delete()


# --- the information-work assessment -------------------------------------------------------------------


def save_rules(
    *,
    by,
    year: int,
    points_published: Decimal,
    points_picked_up: Decimal,
    points_report_on_time: Decimal,
    published_cap: int | None = None,
    picked_up_cap: int | None = None,
) -> AssessmentRules:
    if not can_set_rules(by):
        raise PermissionDenied
    points = (points_published, points_picked_up, points_report_on_time)
    if any(p is None or p < 0 for p in points) or any(
        c is not None and c < 0 for c in (published_cap, picked_up_cap)
    ):
        raise ValidationError(_("Points and caps cannot be negative."))
    with transaction.atomic(), set_actor(by):
        rules, _created = AssessmentRules.objects.update_or_create(
            year=year,
            defaults={
                "points_published": points_published,
                "points_picked_up": points_picked_up,
                "points_report_on_time": points_report_on_time,
                "published_cap": published_cap,
                "picked_up_cap": picked_up_cap,
                "updated_by": by,
            },
        )
    return rules


@dataclasses.dataclass
class UnionResult:
    union: GrassrootsUnion
    published: int
    picked_up: int
    reports_on_time: int
    published_points: Decimal
    picked_up_points: Decimal
    report_points: Decimal
    rank: int = 0

    @property
    def total(self) -> Decimal:
        return self.published_points + self.picked_up_points + self.report_points


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year in the site's time zone, as aware datetimes: [1 January, next 1 January)."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _count(queryset):
    counted = queryset.order_by().values("union").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _capped(n: int, cap: int | None) -> int:
    return n if cap is None else min(n, cap)


def union_results(
    year: int, *, area: Area | None = None, rules: AssessmentRules | None = None
) -> list[UnionResult]:
    """Every active union's points for ``year`` under that year's rules, ranked (ties share a rank:
    1, 1, 3), in one query. The counts:

    - published: the union's items published during the year;
    - picked up: those of them published by a higher-level outlet too (a channel of ``HIGHER_OUTLETS``);
    - reports on time: the required reports submitted by their deadline — the workers' home self-assessment
      of the year, submitted before the year ended (the registry's dues declarations carry no declaration
      time when made without a sheet, so their timeliness cannot be judged).

    An empty list when the year has no rules."""
    rules = rules or AssessmentRules.objects.filter(year=year).first()
    if rules is None:
        return []
    start, end = year_bounds(year)
    published = NewsItem.objects.filter(
        union=OuterRef("pk"), status=Status.PUBLISHED, published_at__gte=start, published_at__lt=end
    )
    picked = published.filter(
        Exists(NewsChannel.objects.filter(item=OuterRef("pk"), outlet__in=HIGHER_OUTLETS))
    )
    on_time = SelfAssessment.objects.filter(
        union=OuterRef("pk"), year=year, status=SelfAssessment.Status.SUBMITTED, submitted_at__lt=end
    )
    unions = GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE).select_related("area")
    if area is not None:
        unions = unions.filter(area=area)
    rows = unions.annotate(n_published=_count(published), n_picked=_count(picked), n_on_time=Exists(on_time))
    results = []
    for union in rows:
        published_n, picked_n, reports = union.n_published, union.n_picked, int(union.n_on_time)
        results.append(
            UnionResult(
                union=union,
                published=published_n,
                picked_up=picked_n,
                reports_on_time=reports,
                published_points=rules.points_published * _capped(published_n, rules.published_cap),
                picked_up_points=rules.points_picked_up * _capped(picked_n, rules.picked_up_cap),
                report_points=rules.points_report_on_time * reports,
            )
        )
    results.sort(key=lambda r: (-r.total, r.union.code))
    previous = None
    for position, result in enumerate(results, start=1):
        result.rank = previous.rank if previous is not None and previous.total == result.total else position
        previous = result
    return results


def open_union_rounds(day: datetime.date):
    """The honours rounds taking nominations of unions on ``day``."""
    return (
        AwardRound.objects.filter(
            award_type__nominee_kind=NomineeKind.UNION,
            award_type__active=True,
            opens_on__lte=day,
            closes_on__gte=day,
            decided_on__isnull=True,
        )
        .select_related("award_type")
        .order_by("closes_on", "pk")
    )


def evidence_pdf(*, year: int, result: UnionResult, rules: AssessmentRules, of: int) -> bytes:
    return render_template_pdf(
        "news/assessment_pdf.html",
        {
            "federation_name": federation_name(),
            "year": year,
            "result": result,
            "rules": rules,
            "of": of,
            "today": timezone.localdate(),
        },
    )


def send_to_honours(*, by, year: int, union: GrassrootsUnion, round: AwardRound, statement: str):  # noqa: A002
    """Nominate ``union`` in an honours round, with its information-work assessment for ``year`` (rank and
    breakdown) as a PDF evidence file. Honours decides: its refusals (window, quota, kind…) come back as
    a ``ValidationError``."""
    if not can_set_rules(by):
        raise PermissionDenied
    rules = AssessmentRules.objects.filter(year=year).first()
    if rules is None:
        raise ValidationError(_("The %(year)d assessment has no rules yet.") % {"year": year})
    if round.award_type.nominee_kind != NomineeKind.UNION:
        raise ValidationError(_("%(award)s does not nominate unions.") % {"award": round.award_type})
    results = union_results(year)
    result = next((r for r in results if r.union.pk == union.pk), None)
    if result is None:
        raise ValidationError(_("%(union)s is not in the %(year)d ranking.") % {"union": union, "year": year})
    pdf = evidence_pdf(year=year, result=result, rules=rules, of=len(results))
    upload = SimpleUploadedFile(
        f"info-assessment-{year}-{union.code}.pdf", pdf, content_type="application/pdf"
    )
    description = _("Information-work assessment %(year)d: rank %(rank)d of %(of)d, %(total)s points") % {
        "year": year,
        "rank": result.rank,
        "of": len(results),
        "total": result.total,
    }
    return honours_services.nominate(
        round=round, union=union, nominee=union, statement=statement, evidence=[(upload, description)], by=by
    )
