from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Office meetings")
    # Collected by the core (unionhub.contributions): where its pages hang in the URL tree, and its menu entries.
    url_includes = (("meetings/", "meetings.urls"),)
    nav_template = "meetings/nav.html"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import AgendaItem, Meeting, Task

        auditlog.register(Meeting, m2m_fields={"attendees"})
        auditlog.register(AgendaItem)
        auditlog.register(Task)
