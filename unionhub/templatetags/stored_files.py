"""``{{ photo.image|file_url }}``: the link to a stored file, through the core's delivery view, which
checks who asks (``unionhub.files``). Never ``{{ photo.image.url }}``: nothing under MEDIA_ROOT is served."""

from django import template

from unionhub.files import file_url as _file_url

register = template.Library()


@register.filter
def file_url(fieldfile) -> str:
    return _file_url(fieldfile)
