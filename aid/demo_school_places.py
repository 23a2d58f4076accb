"""(being written)"""


def seed_school_places(*, rng, unions, staff, today):
    """Seeds nothing yet."""
