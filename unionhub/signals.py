"""Signals the core sends for the programmes to follow (the core imports no programme).

``calendar_changed``: a day of the working calendar was entered, changed or removed. Sent with
``dates`` (the days whose kind may have changed: the day, and its former date when it was moved) and
``by`` (the staff member), inside the calendar edit's transaction, so that what a programme changes in
answer (the rota moving its duty days off a new holiday) commits or rolls back with the edit. A
receiver returns a sentence for the staff member ("3 duty days moved"), or "" / None."""

from django.dispatch import Signal

calendar_changed = Signal()


def follow_ups(responses) -> list[str]:
    """The sentences the receivers returned, in order, without the empty ones."""
    return [str(answer) for _receiver, answer in responses if answer]
