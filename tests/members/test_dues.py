"""Dues: periods and due dates, the arithmetic, the upload flow (check → preview → commit),
idempotent re-upload, atomicity, remittances and their split, arrears, reminders, access."""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from members.dues_sheet import expected_dues
from members.models import DuesLine, DuesPeriod, DuesRate, DuesUpload, Member, Remittance
from members.periods import parse_period
from members.services import dues
from tests.factories import TODAY, make_id
from unionhub.models import Notice


class TestPeriods:
    @pytest.mark.parametrize(
        "label, start, end, nominal_due",
        [
            ("2026-10", "2026-10-01", "2026-10-31", "2026-11-15"),
            ("2026-02", "2026-02-01", "2026-02-28", "2026-03-15"),
            ("2026-Q3", "2026-07-01", "2026-09-30", "2026-10-15"),
            ("2026-H1", "2026-01-01", "2026-06-30", "2026-07-15"),
            ("2026-H2", "2026-07-01", "2026-12-31", "2027-01-15"),
            ("2026", "2026-01-01", "2026-12-31", "2027-01-15"),
        ],
    )
    def test_spans_and_due_dates(self, label, start, end, nominal_due):
        period = parse_period(label)
        assert (str(period.start), str(period.end), str(period.nominal_due_date)) == (start, end, nominal_due)

    def test_due_date_moves_past_a_weekend_or_holiday(self, db):
        assert parse_period("2026-10").due_date() == datetime.date(2026, 11, 16)  # 15 November is a Sunday
        assert parse_period("2026-Q3").due_date() == datetime.date(2026, 10, 15)  # a Thursday

    @pytest.mark.parametrize("bad", ["2026-13", "2026-Q5", "2026-H3", "26-10", "", "next month"])
    def test_bad_period_is_explained(self, bad):
        with pytest.raises(ValueError, match="2026-Q3"):
            parse_period(bad)


class TestArithmetic:
    @pytest.mark.parametrize(
        "wage, dues_amount",
        [
            ("5678.90", "28.35"),  # floored to 5,670
            ("9.99", "0.00"),  # below 10 yuan: nothing
            ("10", "0.05"),
            ("3333", "16.65"),  # 3,330 × 0.5%
            ("12345.67", "61.70"),  # 12,340 × 0.5%
        ],
    )
    def test_member_dues_ignore_the_part_below_ten_yuan(self, wage, dues_amount):
        assert expected_dues(Decimal(wage), Decimal("0.005")) == Decimal(dues_amount)

    def test_rates_have_effective_dates(self, db):
        assert DuesRate.rate_on("union_funds", datetime.date(2026, 1, 1)) == Decimal("0.0200")
        DuesRate.objects.create(
            kind="union_funds", rate=Decimal("0.0150"), effective_from=datetime.date(2027, 1, 1)
        )
        assert DuesRate.rate_on("union_funds", datetime.date(2026, 12, 31)) == Decimal("0.0200")
        assert DuesRate.rate_on("union_funds", datetime.date(2027, 1, 1)) == Decimal("0.0150")


def run_import_dues(*args) -> tuple[int, str, str]:
    """``manage.py import_dues`` as a chair's office would run it: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_dues", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def sheet_csv(rows, header=("姓名", "身份证号码", "手机号", "月工资基数", "会费")) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def sheet_xlsx(rows, header=("姓名", "身份证号", "月工资")) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["某某公司2026年10月工会会费缴纳表"])
    sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    sheet.append(["合计", "", sum(Decimal(str(r[2])) for r in rows)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def roster(member_a, register, enterprise_a):
    """Union A: 王小明 (member_a) and 陈静."""
    return [member_a, register(enterprise_a, name="陈静", id_number=make_id("19920202", sex="F"))]


class TestUploadFlow:
    def test_valid_sheet_previews_then_commits_everything_at_once(
        self, chair_a, union_a, roster, upload_sheet, commit
    ):
        newcomer = make_id("20000101")
        data = sheet_csv(
            [
                ["王小明", roster[0].id_number, "", "6,000", "30.00"],
                ["赵新", newcomer, "13600001234", "¥4,500.50", ""],
            ]
        )
        upload = upload_sheet(chair_a, union_a, data)
        upload.refresh_from_db()
        assert upload.status == "valid"
        assert (
            upload.summary["matched"] == 1 and upload.summary["new"] == 1 and upload.summary["missing"] == 1
        )
        assert upload.summary["missing_names"] == ["陈静"]
        assert Decimal(upload.summary["payroll_total"]) == Decimal("10500.50")
        assert Decimal(upload.summary["funds_due"]) == Decimal("210.01")  # 2% of 10,500.50
        assert Decimal(upload.summary["dues_due"]) == Decimal("52.50")  # 30.00 + 22.50
        assert not Member.objects.filter(id_number=newcomer).exists()  # preview writes nothing

        commit(chair_a, upload)
        upload.refresh_from_db()
        assert upload.status == "committed"
        member = Member.objects.get(id_number=newcomer)
        assert member.added_by_upload == upload and member.union == union_a and member.phone == "13600001234"
        assert member.events.get().note.startswith("由会费表")
        assert (member.birth_date, member.sex, member.created_at.tzinfo is not None) == (
            datetime.date(2000, 1, 1),
            "M",
            True,
        )
        line = DuesLine.objects.get(member=member)
        assert (line.wage, line.dues_due, line.dues_paid) == (Decimal("4500.50"), Decimal("22.50"), None)
        assert DuesLine.objects.filter(upload=upload).count() == 2
        period = DuesPeriod.objects.get(union=union_a, label="2026-10")
        assert period.funds_due == Decimal("210.01") and period.declared_upload == upload
        assert Member.objects.filter(name="陈静", status="active").exists()  # missing ≠ deleted

    def test_quarterly_period_multiplies_the_monthly_payroll(self, chair_a, union_a, roster, upload_sheet):
        upload = upload_sheet(
            chair_a, union_a, sheet_csv([["王小明", roster[0].id_number, "", "5000", ""]]), period="2026-Q3"
        )
        upload.refresh_from_db()
        assert Decimal(upload.summary["funds_due"]) == Decimal("300.00")  # 5,000 × 2% × 3

    def test_one_bad_row_writes_nothing(self, chair_a, union_a, roster, upload_sheet, commit):
        data = sheet_csv(
            [["赵新", make_id("20000101"), "", "4500", ""], ["钱多", "330481197001011238", "", "4500", ""]]
        )
        upload = upload_sheet(chair_a, union_a, data)
        upload.refresh_from_db()
        assert upload.status == "invalid" and upload.error_count == 1
        commit(chair_a, upload)
        assert not Member.objects.filter(name="赵新").exists()
        assert not DuesLine.objects.exists()
        assert DuesUpload.objects.get(pk=upload.pk).status == "invalid"

    def test_same_file_again_changes_nothing(self, chair_a, union_a, roster, upload_sheet, commit):
        data = sheet_csv([["王小明", roster[0].id_number, "", "6000", ""]])
        first = upload_sheet(chair_a, union_a, data)
        commit(chair_a, first)
        again = upload_sheet(chair_a, union_a, data)
        assert again.pk == first.pk and DuesUpload.objects.count() == 1
        assert DuesLine.objects.count() == 1

    def test_second_file_needs_an_explicit_replace_and_keeps_history(
        self, chair_a, union_a, roster, upload_sheet, commit
    ):
        first = upload_sheet(chair_a, union_a, sheet_csv([["王小明", roster[0].id_number, "", "6000", ""]]))
        commit(chair_a, first)
        second_data = sheet_csv([["王小明", roster[0].id_number, "", "7000", ""]])
        second = upload_sheet(chair_a, union_a, second_data)  # checked and previewed like any sheet…
        with pytest.raises(ValidationError, match="replace"):
            commit(chair_a, second)  # …but committed over a declaration only by explicit choice
        second = upload_sheet(chair_a, union_a, second_data, replace=True)
        commit(chair_a, second)
        period = DuesPeriod.objects.get(union=union_a, label="2026-10")
        assert period.funds_due == Decimal("140.00") and period.declared_upload_id == second.pk
        assert DuesUpload.objects.get(pk=first.pk).status == "replaced"

    def test_member_of_another_union_is_a_transfer_in(self, chair_a, union_a, roster, member_b, upload_sheet):
        upload = upload_sheet(chair_a, union_a, sheet_csv([["李小红", member_b.id_number, "", "5000", ""]]))
        upload.refresh_from_db()
        # A job changer (tests/members/test_transfers.py): not an error, the preview says from where.
        assert upload.status == "valid" and upload.summary["transfers"] == 1 and upload.summary["new"] == 0

    def test_joint_union_new_member_needs_an_enterprise(
        self, chair_b, union_b, enterprise_b, member_b, upload_sheet
    ):
        from members.models import Enterprise
        from tests.factories import make_credit_code

        Enterprise.objects.create(
            name="丁物流有限公司",
            credit_code=make_credit_code(9),
            union=union_b,
            size_band="small",
            industry="logistics",
        )
        upload = upload_sheet(
            chair_b,
            union_b,
            sheet_csv(
                [["新人", make_id("19990909"), "", "5000", "", ""]],
                header=("姓名", "身份证号", "手机", "工资", "会费", "所在企业"),
            ),
        )
        upload.refresh_from_db()
        assert upload.status == "invalid"
        ok = upload_sheet(
            chair_b,
            union_b,
            sheet_csv(
                [["新人", make_id("19990909"), "", "5000", "", "丁物流有限公司"]],
                header=("姓名", "身份证号", "手机", "工资", "会费", "所在企业"),
            ),
        )
        ok.refresh_from_db()
        assert ok.status == "valid" and ok.summary["new"] == 1

    def test_unreadable_file_is_reported_not_raised(self, chair_a, union_a, roster, upload_sheet):
        upload = upload_sheet(chair_a, union_a, b"%PDF-1.4 not a sheet", name="dues.xlsx")
        upload.refresh_from_db()
        assert upload.status == "unreadable" and "PDF" in upload.message

    def test_xlsx_with_title_and_totals_rows(self, chair_a, union_a, roster, upload_sheet):
        data = sheet_xlsx([["王小明", roster[0].id_number, 6000], ["陈静", roster[1].id_number, 5000]])
        upload = upload_sheet(chair_a, union_a, data, name="会费.xlsx")
        upload.refresh_from_db()
        assert upload.status == "valid" and upload.summary["rows"] == 2 and upload.summary["matched"] == 2


class TestCommand:
    def _write(self, tmp_path, data, name="dues.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    def _run(self, *args):
        return run_import_dues(*args)

    def test_valid_file_exit_0_and_commit_only_with_flag(self, tmp_path, union_a, roster):
        path = self._write(
            tmp_path,
            sheet_csv(
                [
                    ["王小明", roster[0].id_number, "", "6000", ""],
                    ["新人", make_id("19990909"), "", "5000", ""],
                ]
            ),
        )
        code, out, _err = self._run(path, "--union", "HN001", "--period", "2026-10")
        assert code == 0 and "rows: 2" in out and "errors: 0" in out
        assert not DuesUpload.objects.exists()
        code, out, _err = self._run(path, "--union", "HN001", "--period", "2026-10", "--commit")
        assert code == 0 and "committed" in out
        assert Member.objects.filter(name="新人").exists()
        code, out, _err = self._run(path, "--union", "HN001", "--period", "2026-10", "--commit")
        assert code == 0 and "nothing changed" in out and DuesUpload.objects.count() == 1

    def test_row_errors_exit_1_one_line_each(self, tmp_path, union_a, roster):
        path = self._write(
            tmp_path,
            sheet_csv(
                [["", roster[0].id_number, "", "6000", ""], ["钱多", "330481197001011238", "", "abc", ""]]
            ),
        )
        code, out, _err = self._run(path, "--union", "HN001", "--period", "2026-10", "--commit")
        assert code == 1
        lines = [line for line in out.splitlines() if line.startswith("row ")]
        assert any(line.startswith("row 2, column 姓名:") for line in lines)
        assert any(line.startswith("row 3, column 身份证号码:") for line in lines)
        assert any(line.startswith("row 3, column 月工资基数:") for line in lines)
        assert "errors: 3" in out and not DuesUpload.objects.exists()

    def test_unreadable_file_exit_2_without_traceback(self, tmp_path, union_a):
        path = self._write(tmp_path, b"<html><table><tr><td>x</td></tr></table></html>", name="dues.xls")
        code, _out, err = self._run(path, "--union", "HN001", "--period", "2026-10")
        assert code == 2 and "HTML" in err and "Traceback" not in err

    def test_unknown_union_or_bad_period_exit_2(self, tmp_path, union_a):
        path = self._write(tmp_path, sheet_csv([]))
        assert self._run(path, "--union", "HN999", "--period", "2026-10")[0] == 2
        assert self._run(path, "--union", "HN001", "--period", "2026-13")[0] == 2


def month_before(day: datetime.date, months: int) -> str:
    """The label ("YYYY-MM") of the month ``months`` before ``day``'s."""
    index = day.year * 12 + day.month - 1 - months
    return f"{index // 12}-{index % 12 + 1:02d}"


class TestRemittancesAndArrears:
    """Payments are received on or before today: the period is half a year back, so that its due date,
    a payment after it and the three-month payment-order mark have all passed, whatever today is."""

    @pytest.fixture
    def period(self, union_a):
        return dues.get_period(union=union_a, period=parse_period(month_before(TODAY, 6)))

    def test_split_sixty_forty(self, finance_staff, period):
        remittance = dues.record_remittance(
            by=finance_staff,
            period=period,
            amount=Decimal("1000.01"),
            received_on=TODAY,
            voucher_no="SW2026-001",
            channel="tax",
        )
        assert (remittance.grassroots_share, remittance.federation_share) == (
            Decimal("600.01"),
            Decimal("400.00"),
        )

    @pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("100000000.01")])
    def test_out_of_range_amount(self, finance_staff, period, amount):
        with pytest.raises(ValidationError):
            dues.record_remittance(
                by=finance_staff,
                period=period,
                amount=amount,
                received_on=TODAY,
                voucher_no="X1",
                channel="tax",
            )
        assert not Remittance.objects.exists()

    def test_same_voucher_twice_is_refused(self, finance_staff, period):
        kwargs = {
            "by": finance_staff,
            "period": period,
            "amount": Decimal("10"),
            "received_on": TODAY,
            "voucher_no": "V-1",
            "channel": "transfer",
        }
        dues.record_remittance(**kwargs)
        with pytest.raises(ValidationError):
            dues.record_remittance(**kwargs)
        assert Remittance.objects.count() == 1

    def test_arrears_and_the_three_month_flag(self, finance_staff, period, union_a):
        DuesPeriod.objects.filter(pk=period.pk).update(funds_due=Decimal("500.00"))
        due = period.due_date  # the 15th of the next month, moved to a working day
        dues.record_remittance(
            by=finance_staff,
            period=period,
            amount=Decimal("200"),
            received_on=due + datetime.timedelta(days=3),
            voucher_no="A1",
            channel="tax",
        )
        [row] = dues.arrears(today=due + datetime.timedelta(days=1))
        assert row.outstanding == Decimal("300.00") and row.days_overdue == 1 and not row.payment_order
        three_months_on = datetime.date(*map(int, month_before(due, -3).split("-")), due.day)
        [row] = dues.arrears(today=three_months_on)
        assert row.payment_order
        dues.record_remittance(
            by=finance_staff,
            period=period,
            amount=Decimal("300"),
            received_on=three_months_on - datetime.timedelta(days=16),
            voucher_no="A2",
            channel="tax",
        )
        assert dues.arrears(today=three_months_on) == []

    def test_undeclared_period_is_in_arrears(self, period):
        [row] = dues.arrears(today=period.due_date + datetime.timedelta(days=15))
        assert row.outstanding is None

    def test_funds_received_in_a_year(self, finance_staff, period):
        dues.record_remittance(
            by=finance_staff,
            period=period,
            amount=Decimal("100"),
            received_on=TODAY,
            voucher_no="Y1",
            channel="tax",
        )
        assert (
            dues.union_funds_received(TODAY.year) == Decimal("100.00")
            and dues.union_funds_received(TODAY.year - 1) == 0
        )


class TestReminders:
    def test_a_week_before_and_once_overdue_safe_twice(
        self, union_a, chair_a, django_capture_on_commit_callbacks
    ):
        chair_a.email = "chair@example.cn"
        chair_a.save()
        period = dues.get_period(union=union_a, period=parse_period("2026-10"))  # due 2026-11-16
        with django_capture_on_commit_callbacks(execute=True):  # the e-mails go out on commit
            assert dues.send_reminders(today=datetime.date(2026, 11, 9)) == {"due_soon": 1, "overdue": 0}
            assert dues.send_reminders(today=datetime.date(2026, 11, 10)) == {"due_soon": 0, "overdue": 0}
            assert dues.send_reminders(today=datetime.date(2026, 11, 17)) == {"due_soon": 0, "overdue": 1}
            assert dues.send_reminders(today=datetime.date(2026, 11, 17)) == {"due_soon": 0, "overdue": 0}
        assert Notice.objects.filter(user=chair_a).count() == 2
        assert len(mail.outbox) == 2 and "2026-10" in mail.outbox[0].subject
        assert period.get_absolute_url() in Notice.objects.first().url

    def test_open_periods_follows_each_schedule(self, union_a, union_b):
        union_b.dues_schedule = "quarterly"
        union_b.save()
        dues.open_periods(today=datetime.date(2026, 11, 25))
        assert set(union_a.dues_periods.values_list("label", flat=True)) == {"2026-10", "2026-11"}
        assert set(union_b.dues_periods.values_list("label", flat=True)) == {"2026-Q3", "2026-Q4"}
        assert dues.open_periods(today=datetime.date(2026, 11, 25)) == 0


class TestPages:
    def test_chair_uploads_through_the_page_and_commits(
        self, client, chair_a, union_a, roster, django_capture_on_commit_callbacks
    ):
        client.force_login(chair_a)
        data = sheet_csv([["王小明", roster[0].id_number, "", "6000", ""]])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("members:dues_upload_create", args=[union_a.pk]),
                {"period": "2026-10", "file": _file("dues.csv", data)},
            )
        upload = DuesUpload.objects.get()
        assert response.status_code == 302 and response["Location"] == upload.get_absolute_url()
        page = client.get(upload.get_absolute_url()).content.decode()
        assert "¥6,000.00" in page or "6,000.00" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("members:dues_upload_commit", args=[upload.pk]))
            client.post(reverse("members:dues_upload_commit", args=[upload.pk]))  # double submit
        assert DuesLine.objects.count() == 1

    def test_member_page_lists_the_committed_lines_not_the_replaced_ones(
        self, client, chair_a, chair_b, union_a, union_b, roster, upload_sheet, commit
    ):
        first = upload_sheet(chair_a, union_a, sheet_csv([["王小明", roster[0].id_number, "", "6000", ""]]))
        commit(chair_a, first)
        second = upload_sheet(
            chair_a, union_a, sheet_csv([["王小明", roster[0].id_number, "", "7000", "35"]]), replace=True
        )
        commit(chair_a, second)
        client.force_login(chair_a)
        page = client.get(roster[0].get_absolute_url()).content.decode()
        assert "¥7,000.00" in page and "¥35.00" in page and "¥6,000.00" not in page
        client.force_login(chair_b)  # another union's chair: the member page is out of scope
        assert client.get(roster[0].get_absolute_url()).status_code == 404

    @pytest.mark.parametrize(
        ("name", "content", "says"),
        [
            ("dues.xls", b"<html><body><table><tr><td>x</td></tr></table></body></html>", "web page (HTML)"),
            ("evil.html", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "picture"),
            ("dues.xlsx", b"%PDF-1.4 not a sheet", "PDF"),
            ("dues.xlsx", b"MZ\x90\x00\x03" + b"\0" * 40, "Unrecognised file format"),
            ("dues.csv", b"", "empty"),
        ],
    )
    def test_the_page_refuses_what_is_not_a_sheet_and_stores_nothing(
        self, client, chair_a, union_a, english, settings, tmp_path, name, content, says
    ):
        """The upload policy for sheets (issue 17): .xlsx, .xls or CSV by content, explained as the sheet
        reader would; nothing is stored."""
        settings.MEDIA_ROOT = tmp_path
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(chair_a)
        response = client.post(
            reverse("members:dues_upload_create", args=[union_a.pk]),
            {"period": "2026-10", "file": _file(name, content)},
        )
        assert response.status_code == 200 and says in response.content.decode()
        assert not DuesUpload.objects.exists() and not list(tmp_path.rglob("*.*"))

    def test_a_sheet_is_stored_under_a_random_name_with_the_extension_of_its_content(
        self, client, chair_a, union_a, roster, settings, tmp_path, django_capture_on_commit_callbacks
    ):
        settings.MEDIA_ROOT = tmp_path
        client.force_login(chair_a)
        data = sheet_csv([["王小明", roster[0].id_number, "", "6000", ""]])
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("members:dues_upload_create", args=[union_a.pk]),
                {"period": "2026-10", "file": _file(f"{roster[0].id_number}.xls", data)},  # a CSV named .xls
            )
        upload = DuesUpload.objects.get()
        assert re.fullmatch(r"dues/\d{4}/\d{2}/[A-Za-z0-9_-]{22}\.csv", upload.file.name)
        assert upload.status == "valid" and roster[0].id_number not in upload.file.name

    def test_chair_cannot_reach_another_unions_upload_page(self, client, chair_a, union_a, union_b):
        client.force_login(chair_a)
        assert client.get(reverse("members:union_dues", args=[union_b.pk])).status_code == 404
        assert client.post(reverse("members:dues_upload_create", args=[union_b.pk]), {}).status_code == 404

    def test_errors_download_marks_the_bad_cells(self, client, chair_a, union_a, roster, upload_sheet):
        client.force_login(chair_a)
        upload = upload_sheet(chair_a, union_a, sheet_csv([["王小明", "330481197001011238", "", "6000", ""]]))
        response = client.get(reverse("members:dues_upload_errors", args=[upload.pk]))
        assert upload.__class__.objects.get(pk=upload.pk).errors_file  # made by the check, not the request
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        sheet = workbook.worksheets[0]
        assert sheet.cell(row=2, column=2).comment is not None

    def test_finance_staff_record_a_payment_chairs_cannot(self, client, finance_staff, chair_a, union_a):
        period = dues.get_period(union=union_a, period=parse_period(month_before(TODAY, 2)))
        data = {
            "period": period.pk,
            "amount": "1200.50",
            "received_on": TODAY.isoformat(),
            "voucher_no": "SW-9",
            "channel": "tax",
        }
        client.force_login(chair_a)
        assert client.post(reverse("members:remittance_create", args=[union_a.pk]), data).status_code == 403
        client.force_login(finance_staff)
        assert client.post(reverse("members:remittance_create", args=[union_a.pk]), data).status_code == 302
        assert client.post(reverse("members:remittance_create", args=[union_a.pk]), data).status_code == 200
        assert Remittance.objects.count() == 1

    def test_overview_and_arrears_for_staff_only(self, client, staff, chair_a, union_a):
        dues.get_period(union=union_a, period=parse_period("2025-01"))
        client.force_login(staff)
        assert client.get(reverse("members:dues_overview")).status_code == 200
        body = client.get(reverse("members:arrears")).content.decode()
        assert "HN001" in body and "支付令" in body
        assert client.get(reverse("members:arrears"), {"format": "xlsx"}).status_code == 200
        client.force_login(chair_a)
        assert client.get(reverse("members:arrears")).status_code == 403
        assert client.get(reverse("members:dues_overview")).status_code == 302


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_failing_commit_releases_the_upload(chair_a, union_a, roster, monkeypatch, upload_sheet, commit):
    upload = upload_sheet(chair_a, union_a, sheet_csv([["王小明", roster[0].id_number, "", "6000", ""]]))

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(dues, "apply_plan", broken)
    with pytest.raises(RuntimeError):
        commit(chair_a, upload)
    upload.refresh_from_db()
    assert upload.status == "valid" and upload.message and not DuesLine.objects.exists()
