"""Old module paths kept importable while files owned by other branches still use them.

The workflows of ``aid`` (and other apps) moved into their ``services`` packages. A few modules
being rewritten elsewhere at the same time (``unionhub/views.py``, ``unionhub/reports/``,
``members/demo_homes.py``) still say ``from aid import fund`` or ``from aid.files import …``; rather
than leave copies of the old files behind (which would hide the renames from git and break the
merges), an app's ``ready()`` registers its moved modules under their old names. Delete an alias
once nothing imports the old path (``git grep 'aid.fund'``)."""

import importlib
import sys


def alias_modules(package: str, moved: dict[str, str]) -> None:
    """Make ``package.old`` import the module now at ``package.new`` for each old → new."""
    parent = sys.modules[package]
    for old, new in moved.items():
        module = importlib.import_module(f"{package}.{new}")
        sys.modules.setdefault(f"{package}.{old}", module)
        setattr(parent, old, module)
