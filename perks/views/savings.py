"""/perks/savings/: what the card saved members in a year, per merchant and month, with estimates
flagged where a merchant recorded nothing while its agreement was in force; an XLSX export. Staff only."""

from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.access import check_required
from unionhub.exports import neutralise, spooled, write_only_workbook

from .. import permissions
from ..forms import YearForm
from ..services.savings import Report, savings


@check_required(permissions.can_see_savings)
def savings_page(request):
    today = timezone.localdate()
    form = YearForm(request.GET if "year" in request.GET else {"year": today.year})
    year = form.cleaned_data["year"] if form.is_valid() else today.year
    report = savings(year, today=today)
    if request.GET.get("format") == "xlsx":
        return _savings_xlsx(report)
    peak = max((m.total for m in report.months), default=0) or 1
    # One bar per month, its estimated part hatched at the bottom.
    chart = [
        (
            m.month,
            m.total,
            round(m.total * 100 / peak, 1),
            round(m.estimated * 100 / m.total, 1) if m.total else 0,
        )
        for m in report.months
    ]
    return render(
        request, "perks/savings.html", {"form": form, "report": report, "year": year, "chart": chart}
    )


def _savings_xlsx(report: Report) -> FileResponse:
    workbook = write_only_workbook()
    sheet = workbook.create_sheet(_("Savings"))
    sheet.append([_("Card savings, %(year)d") % {"year": report.year}])
    sheet.append(
        [
            _(
                "Estimate: no redemptions recorded while the agreement was in force; active cards × "
                "%(amount)s yuan ÷ merchants in force that month."
            )
            % {"amount": report.per_card_month}
        ]
    )
    sheet.append([])
    sheet.append(
        [
            _("Merchant"),
            _("Month"),
            _("Redemptions"),
            _("Amount spent"),
            _("Discount given"),
            _("Saving"),
            _("Estimate"),
        ]
    )
    yes = _("estimate")
    for row in report.rows:
        for cell in row.cells:
            if not (cell.count or cell.estimated):
                continue
            sheet.append(
                [
                    neutralise(row.merchant.name),
                    f"{report.year}-{cell.month:02d}",
                    cell.count,
                    float(cell.spent),
                    float(cell.discount),
                    float(cell.saving),
                    yes if cell.estimated else "",
                ]
            )
    sheet.append([])
    sheet.append([_("Recorded"), float(report.recorded)])
    sheet.append([_("Estimated"), float(report.estimated)])
    sheet.append([_("Combined"), float(report.total)])
    sheet.append(
        [_("Federation estimate (active cards × saving per card × 12)"), float(report.federation_estimate)]
    )

    months = workbook.create_sheet(_("Months"))
    months.append(
        [
            _("Month"),
            _("Active cards"),
            _("Merchants in force"),
            _("Redemptions"),
            _("Amount spent"),
            _("Recorded"),
            _("Estimated"),
            _("Combined"),
        ]
    )
    for m in report.months:
        months.append(
            [
                f"{report.year}-{m.month:02d}",
                m.active_cards,
                m.merchants_in_force,
                m.count,
                float(m.spent),
                float(m.recorded),
                float(m.estimated),
                float(m.total),
            ]
        )

    checks = workbook.create_sheet(_("Checks"))
    checks.append([_("Merchant"), _("Valid checks"), _("Refused checks")])
    for row in report.rows:
        checks.append([neutralise(row.merchant.name), row.checks_valid, row.checks_refused])

    buffer = spooled(workbook)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"card-savings-{report.year}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
