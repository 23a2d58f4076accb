"""Audits run no background work: overdue rectifications are found when the dashboards are drawn (the
to-do items of ``dashboard.py`` read the deadline against the day), so nothing needs a schedule, and the
notices to chairs are sent by the services when a rectification is made or sent back."""
