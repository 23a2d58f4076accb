"""The member registry: enterprises, grassroots unions, members and their membership history."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from unionhub.masking import mask_id_number, mask_phone

from .validators import birth_date_from_id, sex_from_id


class UnionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff:
            return self
        return self.filter(chair=user)


class GrassrootsUnion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single-enterprise union")
        JOINT = "joint", _("Joint grassroots union")

    class Schedule(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Half-yearly")
        YEARLY = "yearly", _("Yearly")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DISSOLVED = "dissolved", _("Dissolved")

    code = models.CharField(_("code"), max_length=12, unique=True, help_text=_("e.g. HN001"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chair"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="chaired_unions",
    )
    founded_on = models.DateField(_("founding date"))
    committee_term_start = models.DateField(_("committee term start"), null=True, blank=True)
    committee_term_years = models.PositiveSmallIntegerField(_("committee term (years)"), default=5)
    dues_schedule = models.CharField(_("dues collection schedule"), max_length=12,
                                     choices=Schedule.choices, default=Schedule.MONTHLY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    objects = UnionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("grassroots union")
        verbose_name_plural = _("grassroots unions")
        constraints = [
            models.CheckConstraint(condition=Q(committee_term_years__gte=1) & Q(committee_term_years__lte=5),
                                   name="union_committee_term_1_to_5_years"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("members:union_detail", kwargs={"pk": self.pk})

    @property
    def committee_term_end(self) -> datetime.date | None:
        start = self.committee_term_start
        if start is None:
            return None
        try:
            return start.replace(year=start.year + self.committee_term_years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.committee_term_years, day=28)


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff:
            return self
        return self.filter(union__chair=user)


class Enterprise(models.Model):
    class SizeBand(models.TextChoices):
        LARGE = "large", _("Large")
        MEDIUM = "medium", _("Medium")
        SMALL = "small", _("Small")
        MICRO = "micro", _("Micro")

    class Industry(models.TextChoices):
        MANUFACTURING = "manufacturing", _("Manufacturing")
        ELECTRONICS = "electronics", _("Electronics and equipment")
        SOFTWARE = "software", _("Software and IT services")
        BIOMEDICINE = "biomedicine", _("Biomedicine")
        NEW_MATERIALS = "materials", _("New materials")
        CONSTRUCTION = "construction", _("Construction")
        LOGISTICS = "logistics", _("Transport and logistics")
        TRADE = "trade", _("Wholesale and retail")
        HOSPITALITY = "hospitality", _("Hotels and catering")
        SERVICES = "services", _("Business services")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("grassroots union"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="enterprises",
        help_text=_("The union that covers this enterprise; a joint union covers several."),
    )
    size_band = models.CharField(_("size band"), max_length=10, choices=SizeBand.choices)
    is_small_micro = models.BooleanField(_("small or micro enterprise"), default=False)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPERATING)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:enterprise_detail", kwargs={"pk": self.pk})

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff:
            return self
        return self.filter(union__chair=user)

    def active(self):
        return self.filter(status__in=Member.ACTIVE_STATUSES)


class Member(models.Model):
    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Education(models.TextChoices):
        JUNIOR_HIGH = "junior_high", _("Junior high school or below")
        SENIOR_HIGH = "senior_high", _("Senior high / secondary vocational")
        JUNIOR_COLLEGE = "junior_college", _("Junior college (大专)")
        BACHELOR = "bachelor", _("Bachelor's degree")
        MASTER = "master", _("Master's degree")
        DOCTORATE = "doctorate", _("Doctorate")

    class PoliticalStatus(models.TextChoices):
        CPC = "cpc", _("CPC member")
        CPC_PROBATIONARY = "cpc_probationary", _("Probationary CPC member")
        CYL = "cyl", _("Communist Youth League member")
        OTHER_PARTY = "other_party", _("Member of another party")
        MASSES = "masses", _("Ordinary citizen")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RETAINED = "retained", _("Membership retained")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        STRUCK_OFF = "struck_off", _("Struck off")

    # A retained membership (保留会籍) is still a membership: one per ID number with either.
    ACTIVE_STATUSES = (Status.ACTIVE, Status.RETAINED)

    name = models.CharField(_("Name"), max_length=50)
    id_number = models.CharField(_("resident ID number"), max_length=18, db_index=True)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    phone = models.CharField(_("mobile"), max_length=11, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    political_status = models.CharField(_("political status"), max_length=20,
                                        choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="members")
    # No index of its own: member_union_name_idx starts with union and serves its lookups.
    union = models.ForeignKey(GrassrootsUnion, verbose_name=_("grassroots union"), on_delete=models.PROTECT,
                              related_name="members", db_index=False)
    joined_on = models.DateField(_("join date"))
    is_migrant_worker = models.BooleanField(_("migrant worker"), default=False)
    status = models.CharField(_("membership status"), max_length=16, choices=Status.choices,
                              default=Status.ACTIVE)
    status_changed_on = models.DateField(_("status since"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        # By union then name; union_id (not union__code) so the page query walks an index, no join.
        ordering = ["union_id", "name", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [("reveal_id_number", _("Can reveal unmasked ID numbers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=Q(status__in=["active", "retained"]),
                name="one_active_membership_per_id_number",
            ),
        ]
        indexes = [
            models.Index(fields=["union", "name", "id"], name="member_union_name_idx"),
            models.Index(fields=["status"]),
            models.Index(fields=["phone"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:member_detail", kwargs={"pk": self.pk})

    def derive_from_id_number(self):
        """Birth date and sex come from the ID number; they are never typed twice."""
        self.birth_date = birth_date_from_id(self.id_number)
        self.sex = sex_from_id(self.id_number)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_active_member(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def age_on(self, day: datetime.date) -> int:
        """Age in whole years, exact to the day (a person born on 29 February ages on 1 March)."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class MembershipEvent(models.Model):
    """The dated history of a membership: each change of status, with who recorded it."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        TRANSFERRED_IN = "transferred_in", _("Transferred in")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        RETAINED = "retained", _("Membership retained")
        RESTORED = "restored", _("Membership restored")
        WITHDREW = "withdrew", _("Withdrew")
        STRUCK_OFF = "struck_off", _("Struck off")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    on = models.DateField(_("date"))
    union = models.ForeignKey(GrassrootsUnion, verbose_name=_("grassroots union"), on_delete=models.PROTECT,
                              related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")

    def __str__(self):
        return f"{self.on} {self.get_kind_display()}"
