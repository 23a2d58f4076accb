"""The Django admin: titled with the product's Chinese name, models and fields in Chinese, and the menu entry
shown to superusers only (staff keep their own pages; the admin reaches every table). Staff accounts keep
the admin rights their duty groups give them by URL: only the menu entry changed."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_user
from unionhub.models import Notice

ADMIN_LINK = f'<a href="{reverse("admin:index")}">'


@pytest.fixture
def superuser(db):
    return make_user("root", is_staff=True, is_superuser=True, name="系统管理员")


def test_the_admin_is_titled_in_chinese(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:index")).content.decode()
    assert "<title>工会通 管理 | 工会通 管理</title>" in page
    assert '<a href="/admin/">工会通 管理</a>' in page
    assert "Django" not in page.split("</head>")[1][:2000]


def test_model_and_field_names_are_chinese(client, superuser):
    client.force_login(superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert "工作日历" in index or "日历" in index
    form = client.get(reverse("admin:unionhub_calendarday_add")).content.decode()
    assert "日期" in form
    # A field that had no translated name before (its column name showed).
    assert str(Notice._meta.get_field("key").verbose_name) == "通知标识"


def test_every_app_and_model_on_the_admin_index_is_named_in_chinese(client, superuser):
    """Ours and the third-party ones (django-auditlog, django-axes), translated in the project's catalogue;
    only django-axes' app heading, which it does not mark for translation, stays "Axes"."""
    client.force_login(superuser)
    page = client.get(reverse("admin:index")).content.decode()
    names = re.findall(r'<a href="/admin/[^"]+"[^>]*>([^<]+)</a>', page)
    assert len(names) > 20
    assert [name for name in names if name.isascii()] == ["Axes"]


@pytest.mark.parametrize(("who", "shown"), [("staff", False), ("chair_a", False), ("superuser", True)])
def test_the_menu_entry_is_for_superusers_only(client, request, who, shown):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("dashboard")).content.decode()
    assert (ADMIN_LINK in page) is shown
