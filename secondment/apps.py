from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecondmentConfig(AppConfig):
    name = "secondment"
    verbose_name = _("Secondment")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("secondment/", "secondment.urls"),)
    nav_template = "secondment/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Assessment, Certificate, Course, DutyLog, Enrolment, Nomination, SecondmentTerm

        # Who approved, assessed, confirmed or issued what. Duty days themselves are generated in
        # bulk by the rota (no per-row signals); swaps record their own audit entries.
        auditlog.register(Nomination, mask_fields=["phone"])
        auditlog.register(SecondmentTerm, exclude_fields=["feed_token"])
        auditlog.register(DutyLog)
        auditlog.register(Assessment)
        auditlog.register(Course)
        auditlog.register(Enrolment)
        auditlog.register(Certificate, exclude_fields=["token"])

        from unionhub.signals import calendar_changed

        from .services.rota import on_calendar_changed

        # A schedule entered or changed moves the future duty days it turns into rest days.
        calendar_changed.connect(on_calendar_changed, dispatch_uid="secondment.follow_calendar")
