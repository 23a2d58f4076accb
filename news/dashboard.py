"""The news on the dashboard (see ``unionhub/contributions.py``): the items unions submitted that wait for the
publicity staff's review, a chair's items returned to them, and the district's news figures of the year."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.contributions import Scope, TodoItem, district_figures, severity_for, todo_items

from . import services
from .models import NewsItem
from .permissions import can_publish

# Submitted items are reviewed within this many days of their submission.
REVIEW_DAYS = 3


@todo_items(order=94, shows=gettext_lazy("news items that unions submitted for review"))
def items_to_review(scope: Scope) -> list[TodoItem] | None:
    if not can_publish(scope.user):
        return None
    items = NewsItem.objects.filter(status=NewsItem.Status.SUBMITTED).select_related("union")
    result = []
    for item in items.order_by("submitted_at", "pk"):
        due = item.submitted_at.date() + datetime.timedelta(days=REVIEW_DAYS)
        result.append(
            TodoItem(
                due=due,
                title=_("Review the news item “%(title)s”") % {"title": item.title},
                detail=_("Submitted by %(union)s.") % {"union": item.union},
                url=reverse("news:item_detail", kwargs={"pk": item.pk}),
                action=_("Review"),
                severity=severity_for(due, scope.day),
                sort_key=str(item.pk),
                kind="news.review",
            )
        )
    return result


@todo_items(order=95, shows=gettext_lazy("your news items returned by the federation"))
def items_returned(scope: Scope) -> list[TodoItem] | None:
    user = scope.user
    if not user.is_union_chair:
        return None
    items = NewsItem.objects.filter(union__chair=user, status=NewsItem.Status.RETURNED).order_by("pk")
    return [
        TodoItem(
            due=None,
            title=_("News item returned: “%(title)s”") % {"title": item.title},
            detail=item.return_reason,
            url=reverse("news:item_edit", kwargs={"pk": item.pk}),
            action=_("Edit and submit again"),
            sort_key=str(item.pk),
            kind="news.returned",
        )
        for item in items
    ]


@district_figures(order=130, template="news/dashboard/district_news.html")
def news_figures(scope: Scope) -> dict:
    start, end = services.year_bounds(scope.day.year)
    published = NewsItem.objects.published().filter(published_at__gte=start, published_at__lt=end)
    if scope.area is not None:
        published = published.filter(area=scope.area)
    figures = published.with_picked_up().aggregate(
        n=Count("pk"), picked=Count("pk", filter=Q(picked_up=True))
    )
    return {"news_published": figures["n"], "news_picked_up": figures["picked"]}
