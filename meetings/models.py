"""The monthly office meeting of the three departments and the office (“三部一室”月办公会议): its date,
place, host, recorder, attendees, agenda and minutes; and its decisions, each a task with an owner, a due
date and a department, followed up meeting after meeting until it is closed.

A regular meeting is held once a month (one per calendar month, ``month`` being its first day, unique
among regular meetings); an extraordinary meeting may be called at any time. A meeting is planned, then
held (its minutes recorded), then its minutes are confirmed, after which they are locked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.access import ScopedQuerySet


class Department(models.TextChoices):
    """The three departments and the office (三部一室)."""

    ORGANISATION = "organisation", _("Organisation department (组织部)")
    RIGHTS = "rights", _("Rights protection department (权益保障部)")
    FINANCE = "finance", _("Finance and audit department (财务部/经审)")
    OFFICE = "office", _("The office (办公室)")


class MeetingQuerySet(ScopedQuerySet):
    # Staff see every meeting; anybody else the meetings they attended.
    owner_lookup = "attendees"

    def regular(self):
        return self.filter(kind=Meeting.Kind.REGULAR)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Monthly meeting")
        EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
        HELD = "held", pgettext_lazy("meeting status", "Held")
        CONFIRMED = "confirmed", pgettext_lazy("meeting status", "Minutes confirmed")

    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.REGULAR)
    date = models.DateField(_("date"), db_index=True)
    # The first day of the meeting's month: one regular meeting per month (see the constraint).
    month = models.DateField(_("month"), editable=False)
    place = models.CharField(_("place"), max_length=100)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chaired by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes taken by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), related_name="office_meetings", blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    summary = models.TextField(_("overall minutes"), blank=True)
    held_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("minutes recorded by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("minutes confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("minutes confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("office meeting")
        verbose_name_plural = _("office meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=Q(kind="regular"), name="meeting_one_regular_per_month"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})

    @property
    def locked(self) -> bool:
        return self.status == self.Status.CONFIRMED


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in ``position`` order. A carried item follows up an open task of an
    earlier meeting (``carried_task``); its outcome at this meeting is recorded with the minutes."""

    class Outcome(models.TextChoices):
        DONE = "done", pgettext_lazy("carried task outcome", "Done")
        OPEN = "open", pgettext_lazy("carried task outcome", "Still open")
        DROPPED = "dropped", pgettext_lazy("carried task outcome", "Dropped")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("item"), max_length=200)
    minutes = models.TextField(_("minutes"), blank=True)
    carried_task = models.ForeignKey(
        "Task",
        verbose_name=_("task carried over"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carried_items",
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("how it was closed"), blank=True)
    new_due_on = models.DateField(_("new due date"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "carried_task"],
                condition=Q(carried_task__isnull=False),
                name="agenda_task_carried_once_per_meeting",
            ),
        ]

    def __str__(self):
        return self.title


class TaskQuerySet(ScopedQuerySet):
    # Staff see every task; anybody else their own.
    owner_lookup = "owner"

    def open(self):
        return self.filter(status=Task.Status.OPEN)

    def overdue(self, day):
        return self.open().filter(due_on__lt=day)


class Task(models.Model):
    """A decision of a meeting: what is to be done, by whom, by when and by which department."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("task status", "Open")
        DONE = "done", pgettext_lazy("task status", "Done")
        DROPPED = "dropped", pgettext_lazy("task status", "Dropped")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("decided at"), on_delete=models.PROTECT, related_name="decisions"
    )
    title = models.CharField(_("decision"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="meeting_tasks",
    )
    department = models.CharField(_("department"), max_length=12, choices=Department.choices)
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_note = models.TextField(_("how it was closed"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("closed at the meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closed_tasks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("meeting task")
        verbose_name_plural = _("meeting tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_on__isnull=False) & ~Q(closed_note="")),
                name="meeting_task_closed_with_a_note",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:task_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def overdue_on(self, day) -> bool:
        return self.is_open and self.due_on < day
