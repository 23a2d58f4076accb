"""``{% governing_rules "secondment" %}``: the box on a programme's pages that links the rules in force
governing it (one query; nothing at all when there are none)."""

from django import template

from unionhub.rules_library import governing

register = template.Library()


@register.inclusion_tag("rules/_governing.html")
def governing_rules(*programmes):
    """Several programmes may be named: ``{% governing_rules "registry" "dues" %}``."""
    return {"governing": list(governing(programmes))}
