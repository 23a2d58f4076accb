"""The monthly report's renderers: the Chinese PDF (every section, its figures, no missing glyph), the
workbook (a summary and one sheet per section, numbers as numbers, text neutralised) and the hand-drawn
SVG charts (valid XML whatever the data)."""

import datetime
import io
import re
import subprocess
import types
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from fontTools.ttLib import TTFont
from openpyxl import load_workbook

from unionhub.reports.base import Chart, Figure, Report, Section
from unionhub.reports.charts import bar_svg, chart_svg, line_svg
from unionhub.reports.render import format_figure, render_pdf, render_xlsx, report_title

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [f"{n}月" for n in range(1, 13)]


def make_report(**overrides) -> Report:
    sections = [
        Section(
            "membership",
            "会员发展",
            figures=[
                Figure("在册会员", 40123, 40123, 38950),
                Figure("本月新入会", 215, 1320, 198),
                Figure("农民工会员占比", Decimal("36.5"), Decimal("36.5"), Decimal("35.1"), unit="%"),
            ],
            charts=[Chart("line", "会员人数走势", MONTHS[:3], [("在册会员", [39800, 39950, 40123])])],
            header=["工会", "会员数"],
            rows=[["甲公司工会委员会", 1200], ["乙公司工会委员会", 860]],
        ),
        Section(
            "dues",
            "会费收缴",
            figures=[
                Figure("应收会费", Decimal("1234567.8"), Decimal("3703703.40"), Decimal("1100000"), unit="¥"),
                Figure("收缴差额", Decimal("-2500.5"), Decimal("-7501.5"), None, unit="¥"),
            ],
            charts=[
                Chart(
                    "bar",
                    "各月实收与应收",
                    MONTHS[:3],
                    [("应收", [1200000, 1210000, 1234567.8]), ("实收", [1190000, 1212000, 1232067.3])],
                )
            ],
            header=["工会", "应收", "实收"],
            rows=[["甲公司工会委员会", Decimal("1200.00"), Decimal("1180.00")], ['=HYPERLINK("x")', 1, 2]],
        ),
        Section(
            "hardship",
            "困难帮扶",
            figures=[
                Figure("新建困难档案", 3, 17, 5),
                Figure("帮扶金额", Decimal("48000"), Decimal("152000"), Decimal("36000"), unit="¥"),
            ],
            charts=[Chart("bar", "帮扶金额", [], [])],
        ),  # nothing to draw
        Section(
            "grievances",
            "维权服务",
            figures=[
                Figure("新受理案件", 24, 71, 19),
                Figure("追回金额", Decimal("186500"), Decimal("512300"), None, unit="¥"),
            ],
            charts=[Chart("bar", "案件结果", ["调解成功", "仲裁", "诉讼"], [("件数", [14, -2, 0])])],
            header=["案件编号", "结果"],
            rows=[["WQ-2026-0001", "调解成功"]],
        ),
        Section(
            "secondment",
            "上挂锻炼",
            figures=[Figure("在岗上挂干部", 58, 58, 61), Figure("到岗率", 96, 95, 93, unit="%")],
        ),
        Section("associations", "职工协会", available=False, note="职工协会模块尚未上线，本期不作统计。"),
        Section(
            "cards",
            "惠工卡",
            figures=[Figure("新发卡", 412, 1870, 0), Figure("核销次数", 0, 0, 0)],
            charts=[Chart("line", "核销次数", MONTHS[:3], [("核销", [0, 0, 0])])],
            header=["商户", "核销次数"],
            rows=[["某某超市", 0]],
        ),
    ]
    values = {
        "month": datetime.date(2026, 3, 1),
        "federation": "高新区总工会",
        "generated_at": datetime.datetime(2026, 4, 1, 8, 30, tzinfo=datetime.UTC),
        "sections": sections,
    }
    values.update(overrides)
    return Report(**values)


def parse_svg(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 — our own output, the very thing under test


def font_cmap(family: str) -> set[int]:
    located = subprocess.run(
        ["fc-match", "-f", "%{file}:%{index}", family], capture_output=True, text=True, check=True
    ).stdout
    file, index = located.rsplit(":", 1)
    return set(TTFont(file, fontNumber=int(index), lazy=True).getBestCmap())


@pytest.fixture(scope="module")
def report() -> Report:
    return make_report()


@pytest.fixture(scope="module")
def pdf_path(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(render_pdf(report))
    return path


@pytest.fixture(scope="module")
def pdf_text(pdf_path) -> str:
    path = pdf_path
    return subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def squeezed(text: str) -> str:
    return "".join(text.split())


class TestPdf:
    def test_it_is_a_pdf(self, report):
        assert render_pdf(report).startswith(b"%PDF-")

    def test_cover_contents_and_every_section_are_there(self, report, pdf_text):
        text = squeezed(pdf_text)
        for phrase in [
            "高新区总工会",
            "2026年3月工作报告",
            "目录",
            "生成时间",
            "2026年4月1日16:30",
            "本月",
            "本年累计",
            "去年同月",
        ]:
            assert phrase in text, phrase
        for section in report.sections:
            assert section.title in text, section.title
        assert "职工协会模块尚未上线，本期不作统计。" in text

    def test_figures_are_formatted_by_unit(self, pdf_text):
        text = squeezed(pdf_text)
        for value in ["40,123", "¥1,234,567.80", "-¥2,500.50", "36.5%", "96%", "暂无数据"]:
            assert value in text, value

    def test_pages_are_numbered_and_the_contents_point_to_them(self, report, pdf_text):
        pages = pdf_text.split("\f")
        count = len([page for page in pages if page.strip()])
        assert f"2/{count}" in squeezed(pages[1]) and f"{count}/{count}" in squeezed(pages[count - 1])
        # Each section starts a page: the contents give the page each title is printed on.
        contents = pages[1]
        for section in report.sections:
            line = next(line for line in contents.splitlines() if section.title in line)
            page = int(re.search(r"(\d+)\s*$", line)[1])
            assert section.title in pages[page - 1]

    def test_no_character_is_missing_from_the_font(self, report, pdf_text, pdf_path):
        # Only the Noto CJK fonts are embedded: no fallback font stood in for a missing glyph.
        listing = subprocess.run(
            ["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True
        ).stdout
        fonts = [line.split()[0] for line in listing.splitlines()[2:]]
        assert fonts and all("Noto-Sans-CJK-SC" in font or "Noto-Serif-CJK-SC" in font for font in fonts)
        cmap = font_cmap("Noto Sans CJK SC") & font_cmap("Noto Serif CJK SC")
        words = [section.title for section in report.sections]
        words += [figure.label for section in report.sections for figure in section.figures]
        words += [section.note for section in report.sections]
        assert {char for char in "".join(words) + squeezed(pdf_text) if ord(char) not in cmap} == set()

    def test_a_union_report_is_titled_with_the_union(self):
        union = types.SimpleNamespace(name="甲公司工会委员会")
        assert report_title(make_report(union=union)) == "甲公司工会委员会2026年3月工作报告"
        assert report_title(make_report()) == "2026年3月工作报告"
        assert report_title(make_report(title="专项报告")) == "专项报告"


@pytest.mark.parametrize(
    "value, unit, shown",
    [
        (Decimal("1234567.8"), "¥", "¥1,234,567.80"),
        (Decimal("-0.5"), "¥", "-¥0.50"),
        (0, "¥", "¥0.00"),
        (40123, "", "40,123"),
        (Decimal("12.0"), "", "12"),
        (Decimal("36.55"), "%", "36.6%"),
        (50, "%", "50%"),
        (None, "¥", "—"),
    ],
)
def test_format_figure(value, unit, shown):
    assert format_figure(value, unit) == shown


@pytest.fixture(scope="module")
def workbook(report):
    return load_workbook(io.BytesIO(render_xlsx(report)))


class TestWorkbook:
    def test_a_summary_then_one_sheet_per_section(self, workbook, report):
        assert workbook.sheetnames == ["汇总"] + [section.title for section in report.sections]

    def test_summary_holds_every_figure_as_a_number(self, workbook, report):
        rows = list(workbook["汇总"].iter_rows(values_only=True))
        labels = {(row[0], row[1]) for row in rows}
        for section in report.sections:
            for figure in section.figures:
                assert (section.title, figure.label) in labels
        dues = next(row for row in rows if row[1] == "应收会费")
        assert dues[2:5] == (pytest.approx(1234567.8), pytest.approx(3703703.4), pytest.approx(1100000))
        assert next(row for row in rows if row[0] == "职工协会")[1] == "职工协会模块尚未上线，本期不作统计。"

    def test_section_sheets_hold_the_rows_with_text_neutralised(self, workbook):
        rows = list(workbook["会费收缴"].iter_rows(values_only=True))
        assert rows[0] == ("工会", "应收", "实收")
        assert rows[1] == ("甲公司工会委员会", 1200, 1180)
        assert rows[2] == ('\'=HYPERLINK("x")', 1, 2)
        assert list(workbook["会员发展"].iter_rows(values_only=True))[1:] == [
            ("甲公司工会委员会", 1200),
            ("乙公司工会委员会", 860),
        ]

    def test_sheet_names_are_legal_and_unique(self):
        long = "很长的板块名称" * 6
        sections = [
            Section("membership", long),
            Section("dues", long),
            Section("cards", "汇总"),
            Section("hardship", "帮扶/救助[2026]:*?"),
        ]
        names = load_workbook(io.BytesIO(render_xlsx(make_report(sections=sections)))).sheetnames
        assert len(set(names)) == len(names) == 5
        assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)


LONG = "一个非常非常长的类别名称用于测试标签截断<&>"


@pytest.mark.parametrize(
    "chart",
    [
        Chart("bar", "空", [], []),
        Chart("bar", "无系列", ["一月", "二月"], []),
        Chart("bar", "全零", ["一月", "二月"], [("甲", [0, 0]), ("乙", [0, 0])]),
        Chart("bar", "负数 <&>", ["一月", LONG], [("甲", [-5, 3.5]), ("乙<>", [Decimal("-1200.5"), None])]),
        Chart("bar", "全负", ["一月", "二月"], [("甲", [-5, -3])]),
        Chart("bar", "缺值", ["一月", "二月", "三月"], [("甲", [1])]),
        Chart("line", "空", [], []),
        Chart("line", "全零", MONTHS, [("甲", [0] * 12)]),
        Chart("line", "负数", MONTHS, [("甲", list(range(-6, 6))), ("乙", [None, 2, float("nan")] * 4)]),
        Chart("line", LONG, [LONG] * 40, [("甲", [1.5] * 40)]),
        Chart("line", "单点", ["一月"], [("甲", [7])]),
    ],
    ids=lambda chart: f"{chart.kind}-{chart.title[:4]}",
)
def test_charts_are_valid_svg_whatever_the_data(chart):
    for svg in (chart_svg(chart), bar_svg(chart), line_svg(chart)):
        root = parse_svg(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("font-family") == "Noto Sans CJK SC"
        assert all(
            "nan" not in (element.get(attr) or "") for element in root.iter() for attr in element.attrib
        )


def test_bar_chart_draws_grouped_bars_with_value_labels():
    chart = Chart("bar", "案件", ["调解", "仲裁"], [("今年", [14, -2]), ("去年", [9, 3])])
    root = parse_svg(bar_svg(chart))
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert {"14", "-2", "9", "3", "调解", "仲裁", "今年", "去年"} <= set(texts)
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") not in ("#ffffff", "none")]
    assert len(bars) >= 4 and all(float(rect.get("height")) >= 0 for rect in bars)


def test_line_chart_draws_one_polyline_per_series():
    chart = Chart("line", "走势", MONTHS[:4], [("甲", [1, 2, 3, 4]), ("乙", [4, 3, 2, 1])])
    root = parse_svg(line_svg(chart))
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 8


def test_empty_chart_says_so():
    root = parse_svg(bar_svg(Chart("bar", "空", [], [])))
    assert "暂无数据" in [element.text for element in root.iter(f"{SVG}text")]


def test_money_in_the_workbook_is_written_digit_for_digit():
    """openpyxl writes numbers through a float (73.35 → 73.34999999999999); the report keeps the cents."""
    import zipfile

    report = Report(
        month=datetime.date(2026, 11, 1),
        title="t",
        federation="海宁市总工会",
        generated_at=datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC),
        sections=[
            Section(
                key="k",
                title="会费",
                figures=[Figure("收缴", Decimal("73.35"), unit="¥")],
                header=["金额"],
                rows=[[Decimal("73.35")]],
            )
        ],
    )
    data = render_xlsx(report)
    xml = "".join(
        zipfile.ZipFile(io.BytesIO(data)).read(name).decode()
        for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if name.startswith("xl/worksheets/")
    )
    assert "<v>73.35</v>" in xml
    assert "73.3499" not in xml
