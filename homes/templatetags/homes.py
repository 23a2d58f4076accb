"""``{% load homes %}{% workers_home_of union as home %}``: a union's workers' home, or None when it has
none yet, so that a template can show it without the page's view preparing anything."""

from django import template

register = template.Library()


@register.simple_tag
def workers_home_of(union):
    return getattr(union, "workers_home", None) if union is not None else None
