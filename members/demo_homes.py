"""(being written)"""


def seed_workers_homes(*, rng, unions, staff, today):
    """Seeds nothing yet."""
