"""What the programmes contribute to the core, and the core collects (as pretix's
``event_dashboard_widgets`` and ``register_data_exporters`` signals do).

The core knows no programme. Each app contributes from modules of its own, which
``UnionhubConfig.ready()`` imports with ``autodiscover_modules``:

- ``<app>/roles.py``: ``register_role(name, subquery)``: a role that comes from a relationship (union
  chair, cadre…), answered for the whole request by one query that annotates every role's ``Exists``;
- ``<app>/dashboard.py``: ``@dashboard_panel(order, template)``: a section of the dashboard;
  ``@district_figures(order, template)``: tiles of the staff's "The district" section, whose values go
  into the one ``district`` dict; ``@union_card(order, template)``: a line of each union's card on a
  chair's dashboard; ``@area_figures(order)``: the figures of a grid area's page; ``@todo_items(order,
  shows=…)``: items of the dashboard's to-do card (``TodoItem``), which the core sorts by date;
- ``<app>/reports.py``: ``@report_section(order)``: a section of the monthly report;
  ``@headline_figure(order)``, ``@headline_chart(order)``: a figure and a chart of the dashboard's
  "This month" card;
- ``<app>/demo.py``: ``@demo_step(order)``: a step of ``manage.py seed_demo``;
- ``<app>/permissions.py``: ``unionhub.duties.grant(duty, [permissions])``: what each staff duty may do;
- ``<app>/stored_files.py``: ``unionhub.files.register_stored_file(name, model, field, can_read=…)``: who
  may download the files a ``FileField`` holds, through the core's delivery view;
- ``<app>/notice_kinds.py``: ``unionhub.notify.kinds.register_kind(name, label=…, prefixes=…, defaults=…)``:
  the kinds of notice the app sends, whose key prefixes route them to channels (see ``unionhub.notify``);
- ``<app>/member_area.py``: ``@member_tile(order, template)``: a tile of the member area's home page (``/m/``),
  ``register_member_tab(order, label=…, url_name=…)``: an entry of its bottom tab bar (the area's frame, the
  member's sign-in and the door to a member's own rows are the registry's: ``members.member_access``);
- on the app's ``AppConfig``: ``url_includes`` (where its URLconfs hang) and ``nav_template`` (its menu
  entries), read by the root URLconf and the page header.

Every contribution carries an explicit ``order`` so that pages and reports come out in the same order
whatever the order of ``INSTALLED_APPS``; numbers go in tens so that a new programme can slot in between.
Each contribution takes one ``Scope``: who asks, on which day, for which grid area and which union."""

import dataclasses
import datetime
from collections.abc import Callable
from functools import cached_property

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

from .dates import Span

DISCOVERED_MODULES = (
    "permissions",
    "roles",
    "dashboard",
    "reports",
    "demo",
    "stored_files",
    "notice_kinds",
    "member_area",
)


@dataclasses.dataclass
class Scope:
    """Who asks (None for a scheduled report), the day the figures are as of, and what they cover: a
    grid area (the dashboard's filter, an area's page) or one grassroots union (a union's monthly
    report); None for either means the whole district."""

    day: datetime.date
    user: object = None
    area: object = None
    union: object = None

    @cached_property
    def span(self):
        """The month containing ``day``, the year to its end and the same month a year earlier."""
        return Span(self.day)


@dataclasses.dataclass(frozen=True)
class Contribution:
    order: int
    app: str  # the contributing app's label, for the discovery test and error messages
    name: str
    func: Callable
    template: str = ""
    role: bool = True  # a dashboard panel that shows the user holds a role (else the "no role yet" card)
    atomic: bool = True  # a demo step run in a transaction of its own
    shows: str = ""  # a to-do source: what it lists, for the card's "nothing due" text


@dataclasses.dataclass(frozen=True)
class Role:
    name: str
    app: str
    subquery: Callable  # (day) -> a queryset filtered on OuterRef("pk") (the user), for Exists()


_registry: dict[str, list[Contribution]] = {}
_roles: dict[str, Role] = {}
_models: dict[str, object] = {}


def _app_of(func) -> str:
    return func.__module__.split(".")[0]


def _add(kind: str, contribution: Contribution) -> None:
    entries = _registry.setdefault(kind, [])
    # Idempotent: a module imported twice (a test reloading it) replaces its entry rather than doubling it.
    entries[:] = [c for c in entries if (c.app, c.name) != (contribution.app, contribution.name)]
    clash = next((c for c in entries if c.order == contribution.order), None)
    if clash is not None:
        raise ValueError(
            f"{kind}: {contribution.app}.{contribution.name} and {clash.app}.{clash.name} "
            f"both ask for order {contribution.order}"
        )
    entries.append(contribution)
    entries.sort(key=lambda c: c.order)


def _decorator(kind: str, order: int, **extra):
    def register(func):
        _add(kind, Contribution(order=order, app=_app_of(func), name=func.__name__, func=func, **extra))
        return func

    return register


def contributions(kind: str) -> list[Contribution]:
    """The contributions of one kind, in order."""
    return list(_registry.get(kind, ()))


# --- the decorators a programme uses -------------------------------------------------------------------


def dashboard_panel(order: int, template: str, *, role: bool = True):
    """A dashboard section: ``func(scope) -> dict | None`` (None: not shown to this user), rendered with
    ``template``, which reads the dict as ``panel``."""
    return _decorator("dashboard_panel", order, template=template, role=role)


def district_figures(order: int, template: str = ""):
    """Figures of the staff's "The district" section: ``func(scope) -> dict`` merged into ``district``;
    ``template`` renders their tiles (none: figures without a tile of their own)."""
    return _decorator("district_figures", order, template=template)


def union_card(order: int, template: str):
    """A line of each union's card on a chair's "My union": ``func(scope) -> dict`` with ``annotations``
    (of the chair's unions queryset, read by ``template`` from ``u``) and any other context it needs."""
    return _decorator("union_card", order, template=template)


def area_figures(order: int):
    """Figures of a grid area's page: ``func(scope) -> dict`` merged into the page's ``figures``."""
    return _decorator("area_figures", order)


def todo_items(order: int, *, shows: str = ""):
    """Items of the dashboard's to-do card (待办): ``func(scope) -> list[TodoItem] | None``. None: this
    source does not apply to the user (the card is shown only when some source applies); an empty list:
    it applies and nothing is due. ``shows`` (a lazy translation) says what it lists when it has items,
    for the card's "nothing due" text."""
    return _decorator("todo_items", order, shows=shows)


def report_section(order: int):
    """A section of the monthly report: ``func(scope) -> reports.base.Section`` (``scope.span`` is the
    month, ``scope.union`` the union or None for the district)."""
    return _decorator("report_section", order)


def headline_figure(order: int):
    """A figure of the dashboard's "This month" card: ``func(scope) -> reports.base.Figure``."""
    return _decorator("headline_figure", order)


def headline_chart(order: int):
    """A chart under the "This month" card: ``func(scope) -> reports.base.Chart``."""
    return _decorator("headline_chart", order)


def demo_step(order: int, *, atomic: bool = True):
    """A step of the demo district: ``func(demo)`` with the shared ``unionhub.demo.Demo`` (its random
    generator and what earlier steps made). Steps run in order; most in a transaction of their own."""
    return _decorator("demo_step", order, atomic=atomic)


@dataclasses.dataclass
class MemberScope:
    """A member area page's question: the signed-in user, their current membership (the registry's
    ``Member``) and the day."""

    user: object
    member: object
    day: datetime.date


@dataclasses.dataclass(frozen=True)
class MemberTab:
    order: int
    app: str
    label: str  # a lazy translation, two characters where possible (会员卡, 活动, 办事)
    url_name: str


_member_tabs: dict[str, MemberTab] = {}


def member_tile(order: int, template: str):
    """A tile of the member area's home page: ``func(member_scope) -> dict | None`` (None: nothing to show this
    member), rendered with ``template``, which reads the dict as ``tile``. Keep it to one or two queries: the
    page's budget is 300 ms at the 95th percentile."""
    return _decorator("member_tile", order, template=template)


def member_notices(order: int):
    """Public notices a member may read on the phone (an honours round's 公示…): ``func(member_scope) -> list``
    of ``MemberNotice``, newest first; the member area's notices page merges them by date."""
    return _decorator("member_notices", order)


@dataclasses.dataclass(frozen=True)
class MemberNotice:
    day: datetime.date
    title: str
    url: str
    source: str = ""  # what published it, in the member's words (评选表彰, 困难帮扶…)


def register_member_tab(order: int, *, label, url_name: str) -> None:
    """An entry of the member area's bottom tab bar (home and "me" are the registry's own)."""
    app = url_name.split(":")[0]
    clash = next((t for t in _member_tabs.values() if t.order == order and t.url_name != url_name), None)
    if clash is not None:
        raise ValueError(f"member tabs {url_name} and {clash.url_name} both ask for order {order}")
    _member_tabs[url_name] = MemberTab(order=order, app=app, label=label, url_name=url_name)


def member_tabs() -> list[MemberTab]:
    return sorted(_member_tabs.values(), key=lambda tab: tab.order)


def register_role(name: str, subquery: Callable) -> None:
    """A role from a relationship: ``subquery(day)`` is a queryset of the related rows filtered on
    ``OuterRef("pk")`` (the user); the user holds the role when one exists."""
    _roles[name] = Role(name=name, app=subquery.__module__.split(".")[0], subquery=subquery)


def roles() -> dict[str, Role]:
    return dict(_roles)


def register_scope_models(*, area, union) -> None:
    """The models of the two scopes the core filters by: the grid area (``?area=``) and the grassroots
    union (a union's monthly report). Contributed by the registry app, which the core does not import."""
    _models["area"], _models["union"] = area, union


def area_model():
    return _models["area"]


def union_model():
    return _models["union"]


# --- collecting ----------------------------------------------------------------------------------------


def collect(kind: str, scope: Scope) -> dict:
    """The merged dicts of every contribution of ``kind`` for ``scope``, in order."""
    merged = {}
    for contribution in contributions(kind):
        merged.update(contribution.func(scope) or {})
    return merged


class Severity:
    OVERDUE = "overdue"  # past its date
    WARNING = "warning"  # due soon, or a risk the user must not miss
    NORMAL = "normal"


WARN_DAYS = 7  # an item due within a week is a warning


def severity_for(due: datetime.date | None, today: datetime.date, *, warn_days: int = WARN_DAYS) -> str:
    """Overdue after its date, a warning within ``warn_days`` of it, else normal (undated: normal)."""
    if due is None:
        return Severity.NORMAL
    if due < today:
        return Severity.OVERDUE
    return Severity.WARNING if (due - today).days <= warn_days else Severity.NORMAL


@dataclasses.dataclass
class TodoItem:
    """One thing to do: by when (None: no date), what, one line of detail, where it is done (``url``) and
    the button's label there. ``severity`` is one of ``Severity``; ``sort_key`` breaks ties between items
    of the same date (a union's code, a period). ``more`` is an optional template rendered under the
    detail (with ``item.context``): the payment instructions under a period to pay, for one. ``kind``
    names the item's sort for styling and tests ("dues.declare", "honours.nominate"…)."""

    due: datetime.date | None
    title: str
    detail: str = ""
    url: str = ""
    action: str = ""
    severity: str = Severity.NORMAL
    sort_key: str = ""
    kind: str = ""
    more: str = ""
    context: dict = dataclasses.field(default_factory=dict)
    days: int | None = None  # days from the scope's day to ``due`` (negative: overdue), set by the core

    @property
    def overdue(self) -> bool:
        return self.severity == Severity.OVERDUE

    def order(self):
        """Overdue first, then by date (oldest first), undated last; then the source's own key."""
        return (not self.overdue, self.due is None, self.due or datetime.date.max, self.sort_key, self.title)


@dataclasses.dataclass
class Todo:
    """The to-do card: ``applies`` when some source applies to the user (else no card), its items in
    order, and what the sources that apply would list (the "nothing due" text)."""

    applies: bool
    items: list[TodoItem]
    shows: list[str]


def collect_todo(scope: Scope) -> Todo:
    """Every source's items for ``scope``, overdue first, then oldest first, undated last."""
    items, shows, applies = [], [], False
    for contribution in contributions("todo_items"):
        found = contribution.func(scope)
        if found is None:
            continue
        applies = True
        for item in found:
            item.days = None if item.due is None else (item.due - scope.day).days
        items.extend(found)
        if contribution.shows and str(contribution.shows) not in shows:
            shows.append(str(contribution.shows))
    items.sort(key=TodoItem.order)
    return Todo(applies=applies, items=items, shows=shows)


def url_includes() -> list[tuple[str, str]]:
    """(prefix, URLconf) of every installed app that declares ``url_includes`` on its AppConfig, in the order
    of ``INSTALLED_APPS``: the root URLconf includes them after the core's own pages."""
    return [include for config in apps.get_app_configs() for include in getattr(config, "url_includes", ())]


def nav_templates() -> list[str]:
    """The menu entries each installed app contributes (``nav_template`` on its AppConfig), in the order of
    ``INSTALLED_APPS``."""
    return [config.nav_template for config in apps.get_app_configs() if getattr(config, "nav_template", "")]


def autodiscover() -> None:
    autodiscover_modules(*DISCOVERED_MODULES)
