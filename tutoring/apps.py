from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TutoringConfig(AppConfig):
    name = "tutoring"
    verbose_name = _("Tutoring classes for workers' children")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("tutoring/", "tutoring.urls"), ("m/tutoring/", "tutoring.member_urls"))
    nav_template = "tutoring/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Attendance, Enrolment, Session, Tutor, TutoringClass

        auditlog.register(TutoringClass)
        auditlog.register(Tutor)
        auditlog.register(Session)
        auditlog.register(Enrolment)
        auditlog.register(Attendance)
