"""The kinds of notice: what a notice is about decides who gets it on which channel by default.

Each programme registers its own kinds in ``<app>/notice_kinds.py`` (found at start-up like the other
contributions, see ``unionhub.contributions``). A notice's kind is the registered kind whose key prefix
its key starts with (``"dues-soon:12"`` → ``dues_soon``); a key no kind claims is ``other`` (in-app and
e-mail only)."""

import dataclasses

from django.utils.translation import gettext_lazy as _

INAPP, EMAIL, SMS, WECOM = "inapp", "email", "sms", "wecom"
CHANNELS = (INAPP, EMAIL, SMS, WECOM)
CHANNEL_LABELS = {INAPP: _("In-app"), EMAIL: _("E-mail"), SMS: _("SMS"), WECOM: _("WeCom")}
# Every notice reaches the in-app list and, unless the caller says otherwise, an e-mail copy.
BASE_CHANNELS = frozenset({INAPP, EMAIL})
# The roles whose defaults a kind may set (keys of ``unionhub.access.ROLES``).
ROLES = ("staff", "union_chair", "cadre", "association_chair", "merchant", "member")


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str
    label: str  # a lazy translation: what the notice is about, the SMS text's subject
    prefixes: tuple[str, ...]
    defaults: dict  # role -> set of channels beyond in-app and e-mail
    deadline: bool = False  # a deadline: an SMS due the next day is not held back by quiet hours
    digestible: bool = True  # its e-mail copy may wait for the daily digest
    sensitive: bool = False  # about a person's case or hardship: texts say the kind and a link, nothing more
    audience: tuple[str, ...] = ()  # the roles that receive it, for the preferences page (empty: anybody)
    listed: bool = True  # shown on the preferences page

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(role for role in ROLES if role in self.defaults)

    def channels_for(self, roles) -> set[str]:
        """The default channels for someone holding ``roles``."""
        channels = set(BASE_CHANNELS)
        for role in roles:
            channels |= set(self.defaults.get(role, ()))
        return channels


_kinds: dict[str, Kind] = {}


def register_kind(
    name: str,
    *,
    label,
    prefixes: tuple[str, ...],
    defaults: dict | None = None,
    deadline: bool = False,
    digestible: bool = True,
    sensitive: bool = False,
    audience: tuple[str, ...] = (),
    listed: bool = True,
) -> Kind:
    """Register (or, for a module imported twice, replace) one kind of notice."""
    defaults = {role: set(channels) for role, channels in (defaults or {}).items()}
    unknown = {role for role in (*defaults, *audience) if role not in ROLES} | {
        channel for channels in defaults.values() for channel in channels if channel not in CHANNELS
    }
    if unknown:
        raise ValueError(f"notice kind {name}: unknown roles or channels {sorted(unknown)}")
    for other in _kinds.values():
        clash = set(other.prefixes) & set(prefixes)
        if other.name != name and clash:
            raise ValueError(f"notice kinds {name} and {other.name} both claim {sorted(clash)}")
    kind = Kind(
        name=name,
        label=label,
        prefixes=tuple(prefixes),
        defaults=defaults,
        deadline=deadline,
        digestible=digestible and not deadline,
        sensitive=sensitive,
        audience=tuple(audience) or tuple(role for role in ROLES if role in defaults),
        listed=listed,
    )
    _kinds[name] = kind
    return kind


OTHER = register_kind("other", label=_("Notice"), prefixes=())


def kinds_for_roles(roles) -> list["Kind"]:
    """The kinds listed on the preferences page of someone holding ``roles``."""
    roles = set(roles)
    return [kind for kind in kinds() if kind.listed and (not kind.audience or roles & set(kind.audience))]


def kinds() -> list[Kind]:
    """Every registered kind, ``other`` last."""
    return sorted(_kinds.values(), key=lambda kind: (kind.name == "other", kind.name))


def get_kind(name: str) -> Kind:
    return _kinds.get(name, OTHER)


def kind_of(key: str) -> Kind:
    """The kind whose prefix ``key`` starts with (the longest prefix wins), else ``other``."""
    best, length = OTHER, 0
    for kind in _kinds.values():
        for prefix in kind.prefixes:
            if key.startswith(prefix) and len(prefix) > length:
                best, length = kind, len(prefix)
    return best
