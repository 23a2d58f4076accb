"""The default storage of stored files: every file saved, uploaded or generated, gets a random name.

``RandomNameStorage.save`` keeps the folder that the field's ``upload_to`` chose and replaces the file's
own name with a random token (``secrets.token_urlsafe(16)``, 128 bits) and the extension of its detected
content (``unionhub.uploads.stored_extension``: ``.pdf``, ``.jpg``, ``.png``, ``.xlsx``, ``.xls``,
``.csv``, else ``.bin``). The client's name, a member's name or an ID number never reaches the disk, a
stored name cannot be guessed from another, and nothing can be stored as ``.html`` or ``.svg``. It is set
in ``settings.STORAGES["default"]``, so every ``FileField`` and every ``default_storage.save`` goes through
it."""

import posixpath
import secrets

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage

from .uploads import stored_extension


def random_name() -> str:
    """A random file name without extension: 22 URL-safe characters."""
    return secrets.token_urlsafe(16)


class RandomNameStorage(FileSystemStorage):
    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        if not hasattr(content, "chunks"):
            content = File(content, name)
        if getattr(content, "closed", False):  # a stored file copied into another field
            content.open("rb")
        folder = posixpath.dirname(str(name).replace("\\", "/"))
        name = posixpath.join(folder, f"{random_name()}{stored_extension(content)}")
        return super().save(name, content, max_length=max_length)
