"""Taking everything out (issue 20): ``manage.py export_all DIR`` writes one workbook per programme with a
Chinese sheet per table, every stored file, and a manifest whose counts and checksums match; ID numbers and
phones are masked unless an organisation-duty staff user asks for them in full, which is audited; any refusal
writes nothing."""

import hashlib
import json
import zipfile
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from members.models import Member
from members.services import dues
from programmes import PROGRAMMES
from tests.factories import TODAY, make_id, make_user, register_member
from unionhub import export_all
from unionhub.export_all import table_name

WORKBOOKS = ["unionhub", "members", *PROGRAMMES]
ID_NUMBER = "330481197001011237"
PHONE = "13812345678"
OTHER_ID = make_id("19850101")


@pytest.fixture
def district(settings, tmp_path, staff, finance_staff, enterprise_a, member_a, chair_a, union_a):
    """A registered member with an ID number and a phone, a member whose name is a formula, a member's
    account named by its mobile, a stored dues sheet (uploaded through the service) and money received."""
    settings.MEDIA_ROOT = tmp_path / "media"
    register_member(enterprise_a, by=staff, name="=1+1", id_number=OTHER_ID)
    make_user("13900001111", name="", phone="13900001111")
    upload = dues.start_upload(
        by=chair_a,
        union=union_a,
        period_label="2026-10",
        filename="会费.csv",
        data="姓名,身份证号\n".encode(),
    )
    dues.record_remittance(
        by=finance_staff,
        period=upload.period,
        amount=Decimal("73.35"),
        received_on=TODAY,
        voucher_no="V1",
        channel="tax",
    )
    return {"upload": upload}


def _export(tmp_path, *args):
    out = tmp_path / "out"
    call_command("export_all", str(out), *args)
    return out


def _rows(path, title):
    workbook = load_workbook(path, read_only=True)
    try:
        return [list(row) for row in workbook[title].values]
    finally:
        workbook.close()


def _members_sheet(out):
    rows = _rows(out / "members.xlsx", table_name(Member))
    return rows[0], rows[1:]


def _all_xml(out) -> str:
    text = []
    for name in WORKBOOKS:
        with zipfile.ZipFile(out / f"{name}.xlsx") as archive:
            text.extend(
                archive.read(member).decode() for member in archive.namelist() if member.endswith(".xml")
            )
    return "".join(text)


def test_a_workbook_per_programme_with_chinese_headers_and_every_row(tmp_path, district):
    out = _export(tmp_path)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [book["programme"] for book in manifest["workbooks"]] == WORKBOOKS
    assert manifest["masked"] is True
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "工会通全部数据导出" in readme and "已遮蔽" in readme and "files/" in readme
    for book in manifest["workbooks"]:
        workbook = load_workbook(out / book["path"], read_only=True)
        try:
            assert workbook.sheetnames == [sheet["sheet"] for sheet in book["sheets"]]
            for sheet in book["sheets"]:
                assert len(sheet["sheet"]) <= 31
                rows = list(workbook[sheet["sheet"]].values)
                table = apps.get_model(sheet["table"])
                assert sheet["rows"] == len(rows) - 1 == table._default_manager.count()
        finally:
            workbook.close()
    header, rows = _members_sheet(out)
    assert {"姓名", "身份证号", "手机号", "所在企业", "所在企业编号"} <= set(header) or "姓名" in header
    assert len(rows) == Member.objects.count() == 2
    tables = {sheet["table"] for book in manifest["workbooks"] for sheet in book["sheets"]}
    assert {"unionhub.User", "auditlog.LogEntry", "members.Member", "grievances.Case"} <= tables
    assert not {"sessions.Session", "axes.AccessAttempt"} & tables


def test_the_manifest_checksums_every_file_and_stored_files_are_copied(tmp_path, district):
    out = _export(tmp_path)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    written = manifest["workbooks"] + manifest["files"]
    for entry in written:
        data = (out / entry["path"]).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    stored = district["upload"].file.name
    assert f"files/{stored}" in {entry["path"] for entry in manifest["files"]}
    assert (out / "files" / stored).read_bytes() == "姓名,身份证号\n".encode()


def test_id_numbers_and_phones_are_masked_and_formulas_neutralised_by_default(tmp_path, district):
    out = _export(tmp_path)
    header, rows = _members_sheet(out)
    name, id_number, phone = header.index("姓名"), header.index("身份证号"), header.index("手机号")
    wang = next(row for row in rows if row[name] == "王小明")
    assert wang[id_number] == "3304**********1237"
    assert wang[phone] == "138****5678"
    assert any(row[name] == "'=1+1" for row in rows)
    xml = _all_xml(out)
    for secret in (ID_NUMBER, PHONE, "13900001111", OTHER_ID):
        assert secret not in xml
    assert "md5$" not in xml and "pbkdf2" not in xml


def test_money_is_an_exact_number(tmp_path, district):
    out = _export(tmp_path)
    with zipfile.ZipFile(out / "members.xlsx") as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
    assert 't="n"><v>73.35</v>' in xml
    assert "73.34999" not in xml


def test_unmasked_for_an_organisation_staff_user_is_whole_and_audited(tmp_path, district, staff):
    out = _export(tmp_path, "--unmasked", "--as", "staff")
    header, rows = _members_sheet(out)
    assert ID_NUMBER in [row[header.index("身份证号")] for row in rows]
    assert PHONE in [row[header.index("手机号")] for row in rows]
    assert "md5$" not in _all_xml(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["masked"] is False and manifest["requested_by"] == "staff"
    entry = LogEntry.objects.filter(actor=staff, action=LogEntry.Action.ACCESS).latest("timestamp")
    assert entry.additional_data == {"export_all": "unmasked", "directory": str(out.resolve())}
    audit = _rows(out / "unionhub.xlsx", "审计日志")
    header = audit[0]
    exported = next(row for row in audit[1:] if row[0] == entry.pk)
    assert exported[header.index("操作")] == "查看"
    assert "unmasked" in exported[header.index("附加数据")]


def test_the_user_table_has_duties_in_words_and_no_password(tmp_path, district):
    out = _export(tmp_path)
    users = _rows(out / "unionhub.xlsx", "用户")
    header = users[0]
    assert "密码" not in header
    staff_row = next(row for row in users[1:] if row[header.index("用户名")] == "staff")
    assert staff_row[header.index("组")] == "分管组织工作"
    assert staff_row[header.index("工作人员状态")] == "是"
    assert "139****1111" in [row[header.index("用户名")] for row in users[1:]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unmasked"], "--as"),
        (["--unmasked", "--as", "outsider"], "不是启用中的工作人员账号"),
        (["--unmasked", "--as", "finance"], "未分管组织工作"),
        (["--unmasked", "--as", "nobody"], "没有用户名为 nobody"),
        (["--as", "outsider"], "不是启用中的工作人员账号"),
    ],
)
def test_refused_without_a_permitted_user_and_nothing_is_written(
    tmp_path, district, outsider, finance_staff, args, message
):
    count = LogEntry.objects.count()
    with pytest.raises(CommandError, match=message) as refused:
        _export(tmp_path, *args)
    assert refused.value.returncode == 1
    assert not (tmp_path / "out").exists()
    assert LogEntry.objects.count() == count


def test_a_directory_that_is_not_empty_is_refused(tmp_path, district):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("export_all", str(out))
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_an_empty_directory_is_used(tmp_path, district):
    out = tmp_path / "out"
    out.mkdir()
    call_command("export_all", str(out))
    assert (out / "members.xlsx").exists()


def test_a_table_longer_than_a_sheet_goes_on_in_another(tmp_path, district, monkeypatch):
    monkeypatch.setattr(export_all, "SHEET_ROW_LIMIT", 2)  # one row and the header a sheet
    out = _export(tmp_path)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    members = next(book for book in manifest["workbooks"] if book["programme"] == "members")
    sheets = [sheet for sheet in members["sheets"] if sheet["table"] == "members.MembershipEvent"]
    assert [sheet["rows"] for sheet in sheets] == [1, 1]
    assert [sheet["sheet"] for sheet in sheets] == ["会籍变动记录", "会籍变动记录 (2)"]
    assert _rows(out / "members.xlsx", "会籍变动记录 (2)")[0][0] == "ID"
