"""Stored files in the demo district (issue 17): every file ``make demo`` stores, asked for as the issue's
penetration test did. In a module of its own: the demo cannot be seeded inside another module's district."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from unionhub.files import file_url, stored_kinds


def test_no_file_of_the_demo_reaches_a_visitor_or_the_merchant(client, db, settings, tmp_path):
    """The issue's finding, replayed on the demo's own files (dues sheets, hardship and school-place
    documents, admission letters, certificates…): anonymous and the counter account get none of them."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", members=300, seed=7)
    stored = [
        getattr(obj, kind.field)
        for kind in stored_kinds().values()
        for obj in kind.model._default_manager.exclude(**{kind.field: ""})
    ]
    assert len(stored) > 100  # the demo stores files of several kinds
    merchant = get_user_model().objects.get(username="merchant")
    for fieldfile in stored:
        assert fieldfile.storage.exists(fieldfile.name)
        assert client.get(settings.MEDIA_URL + fieldfile.name).status_code == 404, fieldfile.name
        assert client.get(file_url(fieldfile)).status_code == 302, fieldfile.name
    client.force_login(merchant)
    for fieldfile in stored:
        assert client.get(settings.MEDIA_URL + fieldfile.name).status_code == 404, fieldfile.name
        assert client.get(file_url(fieldfile)).status_code == 404, fieldfile.name
