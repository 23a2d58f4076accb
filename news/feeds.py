"""The public news feeds (RSS 2.0 and Atom) of the latest published items. An item's description is its
text rendered and sanitised exactly as on the article page (``render_markdown``); the feed writer then
escapes it as XML text, so a script in an item reaches a reader neither as markup nor runnable."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from unionhub.access import public_page
from unionhub.context_processors import federation_name
from unionhub.rules_library import render_markdown

from .models import NewsItem

FEED_ITEMS = 30


class NewsRssFeed(Feed):
    link = reverse_lazy("news:list")

    def title(self):
        return _("%(federation)s news") % {"federation": federation_name()}

    def description(self):
        return _("The latest news of %(federation)s.") % {"federation": federation_name()}

    def items(self):
        return (
            NewsItem.objects.published().select_related("union").order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item):
        # Plain text: some readers take a title as HTML, so a title's tags are dropped.
        return strip_tags(item.title)

    def item_description(self, item):
        return render_markdown(item.text)

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return str(item.union.name) if item.union_id else federation_name()

    def item_categories(self, item):
        return [item.get_category_display()]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


rss_feed = public_page(NewsRssFeed())
atom_feed = public_page(NewsAtomFeed())
