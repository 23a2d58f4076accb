"""Who may do what with the news: the named checks that views and services ask.

The office's publicity work belongs to the organisation duty: its staff write, edit, review, publish and
withdraw items, record channels, and set and read the information-work assessment. A union's chair writes
and submits items for their own union and sees their own union's items (through ``visible_to``)."""

from unionhub.access import has_duty, has_role
from unionhub.duties import ORGANISATION, grant

EDIT = "news.change_newsitem"
PUBLISH = "news.publish_newsitem"
CHANNELS = "news.add_newschannel"
RULES = "news.change_assessmentrules"
RANKING = "news.view_assessmentrules"


def is_news_staff(user) -> bool:
    return has_duty(user, EDIT)


def can_use_desk(user) -> bool:
    """The news desk (writing and the items' states) is for the publicity staff and union chairs."""
    return is_news_staff(user) or has_role(user, "union_chair")


def can_publish(user) -> bool:
    return has_duty(user, PUBLISH)


def can_record_channels(user) -> bool:
    return has_duty(user, CHANNELS)


def can_set_rules(user) -> bool:
    return has_duty(user, RULES)


def can_see_ranking(user) -> bool:
    return has_duty(user, RANKING)


def can_edit(user, item) -> bool:
    """Staff edit any item that is not withdrawn; a chair edits their union's item while it is theirs to
    change (a draft, or returned to them)."""
    if is_news_staff(user):
        return item.status != item.Status.WITHDRAWN
    return (
        item.union_id is not None
        and item.union.chair_id == user.pk
        and item.status in (item.Status.DRAFT, item.Status.RETURNED)
    )


grant(
    ORGANISATION,
    [
        "news.add_newsitem",
        "news.change_newsitem",
        "news.view_newsitem",
        "news.publish_newsitem",
        "news.add_newsphoto",
        "news.delete_newsphoto",
        "news.add_newschannel",
        "news.delete_newschannel",
        "news.change_assessmentrules",
        "news.view_assessmentrules",
    ],
)
