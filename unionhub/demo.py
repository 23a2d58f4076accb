"""The demo district is seeded by the steps the apps contribute (``@demo_step`` in ``<app>/demo.py``),
run here in their order. The steps share one ``Demo``: the random generator (so that the same seed gives
the same district, whatever step draws next) and what earlier steps made (unions, chairs, staff…).

The core contributes two steps of its own: the rules library, and fresh planner statistics at the end."""

import datetime

from django.db import connection, transaction

from .contributions import contributions, demo_step
from .demo_rules import seed_rules


class Demo:
    """What the steps share. ``members`` and ``seed`` are the command's options; the registry's first step
    sets ``gen`` (the generator), ``password`` and the people and unions later steps use."""

    def __init__(self, *, members: int, seed: int, today: datetime.date):
        self.members = members
        self.seed = seed
        self.today = today

    @property
    def rng(self):
        return self.gen.rng


def run(*, members: int, seed: int, today: datetime.date) -> Demo:
    """Run every contributed step in order, each in a transaction of its own unless it asks otherwise."""
    demo = Demo(members=members, seed=seed, today=today)
    for step in contributions("demo_step"):
        if step.atomic:
            with transaction.atomic():
                step.func(demo)
        else:
            step.func(demo)
    return demo


@demo_step(order=120)
def rules_library(demo: Demo) -> None:
    seed_rules(rng=demo.rng, today=demo.today, unions=demo.unions, staff=demo.staff)


@demo_step(order=1000, atomic=False)
def analyze(demo: Demo) -> None:
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner uses the member indexes from the first request
        # rather than after autovacuum gets round to the new rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
