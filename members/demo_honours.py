"""(being written)"""


def seed_honours(*, rng, unions, staff, today):
    """Seeds nothing yet."""
