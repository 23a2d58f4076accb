from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecondmentConfig(AppConfig):
    name = "secondment"
    verbose_name = _("Secondment")
