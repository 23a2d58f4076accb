"""The programmes installed in this UnionHub: one app each, beside the core (``unionhub``) and the registry
(``members``), which know none of them. The settings add these to ``INSTALLED_APPS``; each app then
contributes its pages (``url_includes``), menu entries (``nav_template``), dashboard panels, report
sections, roles, duty permissions and demo steps (see ``unionhub/contributions.py``).

Adding a programme is adding its app here: no file in ``unionhub/`` or ``members/`` changes. The order is
the menu's order, and the order in which their URLconfs are tried."""

PROGRAMMES = [
    "secondment",
    "aid",
    "grievances",
    "associations",
    "perks",
    "honours",
    "homes",
    "audits",
    "meetings",
    "news",
    "contests",
    "tutoring",
    "jobs",
]
