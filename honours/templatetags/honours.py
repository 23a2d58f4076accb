"""``{% load honours %}{% honours_of_union union as honours %}``: the honours a union, its enterprises
and its members won (or ``honours_of_member``), for the registry's pages — which show them without
the registry importing the honours app."""

from django import template

from .. import services

register = template.Library()


@register.simple_tag
def honours_of_union(union):
    return services.honours_of_union(union) if union is not None else []


@register.simple_tag
def honours_of_member(member):
    return services.honours_of_member(member) if member is not None else []
