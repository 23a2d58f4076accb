"""(being written)"""


def seed_areas(*, rng, unions, staff, today):
    """Seeds nothing yet."""
