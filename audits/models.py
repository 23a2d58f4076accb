"""Finance and dues audits (经费审计) of grassroots unions by the federation's audit team: the year's plan
(which unions, and why each was chosen), each audit's team, dates and checklist, its findings with the
amounts involved and recovered, and the rectification each finding asks of the audited union's chair.

Audits are seen by staff holding the audit duty (``audits.view_audit``) and by the audited union's chair;
other staff are treated like anybody else (``staff_permission``), so an audit is a 404 to them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.access import ScopedQuerySet
from unionhub.storage import random_name

MONEY = {"max_digits": 14, "decimal_places": 2}
DEFAULT_CYCLE_YEARS = 3


class AuditType(models.TextChoices):
    ANNUAL = "annual", _("Annual finance audit (年度财务审计)")
    DUES = "dues", _("Dues collection audit (经费收缴专项审计)")
    DEPARTURE = "departure", _("Departure audit of the chair (离任审计)")


class Reason(models.TextChoices):
    """Why a union is in the year's plan (an audit may have several)."""

    ROTATION = "rotation", _("Rotation")
    ARREARS = "arrears", _("Dues arrears")
    PAYROLL = "payroll", _("Large payroll change")
    COMPLAINTS = "complaints", _("Complaints about fund use")
    CHAIR_CHANGE = "chair_change", _("Change of chair")
    MANUAL = "manual", _("Chosen by hand")


class Area(models.TextChoices):
    """What a checklist item and a finding are about."""

    ACCOUNTS = "accounts", _("Accounts kept")
    SHARE = "share", _("The 60% share received and spent")
    RECEIPTS = "receipts", _("Dues receipts")
    APPROVALS = "approvals", _("Spending approvals")
    ASSETS = "assets", _("Fixed assets")
    HARDSHIP = "hardship", _("The union's own hardship spending")
    OTHER = "other", pgettext_lazy("audit area", "Other")


class AuditPlan(models.Model):
    """The audit team's plan for one year. ``cycle_years``: every union is audited at least once in this
    many years (the rotation rule of ``services.propose_plan``)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    cycle_years = models.PositiveSmallIntegerField(_("rotation cycle (years)"), default=DEFAULT_CYCLE_YEARS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("audit plan")
        verbose_name_plural = _("audit plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(cycle_years__gte=1) & Q(cycle_years__lte=10), name="audit_plan_cycle_1_to_10"
            )
        ]

    def __str__(self):
        return str(self.year)


class AuditQuerySet(ScopedQuerySet):
    owner_lookup = "union__chair"
    staff_permission = "audits.view_audit"


class Audit(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        FIELDWORK = "fieldwork", _("Fieldwork")
        COMPLETED = "completed", pgettext_lazy("audit state", "Completed")

    plan = models.ForeignKey(
        AuditPlan, on_delete=models.CASCADE, related_name="audits", verbose_name=_("plan")
    )
    union = models.ForeignKey(
        "members.GrassrootsUnion",
        on_delete=models.PROTECT,
        related_name="audits",
        verbose_name=_("grassroots union"),
    )
    kind = models.CharField(
        _("audit type"), max_length=12, choices=AuditType.choices, default=AuditType.ANNUAL
    )
    reasons = models.JSONField(_("reasons"), default=list)  # Reason values
    reason_detail = models.CharField(_("why chosen"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audits_led",
        verbose_name=_("auditor in charge"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="audits_on_team", verbose_name=_("audit team")
    )
    fieldwork_from = models.DateField(_("fieldwork from"), null=True, blank=True)
    fieldwork_to = models.DateField(_("fieldwork to"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    # The team's own working notes: never shown to the audited union's chair, nor in the report.
    working_notes = models.TextField(_("working notes (team only)"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-plan__year", "union__code"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        constraints = [
            models.UniqueConstraint(fields=["plan", "union"], name="audit_once_per_union_and_plan"),
            models.CheckConstraint(
                condition=Q(fieldwork_from__isnull=True)
                | Q(fieldwork_to__isnull=True)
                | Q(fieldwork_to__gte=models.F("fieldwork_from")),
                name="audit_fieldwork_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.plan.year} {self.union}"

    def get_absolute_url(self):
        return reverse("audits:detail", kwargs={"pk": self.pk})

    def reason_labels(self) -> list[str]:
        labels = dict(Reason.choices)
        return [str(labels.get(r, r)) for r in self.reasons]


class ChecklistItem(models.Model):
    """One line of the checklist of an audit type (seeded by a data migration; staff may add more)."""

    kind = models.CharField(_("audit type"), max_length=12, choices=AuditType.choices)
    area = models.CharField(_("area"), max_length=10, choices=Area.choices)
    title = models.CharField(_("item"), max_length=200)
    guidance = models.TextField(_("what to check"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = _("audit checklist item")
        verbose_name_plural = _("audit checklist items")

    def __str__(self):
        return self.title


class ChecklistResult(models.Model):
    class Result(models.TextChoices):
        OK = "ok", _("In order")
        FINDING = "finding", _("Finding")
        NA = "na", _("Not applicable")

    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="results", verbose_name=_("audit")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["audit", "item__order", "item_id"]
        verbose_name = _("checklist result")
        verbose_name_plural = _("checklist results")
        constraints = [models.UniqueConstraint(fields=["audit", "item"], name="audit_result_once_per_item")]

    def __str__(self):
        return f"{self.item}: {self.result}"


class FindingQuerySet(ScopedQuerySet):
    owner_lookup = "audit__union__chair"
    staff_permission = "audits.view_audit"


class Finding(models.Model):
    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor (一般)")
        SERIOUS = "serious", _("Serious (较重)")
        GRAVE = "grave", _("Grave (严重)")

    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("audit")
    )
    category = models.CharField(_("category"), max_length=10, choices=Area.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("description"))
    amount_involved = models.DecimalField(_("amount involved"), default=0, **MONEY)
    amount_recovered = models.DecimalField(_("amount recovered"), default=0, **MONEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    recorded_on = models.DateField(_("recorded on"))

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "pk"]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_involved__gte=0) & Q(amount_recovered__gte=0),
                name="audit_finding_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_recovered__lte=models.F("amount_involved")),
                name="audit_finding_recovered_within_involved",
            ),
        ]

    def __str__(self):
        return f"{self.audit} · {self.get_category_display()}"


def evidence_path(evidence, filename: str) -> str:
    return f"audits/{random_name()}"


class FindingEvidence(models.Model):
    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("finding")
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["finding", "pk"]
        verbose_name = _("finding evidence")
        verbose_name_plural = _("finding evidence")

    def __str__(self):
        return self.name or self.file.name.rsplit("/", 1)[-1]


class RectificationQuerySet(ScopedQuerySet):
    owner_lookup = "finding__audit__union__chair"
    staff_permission = "audits.view_audit"

    def unresolved(self):
        """Open or sent back: the chair's move."""
        return self.filter(state__in=[Rectification.State.OPEN, Rectification.State.RETURNED])

    def overdue(self, day):
        return self.unresolved().filter(deadline__lt=day)


class Rectification(models.Model):
    """What a finding asks of the audited union's chair: open → responded → accepted, or → returned (with the
    auditor's reason) → responded again. Overdue: open or returned past the deadline."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("rectification", "Open")
        RESPONDED = "responded", _("Responded")
        RETURNED = "returned", _("Sent back")
        ACCEPTED = "accepted", pgettext_lazy("rectification", "Accepted")

    finding = models.OneToOneField(
        Finding, on_delete=models.CASCADE, related_name="rectification", verbose_name=_("finding")
    )
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    response = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    return_reason = models.TextField(_("reason sent back"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(_("responses"), default=0)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [models.Index(fields=["state", "deadline"], name="audit_rect_state_deadline_idx")]

    def __str__(self):
        return f"{self.finding} · {self.get_state_display()}"

    def get_absolute_url(self):
        return reverse("audits:rectification", kwargs={"pk": self.pk})

    def is_overdue(self, day) -> bool:
        return self.state in (self.State.OPEN, self.State.RETURNED) and self.deadline < day


class RectificationEvidence(models.Model):
    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("rectification")
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["rectification", "pk"]
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")

    def __str__(self):
        return self.name or self.file.name.rsplit("/", 1)[-1]
