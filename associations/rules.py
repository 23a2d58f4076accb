"""Association rules. ``ASSOCIATION_RULES`` in the settings (a dict of the fields below) overrides
the defaults."""

import dataclasses

from django.conf import settings


@dataclasses.dataclass(frozen=True)
class Rules:
    # Each association plans (and should hold) at least this many activities a year.
    min_activities_per_year: int = 10
    # Compliance: an association is "behind" when it has held fewer activities than the share of the
    # minimum due by now (months elapsed / 12), or when its plan has fewer lines than the minimum.
    behind_grace_activities: int = 1


def rules() -> Rules:
    overrides = getattr(settings, "ASSOCIATION_RULES", None) or {}
    return dataclasses.replace(Rules(), **overrides)
