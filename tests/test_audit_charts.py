"""The filing audit's charts (issue 14, part 6): the figures of the annual report,
drawn with the embedded CJK font in the PDF, the DOCX and on the auditor's and the
register's pages, in colours (and hatches, and written values) a reader can tell apart."""

import io
import itertools
import warnings

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from review import audit
from review.models import NormativeDocument, Organisation
from review.reports import audit_report, build, charts
from review.states import Role
from tests.conftest import make_user
from tests.test_reports_audit import TODAY, year_2020  # noqa: F401  (fixture)
from tests.test_reports_fixtures import (  # noqa: F401  (fixtures)
    city_government,
    civil_affairs,
    county,
    elsewhere,
    justice,
    pdf_text,
    squash,
)

PARAMS = {"authority": "aksfj", "year": 2020, "today": TODAY}
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def report(year_2020):  # noqa: F811
    return audit_report.compute(**PARAMS)


def test_the_rate_chart_carries_the_reports_rates_per_body(report):
    chart = charts.rate_chart(report)
    assert chart.categories == ["安康市民政局", "汉滨区民政局"]
    assert [label for label, _v in chart.series] == [
        "报备率",
        "报备及时率",
        "规范率",
        "审查率",
        "纠错率",
    ]
    for label, values in chart.series:
        key = next(k for k, v in audit_report.RATE_LABELS.items() if v == label)
        assert values == [o["rates"][key] for o in report["organisations"]]
    assert chart.series[0][1][0] == pytest.approx(8 / 9)


def test_the_overdue_chart_counts_the_reports_overdue_items_by_step(report):
    chart = charts.overdue_chart(report)
    kinds = [v["kind"] for v in report["violations"]]
    assert chart.categories == ["报送备案", "备案审查", "纠正"]
    assert chart.series[0][1] == [
        kinds.count("never_filed") + kinds.count("filed_late"),
        kinds.count("review_overdue"),
        kinds.count("correction_overdue"),
    ]
    assert sum(chart.series[0][1]) > 0 and not chart.percent


def test_a_rate_over_the_years_is_each_years_report_and_years_without_data_are_left_out(
    report,
):
    chart = charts.over_years({**PARAMS, "year": 2021}, "timely_rate", years=4)
    assert chart.title == "各单位报备及时率（2018—2021年）"
    assert "2020年" in dict(chart.series) and "2018年" not in dict(chart.series)  # none in 2018
    for label, values in chart.series:
        year = audit_report.compute(**{**PARAMS, "year": int(label[:4])})
        rates = {o["name"]: o["rates"]["timely_rate"] for o in year["organisations"]}
        assert values == [rates.get(name) for name in chart.categories], label
    assert dict(chart.series)["2020年"] == [
        o["rates"]["timely_rate"] for o in report["organisations"]
    ]
    empty = charts.over_years({**PARAMS, "year": 2010}, "filing_rate", years=2)
    assert empty.series == [] and charts.png(empty).startswith(PNG)


def test_the_series_have_distinct_colours_far_apart_and_distinct_hatches():
    def rgb(colour):
        return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]

    five = charts.PALETTE[:5]  # the five rates
    assert len(set(five)) == 5 and len(set(charts.HATCHES[:5])) == 5
    for a, b in itertools.combinations(five, 2):
        assert sum(abs(x - y) for x, y in zip(rgb(a), rgb(b), strict=True)) > 100, (a, b)


def test_the_png_is_drawn_with_the_cjk_font_no_glyph_missing(report):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of each glyph the font lacks
        data = charts.png(charts.rate_chart(report))
    assert data.startswith(PNG) and len(data) > 10_000


def test_the_pdf_draws_the_chart_with_legend_and_values(report):
    text = squash(pdf_text(build("filing_audit", report, "pdf")))
    assert "各单位备案审查指标" in text and "报备及时率" in text
    assert "89%" in text  # 8/9 written on its bar (the table says 88.9%)


def test_the_docx_carries_the_chart_as_a_png_image(report):
    document = docx.Document(io.BytesIO(build("filing_audit", report, "docx")))
    assert len(document.inline_shapes) == 1
    images = [p for p in document.part.package.parts if p.content_type == "image/png"]
    assert len(images) == 1 and images[0].blob.startswith(PNG)


# --- the pages ---------------------------------------------------------------------


def chart_url(which, scope="aksfj", year=2020):
    return f"{reverse('desk:filing_audit_chart', args=[which])}?scope={scope}&year={year}"


def test_the_auditor_sees_the_charts_and_gets_pngs(client, justice):  # noqa: F811
    client.force_login(make_user("auditor", justice, Role.AUDITOR))
    page = client.get(reverse("desk:filing_audit"), {"scope": "aksfj", "year": 2020}).text
    assert 'src="/reports/filing-audit/chart-rates.png?scope=aksfj&amp;year=2020"' in page
    assert "chart-overdue.png" in page
    for which in ("rates", "overdue"):
        response = client.get(chart_url(which))
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response.content.startswith(PNG)
    years = client.get(chart_url("years") + "&rate=review_rate")
    assert years.status_code == 200 and years["Content-Type"] == "image/png"
    assert "chart-years.png?scope=aksfj&amp;year=2020&amp;rate=timely_rate" in page
    assert client.get(chart_url("years") + "&rate=nonsense").status_code == 404
    assert client.get(chart_url("pie")).status_code == 404
    assert client.get(chart_url("rates", scope="ssfj")).status_code == 404  # not theirs


def test_a_chart_is_drawn_once_and_again_when_what_it_shows_may_have_changed(
    client,
    justice,  # noqa: F811
    year_2020,  # noqa: F811
    monkeypatch,
):
    client.force_login(make_user("auditor", justice, Role.AUDITOR))
    drawn = []
    draw = charts.png
    monkeypatch.setattr(charts, "png", lambda block: drawn.append(block.title) or draw(block))
    first = client.get(chart_url("rates")).content
    assert client.get(chart_url("rates")).content == first
    assert client.get(chart_url("years") + "&rate=review_rate").status_code == 200
    assert client.get(chart_url("years") + "&rate=review_rate").status_code == 200
    assert len(drawn) == 2  # each chart once
    # An audited change (every change to a document is one) moves the chain's head.
    audit.record(action="note", document=NormativeDocument.objects.first(), note="更正")
    client.get(chart_url("rates"))
    assert len(drawn) == 3
    # So does a change to a body, its settings or the calendar, which no event records.
    Organisation.objects.filter(code="aksfj").update(name="安康市司法局（新）")
    client.get(chart_url("rates"))
    assert len(drawn) == 4


def test_the_register_shows_the_charts_to_an_auditor_only(client, justice, civil_affairs):  # noqa: F811
    client.force_login(make_user("auditor", justice, Role.AUDITOR))
    page = client.get(reverse("desk:register"), {"year": 2020}).text
    assert "chart-rates.png?scope=aksfj&amp;year=2020" in page
    client.force_login(make_user("drafter", civil_affairs, Role.DRAFTER))
    assert "chart-rates.png" not in client.get(reverse("desk:register")).text
    assert client.get(chart_url("rates")).status_code == 403


def test_the_audit_page_opens_on_the_latest_year_with_data_not_an_empty_one(
    client,
    justice,  # noqa: F811
    year_2020,  # noqa: F811
):
    client.force_login(make_user("auditor", justice, Role.AUDITOR))
    page = client.get(reverse("desk:filing_audit"), {"scope": "aksfj"}).text
    # the fixture's latest publication is in 2021 (a document of the next year's report)
    assert "2021年度规范性文件备案审查工作报告" in page
    assert "chart-rates.png?scope=aksfj&amp;year=2021" in page


def test_without_any_publication_the_audit_page_opens_on_last_year(client, justice):  # noqa: F811
    client.force_login(make_user("auditor", justice, Role.AUDITOR))
    page = client.get(reverse("desk:filing_audit"), {"scope": "aksfj"}).text
    assert f"{timezone.localdate().year - 1}年度规范性文件备案审查工作报告" in page
