"""Importing a federation's ledgers (台账): ``manage.py import_registry`` and the service behind it."""

import datetime
import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from members.ledger import ENTERPRISES, MEMBERS, UNIONS, LedgerFile, parse_date, read_ledger
from members.ledger_sample import HEADERS, synthetic_rows, template_workbook, write_ledger
from members.models import Enterprise, GrassrootsUnion, Member, MembershipEvent, RegistryImport
from members.services import ledger as ledger_services
from tests.factories import make_credit_code, make_id

pytestmark = pytest.mark.django_db


def credit(n: int) -> str:
    return make_credit_code(700 + n)


def small_ledger() -> dict:
    """Two unions, three enterprises, four members: HN101 covers one enterprise, HN102 two."""
    return {
        UNIONS: [
            ["HN101", "丙公司工会", "2012-03-01", "陈主席", "13700000001", "2023-06-01", 5, "按月", ""],
            ["HN102", "丁联合工会", datetime.date(2016, 7, 1), "周主席", "13700000002", "", 3, "季度", ""],
        ],
        ENTERPRISES: [
            [credit(1), "丙精工有限公司", "中型", "制造业", "丙路1号", "HN101"],
            [credit(2), "丁软件有限公司", "小型", "软件", "丁路2号", "HN102"],
            [credit(3), "丁物流有限公司", "微型", "物流", "", "HN102"],
        ],
        MEMBERS: [
            [
                "HN101",
                "王一",
                make_id("19900101", seq=11),
                "13911110001",
                "",
                "2020-01-01",
                "否",
                "本科",
                "群众",
            ],
            [
                "HN101",
                "王二",
                make_id("19910101", seq=12, sex="F"),
                "",
                "丙精工有限公司",
                "2021/5/1",
                "是",
                "",
                "",
            ],
            [
                "HN102",
                "王三",
                make_id("19920101", seq=13),
                "",
                "丁软件有限公司",
                "2019年3月1日",
                "",
                "大专",
                "党员",
            ],
            [
                "HN102",
                "王四",
                make_id("19930101", seq=15),
                "13911110004",
                credit(3),
                "2022-02-02",
                "否",
                "高中",
                "团员",
            ],
        ],
    }


def write(tmp_path, rows=None, name="台账.xlsx", data=None):
    path = tmp_path / name
    path.write_bytes(data if data is not None else write_ledger(rows or small_ledger()))
    return str(path)


def run(*args, expect=0):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_registry", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    assert code == expect, out.getvalue() + err.getvalue()
    return out.getvalue() + err.getvalue()


def lines(output: str) -> list[str]:
    return output.splitlines()


# --- happy path, re-import, corrections --------------------------------------------------------------


def test_dry_run_saves_nothing(tmp_path):
    output = run(write(tmp_path))
    assert lines(output)[:7] == [
        "unions: 2",
        "  created 2, updated 0, unchanged 0",
        "enterprises: 3",
        "  created 3, updated 0, unchanged 0",
        "members: 4",
        "  created 4, updated 0, unchanged 0",
        "errors: 0",
    ]
    assert not GrassrootsUnion.objects.exists() and not Member.objects.exists()


def test_commit_creates_the_registry_the_chairs_and_the_history(tmp_path):
    run(write(tmp_path), "--commit")
    union = GrassrootsUnion.objects.get(code="HN102")
    assert union.kind == GrassrootsUnion.Kind.JOINT  # it covers two enterprises
    assert union.dues_schedule == "quarterly" and union.committee_term_years == 3
    assert union.founded_on == datetime.date(2016, 7, 1)
    chair = union.chair
    assert (chair.username, chair.name, chair.phone) == ("13700000002", "周主席", "13700000002")
    assert not chair.has_usable_password()
    assert Enterprise.objects.get(credit_code=credit(2)).is_small_micro
    first = Member.objects.get(name="王一")
    assert first.enterprise.credit_code == credit(1)  # the union's only enterprise
    assert first.birth_date == datetime.date(1990, 1, 1) and first.sex == "M"
    third = Member.objects.get(name="王三")
    assert (third.joined_on, third.political_status, third.education) == (
        datetime.date(2019, 3, 1),
        "cpc",
        "junior_college",
    )
    assert Member.objects.get(name="王二").is_migrant_worker
    assert MembershipEvent.objects.filter(kind="joined").count() == 4
    record = RegistryImport.objects.get()
    assert record.status == RegistryImport.Status.COMMITTED
    assert LogEntry.objects.get_for_object(record).filter(action=LogEntry.Action.UPDATE).exists()
    assert LogEntry.objects.get_for_object(union).filter(action=LogEntry.Action.CREATE).exists()


def test_reimporting_the_same_ledger_changes_nothing(tmp_path):
    path = write(tmp_path)
    run(path, "--commit")
    output = run(path, "--commit")
    assert "  created 0, updated 0, unchanged 2" in lines(output)
    assert "  created 0, updated 0, unchanged 3" in lines(output)
    assert "  created 0, updated 0, unchanged 4" in lines(output)
    assert Member.objects.count() == 4 and MembershipEvent.objects.count() == 4


def test_a_corrected_ledger_updates_in_place_with_the_audit_trail(tmp_path):
    run(write(tmp_path), "--commit")
    rows = small_ledger()
    rows[UNIONS][0][1] = "丙公司工会委员会"
    rows[MEMBERS][0][3] = "13911119999"
    rows[MEMBERS][1][4] = "丙精工有限公司"
    output = run(write(tmp_path, rows, name="改.xlsx"), "--commit")
    assert lines(output)[:2] == ["unions: 2", "  created 0, updated 1, unchanged 1"]
    assert "  created 0, updated 1, unchanged 3" in lines(output)
    union = GrassrootsUnion.objects.get(code="HN101")
    assert union.name == "丙公司工会委员会"
    entry = LogEntry.objects.get_for_object(union).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["name"] == ["丙公司工会", "丙公司工会委员会"]
    member = Member.objects.get(name="王一")
    assert member.phone == "13911119999"
    assert LogEntry.objects.get_for_object(member).filter(action=LogEntry.Action.UPDATE).exists()


def test_members_no_longer_listed_are_reported_not_ended(tmp_path):
    run(write(tmp_path), "--commit")
    rows = small_ledger()
    del rows[MEMBERS][3]
    output = run(write(tmp_path, rows, name="少.xlsx"), "--commit")
    assert "members not in the ledger (reported, not changed): 1" in lines(output)
    assert any("王四" in line for line in lines(output))
    assert Member.objects.get(name="王四").status == Member.Status.ACTIVE


def test_blank_cells_do_not_erase(tmp_path):
    run(write(tmp_path), "--commit")
    rows = small_ledger()
    rows[MEMBERS][0][3] = ""  # the mobile left out
    output = run(write(tmp_path, rows, name="空.xlsx"))
    assert "  created 0, updated 0, unchanged 4" in lines(output)


# --- chairs ------------------------------------------------------------------------------------------


def test_one_person_chairing_two_unions_has_one_account(tmp_path):
    rows = small_ledger()
    rows[UNIONS][1][3:5] = ["陈主席", "13700000001"]
    run(write(tmp_path, rows), "--commit")
    assert GrassrootsUnion.objects.get(code="HN101").chair == GrassrootsUnion.objects.get(code="HN102").chair


def test_an_existing_user_with_that_mobile_becomes_the_chair(tmp_path, make_user):
    user = make_user("someone", phone="13700000001")
    run(write(tmp_path), "--commit")
    assert GrassrootsUnion.objects.get(code="HN101").chair == user
    assert user.check_password("pw-someone")  # the existing account is left as it is


def test_a_different_chair_is_reported_and_applied_on_commit(tmp_path, union_a, chair_a):
    rows = small_ledger()
    rows[UNIONS].append(["HN001", "甲公司工会委员会", "2010-05-01", "新主席", "13700000009", "", "", "", ""])
    rows[ENTERPRISES].append([credit(9), "甲新公司", "大型", "", "", "HN001"])
    output = run(write(tmp_path, rows))
    assert "chair change: HN001 甲公司工会委员会: 张主席 → 新主席" in lines(output)
    run(write(tmp_path, rows), "--commit")
    union_a.refresh_from_db()
    assert union_a.chair.username == "13700000009" and union_a.chair != chair_a
    assert LogEntry.objects.get_for_object(union_a).filter(action=LogEntry.Action.UPDATE).exists()


# --- every error, with its line -------------------------------------------------------------------------


def error_lines(tmp_path, rows, **kwargs) -> list[str]:
    output = run(write(tmp_path, rows, **kwargs), "--commit", expect=1)
    assert not GrassrootsUnion.objects.filter(code__in=["HN101", "HN102"]).exists()  # nothing saved
    return [line for line in lines(output) if line.startswith("sheet ")]


@pytest.mark.parametrize(
    ("kind", "index", "column", "value", "expected"),
    [
        (
            ENTERPRISES,
            0,
            0,
            credit(1)[:-1] + ("0" if credit(1)[-1] != "0" else "1"),
            "sheet 单位, row 3, column 统一社会信用代码: The check character of the unified social credit code is wrong.",
        ),
        (
            MEMBERS,
            0,
            2,
            make_id("19900101", seq=11)[:-1] + "0" if make_id("19900101", seq=11)[-1] != "0" else "1",
            "sheet 会员, row 3, column 身份证号码: ",
        ),
        (
            MEMBERS,
            0,
            2,
            330481199001011000.0,
            "sheet 会员, row 3, column 身份证号码: Excel has stored this ID number as a number",
        ),
        (
            MEMBERS,
            0,
            5,
            "去年",
            "sheet 会员, row 3, column 入会日期: “去年” is not a date; write it as 2020-05-01.",
        ),
        (MEMBERS, 0, 7, "小学毕业", "sheet 会员, row 3, column 学历: “小学毕业” is not one of:"),
        (
            MEMBERS,
            0,
            3,
            "1391111",
            "sheet 会员, row 3, column 手机号码: A mobile number has 11 digits and starts with 13–19.",
        ),
        (
            MEMBERS,
            0,
            0,
            "HN999",
            "sheet 会员, row 3, column 工会代码: Union code HN999 is neither in the unions sheet nor in the registry.",
        ),
        (
            ENTERPRISES,
            2,
            5,
            "HN999",
            "sheet 单位, row 5, column 工会代码: Union code HN999 is neither in the unions sheet nor in the registry.",
        ),
        (
            MEMBERS,
            2,
            4,
            "戊公司",
            "sheet 会员, row 5, column 所在企业: Union HN102 covers no enterprise “戊公司” (in the enterprises sheet or the registry).",
        ),
        (
            MEMBERS,
            2,
            4,
            "",
            "sheet 会员, row 5, column 所在企业: Union HN102 covers several enterprises: name the member's enterprise.",
        ),
        (UNIONS, 0, 2, "", "sheet 工会, row 3, column 成立日期: This cell is empty; it is required."),
        (
            UNIONS,
            0,
            6,
            8,
            "sheet 工会, row 3, column 届期年限: The committee term is a whole number of years from 1 to 5.",
        ),
        (
            UNIONS,
            0,
            6,
            "²",  # str.isdigit accepts it, int() does not
            "sheet 工会, row 3, column 届期年限: The committee term is a whole number of years from 1 to 5.",
        ),
        (UNIONS, 0, 8, "北区", "sheet 工会, row 3, column 网格: There is no grid area “北区”"),
    ],
)
def test_row_errors(tmp_path, english, kind, index, column, value, expected):
    rows = small_ledger()
    rows[kind][index][column] = value
    found = error_lines(tmp_path, rows)
    assert any(line.startswith(expected) for line in found), found


def test_an_enterprise_claimed_by_two_unions(tmp_path, english):
    rows = small_ledger()
    rows[ENTERPRISES].append([credit(1), "丙精工有限公司", "中型", "", "", "HN102"])
    assert error_lines(tmp_path, rows) == [
        "sheet 单位, row 6, column 统一社会信用代码: This enterprise is claimed by two unions: HN102 here and HN101 on sheet 单位 row 3."
    ]


def test_the_same_person_twice_and_on_two_rosters(tmp_path, english):
    rows = small_ledger()
    rows[MEMBERS].append(["HN101", "王一", rows[MEMBERS][0][2], "", "", "2020-01-01", "", "", ""])
    rows[MEMBERS].append(["HN102", "王二", rows[MEMBERS][1][2], "", credit(2), "2020-01-01", "", "", ""])
    assert error_lines(tmp_path, rows) == [
        "sheet 会员, row 7, column 身份证号码: This person is listed twice: also on sheet 会员 row 3.",
        "sheet 会员, row 8, column 身份证号码: This person is on two unions' rosters: HN102 here and HN101 on sheet 会员 row 4.",
    ]


def test_a_member_active_in_another_union_is_an_error_never_a_move(tmp_path, english, member_a):
    rows = small_ledger()
    rows[MEMBERS][0][2] = member_a.id_number
    found = error_lines(tmp_path, rows)
    assert found == [
        "sheet 会员, row 3, column 身份证号码: This person is an active member of HN001 甲公司工会委员会 in the "
        "registry. That union records the transfer out first: the import never moves a member between unions."
    ]
    member_a.refresh_from_db()
    assert member_a.union.code == "HN001"


def test_a_union_code_twice(tmp_path, english):
    rows = small_ledger()
    rows[UNIONS].append(list(rows[UNIONS][0]))
    assert error_lines(tmp_path, rows) == [
        "sheet 工会, row 5, column 工会代码: This union code is listed twice: also on sheet 工会 row 3."
    ]


# --- exit codes and unreadable files -------------------------------------------------------------------


def test_unreadable_files_exit_2(tmp_path):
    assert "no such file" in run(str(tmp_path / "none.xlsx"), expect=2)
    assert "PDF" in run(write(tmp_path, data=b"%PDF-1.4 nothing", name="a.xlsx"), expect=2)
    no_sheet = io.StringIO("甲,乙\n1,2\n").getvalue().encode()
    run(write(tmp_path, data=no_sheet, name="x.csv"), expect=2)
    assert not RegistryImport.objects.exists()


def test_several_files_and_gbk_csv_with_english_headers(tmp_path):
    rows = small_ledger()
    unions = "union code,union name,founded,chair,chair mobile\n" + "".join(
        f"{r[0]},{r[1]},{r[2]},{r[3]},{r[4]}\n" for r in rows[UNIONS]
    )
    enterprises = "credit code,enterprise name,size,union code\n" + "".join(
        f"{r[0]},{r[1]},{r[2]},{r[5]}\n" for r in rows[ENTERPRISES]
    )
    members = write_ledger({MEMBERS: rows[MEMBERS]})
    paths = [
        write(tmp_path, data=unions.encode("gbk"), name="unions.csv"),
        write(tmp_path, data=enterprises.encode("gbk"), name="enterprises.csv"),
        write(tmp_path, data=members, name="members.xlsx"),
    ]
    output = run(*paths, "--commit")
    assert lines(output)[:6] == [
        "unions: 2",
        "  created 2, updated 0, unchanged 0",
        "enterprises: 3",
        "  created 3, updated 0, unchanged 0",
        "members: 4",
        "  created 4, updated 0, unchanged 0",
    ]
    assert GrassrootsUnion.objects.get(code="HN102").name == "丁联合工会"


def test_title_rows_merged_cells_and_full_width(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "会员名册"
    sheet.append(["某某区基层工会会员台账"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["序号", "工会代码", "姓名", "身份证号码", "所在企业", "入会日期"])
    ids = [make_id("19900101", seq=21), make_id("19900101", seq=23)]
    sheet.append(
        [
            1,
            "ＨＮ１０１",
            "王　一",
            ids[0].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}),
            "丙精工有限公司",
            "2020-01-01",
        ]
    )
    sheet.append([2, None, "王二", ids[1], None, "2020-01-01"])
    sheet.merge_cells("B4:B5")
    sheet.merge_cells("E4:E5")
    out = io.BytesIO()
    book.save(out)
    rows = small_ledger()
    rows[MEMBERS] = []
    paths = [write(tmp_path, rows), write(tmp_path, data=out.getvalue(), name="会员.xlsx")]
    output = run(*paths, "--commit")
    assert "members: 2" in lines(output)
    assert set(Member.objects.values_list("name", "union__code")) == {("王一", "HN101"), ("王二", "HN101")}


# --- who may import -----------------------------------------------------------------------------------


def test_the_acting_user_needs_the_organisation_duty(tmp_path, staff, finance_staff, chair_a):
    path = write(tmp_path)
    assert "may not import" in run(path, "--commit", "--as", "finance", expect=2)
    assert "may not import" in run(path, "--commit", "--as", "chair_a", expect=2)
    assert "no user" in run(path, "--as", "nobody", expect=2)
    run(path, "--commit", "--as", "staff")
    assert RegistryImport.objects.get().committed_by == staff
    entry = LogEntry.objects.get_for_object(GrassrootsUnion.objects.get(code="HN101")).get()
    assert entry.actor == staff


def test_the_service_refuses_outsiders(outsider, chair_a, finance_staff):
    files = [LedgerFile("a.xlsx", write_ledger(small_ledger()))]
    for user in (outsider, chair_a, finance_staff):
        with pytest.raises(PermissionDenied):
            ledger_services.import_from_command(by=user, files=files, commit=True)
        with pytest.raises(PermissionDenied):
            ledger_services.start_import(by=user, filename="a.xlsx", data=files[0].data)
    assert not GrassrootsUnion.objects.exists()


# --- the pieces -----------------------------------------------------------------------------------------


def test_dates_in_the_forms_ledgers_use():
    assert (
        parse_date("2020-05-01")
        == parse_date("2020/5/1")
        == parse_date("2020年5月1日")
        == datetime.date(2020, 5, 1)
    )
    assert parse_date("20200501") == parse_date(43952.0) == datetime.date(2020, 5, 1)
    assert parse_date("2020年5月") == datetime.date(2020, 5, 1)
    assert parse_date("2020-02-30") is None and parse_date("明年") is None


def test_the_template_reads_as_a_valid_ledger():
    ledger = read_ledger([LedgerFile("模板.xlsx", template_workbook())])
    assert [s.kind for s in ledger.sheets] == [UNIONS, ENTERPRISES, MEMBERS]
    assert not ledger.issues
    assert {s.name: list(s.columns) for s in ledger.sheets}["会员"][0] == "union_code"
    assert len(HEADERS[MEMBERS]) == len(ledger.sheets[2].columns)


def test_a_synthetic_district_imports_cleanly(tmp_path):
    rows = synthetic_rows(unions=5, enterprises=8, members=60)
    output = run(write(tmp_path, rows), "--commit")
    assert "members: 60" in lines(output)
    assert Member.objects.count() == 60 and GrassrootsUnion.objects.count() == 5


def test_one_cause_one_message(tmp_path, english):
    """A member of an enterprise whose own row is wrong is pointed to that row (not told the enterprise is
    missing), and a member of an unknown union gets that error alone, not its enterprise's as well."""
    rows = small_ledger()
    rows[ENTERPRISES][1][0] = credit(2)[:-1] + (
        "0" if credit(2)[-1] != "0" else "1"
    )  # a wrong check character
    rows[MEMBERS][0][0] = "HN999"
    errors = error_lines(tmp_path, rows)
    assert errors[0].startswith("sheet 会员, row 3, column 工会代码: ")
    assert "row 3, column 所在企业" not in "\n".join(errors)
    assert (
        "sheet 会员, row 5, column 所在企业: Enterprise “丁软件有限公司” has an error on row 4 of sheet 单位: "
        "correct that row first." in errors
    )
    assert errors[-1].startswith("sheet 单位, row 4, column 统一社会信用代码: ")
