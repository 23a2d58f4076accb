"""Old module paths kept importable while files owned by other branches still use them.

The workflows of ``aid`` (and other apps) moved into their ``services`` packages. A few modules
being rewritten elsewhere at the same time (``unionhub/views.py``, ``unionhub/reports/``,
``members/demo_homes.py``) still say ``from aid import fund`` or ``from aid.files import …``; rather
than leave copies of the old files behind (which would hide the renames from git and break the
merges), an app's ``ready()`` registers its moved modules under their old names. Delete an alias
once nothing imports the old path (``git grep 'aid.fund'``).

The honours and workers' homes left ``members`` for apps of their own (``honours``, ``homes``);
``members/demo.py``, ``members/views/areas.py``, ``unionhub/views.py`` and ``templates/dashboard.html``,
rewritten elsewhere at the same time, still name them in ``members`` (``members.models.WorkersHome``,
``members.demo_honours``, ``{% url 'members:home_list' %}``). The new apps register those old names
in their ``ready()`` (and ``unionhub/urls.py`` the three URL names); delete them once ``git grep``
finds no old name."""

import importlib
import sys


def alias_modules(package: str, moved: dict[str, str]) -> None:
    """Make ``package.old`` import the module now at ``package.new`` for each old → new."""
    parent = sys.modules[package]
    for old, new in moved.items():
        module = importlib.import_module(f"{package}.{new}")
        sys.modules.setdefault(f"{package}.{old}", module)
        setattr(parent, old, module)


def alias_module(old: str, new: str) -> None:
    """Make the module path ``old`` (possibly in another app) import the module now at ``new``."""
    module = importlib.import_module(new)
    sys.modules.setdefault(old, module)
    parent, _, name = old.rpartition(".")
    setattr(importlib.import_module(parent), name, module)


def alias_names(old_module: str, new_module: str, names) -> None:
    """Make ``from old_module import name`` find ``new_module.name`` for each of ``names``: for models
    that moved to an app of their own while files owned by other branches still import them from the
    old app. Nothing the old app imports itself; it only names them."""
    old, new = importlib.import_module(old_module), importlib.import_module(new_module)
    for name in names:
        if not hasattr(old, name):
            setattr(old, name, getattr(new, name))


def url_aliases(urlconf: str, names) -> list:
    """The patterns of ``urlconf`` called ``names``, to be listed once more in an old namespace so that
    templates owned by other branches still reverse ``old:name``. Include the new app's urls before
    the old namespace's: a request then resolves to the new namespace (the first match)."""
    patterns = importlib.import_module(urlconf).urlpatterns
    found = [p for p in patterns if getattr(p, "name", None) in names]
    missing = set(names) - {p.name for p in found}
    if missing:
        raise ValueError(f"{urlconf} has no pattern named {', '.join(sorted(missing))}")
    return found
