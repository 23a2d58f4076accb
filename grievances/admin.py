"""No model of casework is registered with the Django admin, on purpose.

A case carries the complainant's identity, which only casework staff and the handler may see and
whose every showing is written to the audit trail (``grievances/access.py``); the admin would show it
to any staff user with a model permission, unlogged. Stages, deadlines and closing go through the
services, which check each move and record it on the case's timeline; an admin form would bypass
them."""
