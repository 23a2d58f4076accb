from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_duty_groups(sender, **kwargs):
    from .duties import ensure_duty_groups

    ensure_duty_groups()


class UnionhubConfig(AppConfig):
    name = "unionhub"
    verbose_name = _("UnionHub")

    def ready(self):
        from auditlog.registry import auditlog
        from django.urls import register_converter

        from .params import YearConverter

        # Before any URLconf is read: ``<year:year>`` in the apps' paths.
        register_converter(YearConverter, "year")

        from .models import CalendarDay, NoticePreference, Rule, RuleVersion, SignInLink, WeComGroup

        auditlog.register(CalendarDay)
        auditlog.register(Rule)
        auditlog.register(RuleVersion, exclude_fields=["text", "search_text"])
        # Who issued which link, when it was used or withdrawn; never the token digest.
        auditlog.register(SignInLink, exclude_fields=["token_hash"])
        # Who routes notices where: a user's channels, the WeCom groups (never the robot's webhook key).
        auditlog.register(NoticePreference)
        auditlog.register(WeComGroup, exclude_fields=["webhook_url"])
        # After the last app migrates, so that every permission exists.
        post_migrate.connect(_ensure_duty_groups, dispatch_uid="unionhub.duty_groups")
        # What each programme contributes (roles, dashboard panels, report sections, demo steps): the core
        # imports no programme, it collects what they register (see contributions.py).
        from .contributions import autodiscover

        autodiscover()
