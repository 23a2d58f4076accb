"""(being written)"""


def seed_rules(*, rng, unions, staff, today):
    """Seeds nothing yet."""
