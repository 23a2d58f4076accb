"""English keeps Django's own formats; this module exists so FORMAT_MODULE_PATH finds both languages."""

from django.conf.locale.en.formats import *  # noqa: F403
