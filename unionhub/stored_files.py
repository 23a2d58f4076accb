"""The core's own stored files: monthly reports (staff; a chair their unions' reports, never the
district's) and the rules library's PDFs (anybody signed in, as the rule pages)."""

from .files import register_stored_file
from .models import MonthlyReport, RuleVersion


def _can_read_report(user, report: MonthlyReport) -> bool:
    if report.status != MonthlyReport.Status.READY:
        return False
    return user.is_federation_staff or (report.union_id is not None and report.union.chair_id == user.pk)


def _report_name(kind: str):
    def name(report: MonthlyReport) -> str:
        scope = report.union.code if report.union_id else "district"
        return f"{scope}-{report.month:%Y-%m}.{kind}"

    return name


register_stored_file(
    "unionhub.report_pdf", MonthlyReport, "pdf", can_read=_can_read_report, filename=_report_name("pdf")
)
register_stored_file(
    "unionhub.report_xlsx", MonthlyReport, "xlsx", can_read=_can_read_report, filename=_report_name("xlsx")
)
register_stored_file(
    "unionhub.rule_pdf", RuleVersion, "pdf", can_read=lambda user, version: user.is_authenticated
)
