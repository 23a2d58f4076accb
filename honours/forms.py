"""The forms of the honours pages: award types with their criteria, rounds, nominations (whose nominee
fields follow the award's kind), scores, the committee's decision, the public notice and the filters
of the honours list."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from associations.models import Association
from members.models import Area, Enterprise, GrassrootsUnion, Member
from members.validators import clean_resident_id
from unionhub.forms import (
    BoundedDateField,
    BoundedDecimalField,
    BoundedIntegerField,
    BoundedModelForm,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    bounded_formfield,
)
from unionhub.uploads import DOCUMENTS, DocumentField, PolicyFileField

from . import permissions, services
from .models import (
    FEDERATION_AWARD_YEARS,
    AwardCriterion,
    AwardLevel,
    AwardRound,
    AwardType,
    FederationAward,
    HonourNomination,
    NomineeKind,
    Team,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AwardTypeForm(BoundedModelForm):
    class Meta:
        model = AwardType
        fields = ["name", "level", "nominee_kind", "tier", "criteria", "active"]
        widgets = {"criteria": forms.Textarea(attrs={"rows": 4})}


CriterionFormSet = forms.inlineformset_factory(
    AwardType,
    AwardCriterion,
    fields=["title", "max_points"],
    formfield_callback=bounded_formfield,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
    widgets={"max_points": forms.NumberInput(attrs={"min": 1, "max": 100})},
)


class RoundForm(forms.Form):
    award_type = SafeModelChoiceField(
        label=gettext_lazy("Award"), queryset=AwardType.objects.filter(active=True).order_by("name", "level")
    )
    year = BoundedIntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    opens_on = BoundedDateField(label=gettext_lazy("Nominations open"), widget=DATE)
    closes_on = BoundedDateField(
        label=gettext_lazy("Nominations close"),
        widget=DATE,
        help_text=gettext_lazy("Nominations are taken up to and including this day."),
    )
    quota = BoundedIntegerField(
        label=gettext_lazy("Quota"),
        min_value=1,
        max_value=2000,
        help_text=gettext_lazy(
            "The most nominations the round takes, and the most places the committee may award."
        ),
    )
    per_union_limit = BoundedIntegerField(
        label=gettext_lazy("Nominations per union"),
        min_value=1,
        max_value=2000,
        required=False,
        help_text=gettext_lazy("Leave empty for no limit per union."),
    )
    notice_working_days = BoundedIntegerField(
        label=gettext_lazy("Public notice (working days)"), min_value=1, max_value=30, initial=5
    )

    def __init__(self, *args, award_round: AwardRound | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if award_round is not None:  # the award and the year make the round: they are not edited
            del self.fields["award_type"], self.fields["year"]


class NominationForm(forms.Form):
    """The nominee fields follow the award's kind; a chair nominates from a union they chair, the staff
    for any union or, leaving the union empty, for the federation itself."""

    union = SafeModelChoiceField(
        label=gettext_lazy("Nominating union"), queryset=GrassrootsUnion.objects.none()
    )
    enterprise = SafeModelChoiceField(label=gettext_lazy("Enterprise"), queryset=Enterprise.objects.none())
    id_number = forms.CharField(
        label=gettext_lazy("Nominee's resident ID number"),
        max_length=24,
        help_text=gettext_lazy("An active member of the nominating union."),
    )
    association = SafeModelChoiceField(label=gettext_lazy("Association"), queryset=Association.objects.none())
    team = SafeModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.none(),
        help_text=gettext_lazy(
            "A team of an enterprise the nominating union covers (keep teams under Teams)."
        ),
    )
    statement = forms.CharField(
        label=gettext_lazy("Statement of achievements"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("The nominee's achievements against the award's criteria."),
    )
    evidence = DocumentField(
        label=gettext_lazy("Evidence"),
        help_text=gettext_lazy("PDF, JPEG or PNG files of at most 10 MB each."),
    )

    def __init__(self, *args, user, award_round: AwardRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.kind = user, award_round.award_type.nominee_kind
        staff = permissions.is_honours_staff(user)
        unions = (
            GrassrootsUnion.objects.all() if staff else GrassrootsUnion.objects.filter(chair=user)
        ).order_by("code")
        self.fields["union"].queryset = unions
        self.fields["union"].label_from_instance = lambda union: f"{union.code} {union.name}"
        if staff and self.kind != NomineeKind.UNION:
            self.fields["union"].required = False
            self.fields["union"].empty_label = _("— the federation nominates directly —")
        elif unions.count() == 1:
            self.fields["union"].initial = unions.first().pk
        if self.kind == NomineeKind.ASSOCIATION:
            self.fields["union"].widget = forms.HiddenInput()
            self.fields["union"].required = False
            self.fields["association"].queryset = Association.objects.filter(status=Association.Status.ACTIVE)
        else:
            del self.fields["association"]
        if self.kind == NomineeKind.ENTERPRISE:
            self.fields["enterprise"].queryset = (
                Enterprise.objects.visible_to(user)
                .filter(union__isnull=False)
                .select_related("union")
                .order_by("name")
            )
        else:
            del self.fields["enterprise"]
        if self.kind == NomineeKind.TEAM:
            self.fields["team"].queryset = Team.objects.visible_to(user).select_related("enterprise")
            self.fields["team"].label_from_instance = lambda team: f"{team.name} · {team.enterprise.name}"
        else:
            del self.fields["team"]
        if self.kind not in (NomineeKind.MEMBER, NomineeKind.UNION_WORKER):
            del self.fields["id_number"]
        if self.kind == NomineeKind.UNION:
            self.fields["union"].help_text = _("The union nominates itself.")

    def clean_id_number(self):
        return clean_resident_id(self.cleaned_data["id_number"])

    def clean(self):
        data = super().clean()
        if self.kind == NomineeKind.ASSOCIATION:
            data["union"] = None
            data["nominee"] = data.get("association")
        elif self.kind == NomineeKind.UNION:
            data["nominee"] = data.get("union")
        elif self.kind == NomineeKind.ENTERPRISE:
            data["nominee"] = data.get("enterprise")
        elif self.kind == NomineeKind.TEAM:
            data["nominee"] = data.get("team")
        elif data.get("id_number"):
            member = (
                Member.objects.visible_to(self.user)
                .active()
                .filter(id_number=data["id_number"])
                .select_related("union")
                .first()
            )
            if member is None:
                self.add_error("id_number", _("No active member you can see has this ID number."))
            data["nominee"] = member
        return data


class ScoreForm(forms.Form):
    """One field per criterion of the award, up to the criterion's maximum."""

    def __init__(self, *args, criteria, initial_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = BoundedDecimalField(
                label=criterion.title,
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=1,
                max_digits=5,
                initial=(initial_points or {}).get(criterion.pk),
                help_text=_("0 to %(max)d points") % {"max": criterion.max_points},
            )

    def points(self) -> dict:
        return {criterion.pk: self.cleaned_data[f"c{criterion.pk}"] for criterion in self.criteria}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    winners = SafeModelMultipleChoiceField(
        label=gettext_lazy("Winners"),
        required=False,
        queryset=HonourNomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Committee decision"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The meeting, its members and its reasons."),
    )

    def __init__(self, *args, award_round: AwardRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winners"].queryset = award_round.nominations.filter(
            status__in=services.CANDIDATE_STATUSES
        ).order_by("-score", "pk")
        self.fields["winners"].label_from_instance = lambda n: (
            f"{n.nominee_name} · {n.union.name if n.union_id else _('the federation')}"
            + (f" · {n.score}" if n.score is not None else "")
        )


class NoticeForm(forms.Form):
    start = BoundedDateField(
        label=gettext_lazy("Notice from"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Left blank: the first working day from today."),
    )


class HonourFilter(forms.Form):
    year = BoundedIntegerField(label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100)
    level = forms.TypedChoiceField(
        label=gettext_lazy("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("All")), *AwardLevel.choices],
    )
    award_type = SafeModelChoiceField(
        label=gettext_lazy("Award"), required=False, queryset=AwardType.objects.order_by("name", "level")
    )
    area = SafeModelChoiceField(label=gettext_lazy("Grid area"), required=False, queryset=Area.objects.all())

    def filter(self, honours):
        data = self.cleaned_data
        if data.get("year"):
            honours = honours.filter(nomination__round__year=data["year"])
        if data.get("level"):
            honours = honours.filter(nomination__round__award_type__level=data["level"])
        if data.get("award_type"):
            honours = honours.filter(nomination__round__award_type=data["award_type"])
        if data.get("area"):
            area = data["area"]
            honours = honours.filter(
                Q(nomination__union__area=area)
                | Q(nomination__nominee_union__area=area)
                | Q(nomination__nominee_enterprise__union__area=area)
                | Q(nomination__nominee_member__union__area=area)
                | Q(nomination__nominee_team__enterprise__union__area=area)
            )
        return honours


# --- teams -------------------------------------------------------------------------------------------


class TeamForm(forms.Form):
    """A new team names its enterprise (one the user may keep teams of); its leader and members are chosen
    among the enterprise's active members, once it exists."""

    enterprise = SafeModelChoiceField(label=gettext_lazy("Enterprise"), queryset=Enterprise.objects.none())
    name = forms.CharField(
        label=gettext_lazy("Team name"),
        max_length=100,
        help_text=gettext_lazy("As the enterprise calls it, e.g. 装配车间一班."),
    )
    leader = SafeModelChoiceField(
        label=gettext_lazy("Team leader"), required=False, queryset=Member.objects.none()
    )
    members = SafeModelMultipleChoiceField(
        label=gettext_lazy("Team members"),
        required=False,
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "scroll-choices"}),
        help_text=gettext_lazy("Active members of the union at this enterprise; the leader is one of them."),
    )

    def __init__(self, *args, user, team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if team is None:
            enterprises = Enterprise.objects.filter(union__isnull=False)
            if not permissions.is_honours_staff(user):
                enterprises = enterprises.filter(union__chair=user)
            self.fields["enterprise"].queryset = enterprises.select_related("union").order_by("name")
            del self.fields["leader"], self.fields["members"]
            return
        del self.fields["enterprise"]
        # The team's members first, then the enterprise's other active members, in a scrolling list.
        chosen = team.members.through.objects.filter(team=team, member=OuterRef("pk"))
        people = (
            Member.objects.filter(
                Q(
                    enterprise=team.enterprise,
                    union=team.enterprise.union_id,
                    status__in=Member.ACTIVE_STATUSES,
                )
                | Q(pk__in=team.members.values("pk"))
            )
            .annotate(chosen=Exists(chosen))
            .order_by("-chosen", "name", "pk")
        )
        self.fields["leader"].queryset = people
        self.fields["members"].queryset = people
        self.fields["leader"].label_from_instance = self.fields["members"].label_from_instance = (
            lambda member: f"{member.name}（{member.masked_phone or member.masked_id_number}）"
        )


# --- the federation's own awards -------------------------------------------------------------------------


class FederationAwardForm(BoundedModelForm):
    year = BoundedIntegerField(
        label=gettext_lazy("Year"), min_value=FEDERATION_AWARD_YEARS[0], max_value=FEDERATION_AWARD_YEARS[1]
    )

    class Meta:
        model = FederationAward
        fields = ["title", "year", "level", "awarding_body", "result", "description", "public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class FederationDocumentForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Document name"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Left blank: the file's name."),
    )
    file = PolicyFileField(
        label=gettext_lazy("File"),
        policy=DOCUMENTS,
        help_text=gettext_lazy("A PDF, JPEG or PNG file of at most 10 MB."),
    )
    public = forms.BooleanField(
        label=gettext_lazy("Public"),
        required=False,
        help_text=gettext_lazy("Shown on the public honours page (when the award is shown there too)."),
    )


class ProgrammeFilter(forms.Form):
    year = BoundedIntegerField(label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100)
