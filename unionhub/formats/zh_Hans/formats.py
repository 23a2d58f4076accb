"""Number formats for the Chinese interface: Django's zh_Hans has no thousands separator and groups by
four; the federation's money figures (工会经费, 救助金) read as finance offices write them —
comma every three digits: ¥52,101,546.00. Dates and times keep Django's own zh_Hans formats."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
