"""The member area's bottom tab bar: home, the tabs the programmes register, and "me"."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from unionhub.contributions import member_tabs

register = template.Library()


@register.inclusion_tag("member_area/_tabs.html", takes_context=True)
def member_tab_bar(context):
    request = context["request"]
    path = request.path_info
    entries = [("member_area:home", _("Home"))]
    entries += [(tab.url_name, tab.label) for tab in member_tabs()]
    entries.append(("member_area:me", _("Me")))
    tabs = []
    for url_name, label in entries:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        tabs.append({"url": url, "label": label})
    # The longest matching prefix is the active tab (home "/m/" would match everything).
    matches = [tab for tab in tabs if path.startswith(tab["url"])]
    active = max(matches, key=lambda tab: len(tab["url"]))["url"] if matches else ""
    # The registry's own pages other than home (membership, messages, notices, rules) belong under "me".
    home, me = reverse("member_area:home"), reverse("member_area:me")
    if active == home and path != home:
        active = me
    for tab in tabs:
        tab["active"] = tab["url"] == active
    return {"tabs": tabs}
