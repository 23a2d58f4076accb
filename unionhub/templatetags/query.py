"""The page's query string without some of its parameters, for links and hidden inputs that keep the
other filters. Read with ``QueryDict.lists()``: a template's ``request.GET.items`` would look up a
parameter named "items" first, so ``?items=x`` broke every page that printed it."""

from django import template

register = template.Library()


def _pairs(request, keys) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() if key not in keys for value in values]


@register.simple_tag(takes_context=True)
def query_pairs(context, *keys):
    """``{% query_pairs "area" "page" as pairs %}``: (name, value) of every other parameter."""
    return _pairs(context["request"], keys)


@register.simple_tag(takes_context=True)
def query_except(context, *keys):
    """``?{% query_except "page" %}page=2``: the other parameters, urlencoded, each followed by "&"."""
    query = context["request"].GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode() + "&" if query else ""
