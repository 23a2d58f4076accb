"""The page of a list a request asks for (``?page=``), ``UNIONHUB_PAGE_SIZE`` rows to a page; a page
number out of range or not a number gives the last or the first page, never an error."""

from django.conf import settings
from django.core.paginator import Paginator


def page_of(request, rows):
    return Paginator(rows, settings.UNIONHUB_PAGE_SIZE).get_page(request.GET.get("page"))
