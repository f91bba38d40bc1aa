"""The catalogue on any day (issue 13 §2; domain-rules §8): in force on D = published,
施行日期 ≤ D ≤ 有效期至, and D before the first day no longer in force; the command
`manage.py catalogue` and its JSON shape; the 年度目录."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from review import actions
from review.models import Membership, Role
from review.reports import build
from tests.test_reports_fixtures import (  # noqa: F401  (fixtures)
    city_government,
    civil_affairs,
    county,
    docx_tables,
    docx_text,
    justice,
    make_user,
    pdf_text,
    published,
    squash,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar(civil_affairs):  # noqa: F811  (a fixture)
    user = make_user("office", "办公室")
    Membership.objects.create(user=user, organisation=civil_affairs, role=Role.REGISTRAR)
    return user


def three_of_anminfa(bureau, registrar):
    """Three documents of 安民发, published out of 文号 order, one repealed from 1 July 2022
    (tests/test_pages_catalogue.py builds on them too)."""
    tenth = published(
        bureau,
        "安康市临时救助实施办法",
        date(2020, 6, 1),
        effective_from=date(2020, 7, 1),
        valid_until=date(2025, 6, 30),
        serial=10,
    )
    second = published(
        bureau,
        "安康市民政局政府信息公开制度",
        date(2020, 9, 1),
        effective_from=date(2020, 10, 1),
        valid_until=date(2025, 9, 30),
        serial=2,
    )
    repealed = published(
        bureau,
        "安康市殡葬管理暂行办法",
        date(2019, 3, 1),
        effective_from=date(2019, 4, 1),
        valid_until=date(2024, 3, 31),
        serial=5,
    )
    actions.repeal(
        repealed,
        by=registrar,
        reason="已被新办法替代",
        decision_number="安民发〔2022〕7号",
        ended_on=date(2022, 7, 1),
        on=date(2022, 6, 20),
    )
    return {"tenth": tenth, "second": second, "repealed": repealed}


@pytest.fixture
def books(civil_affairs, county, registrar):  # noqa: F811  (fixtures)
    """The three of 安民发, and one of 汉民发."""
    documents = three_of_anminfa(civil_affairs, registrar)
    published(county, "汉滨区的文件", date(2020, 3, 1), effective_from=date(2020, 4, 1))
    return documents


def catalogue_json(org, day):
    out = io.StringIO()
    call_command("catalogue", "--org", org, "--as-of", day, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def titles(data):
    return [d["title"] for d in data["documents"]]


def test_a_repealed_document_is_in_the_catalogue_the_day_before_its_repeal(books):
    before = catalogue_json("akmz", "2022-06-30")
    assert "安康市殡葬管理暂行办法" in titles(before)
    after = catalogue_json("akmz", "2022-07-01")
    assert "安康市殡葬管理暂行办法" not in titles(after)
    assert titles(after) == ["安康市民政局政府信息公开制度", "安康市临时救助实施办法"]


def test_the_catalogue_json_has_exactly_the_agreed_shape_ordered_by_number(books):
    data = catalogue_json("akmz", "2021-06-30")
    assert list(data) == ["organisation", "as_of", "documents"]
    assert (data["organisation"], data["as_of"]) == ("akmz", "2021-06-30")
    # 文号 order: 2号, 10号 of 2020 after 5号 of 2019; a text sort would put 10号 before 2号
    assert [d["number"] for d in data["documents"]] == [
        "安民发〔2019〕5号",
        "安民发〔2020〕2号",
        "安民发〔2020〕10号",
    ]
    assert data["documents"][0] == {
        "number": "安民发〔2019〕5号",
        "registration_number": "安民发规〔2019〕005",
        "title": "安康市殡葬管理暂行办法",
        "published_on": "2019-03-01",
        "effective_from": "2019-04-01",
        "valid_until": "2024-03-31",
        "ended_on": "2022-07-01",
        "end_cause": "repealed",
    }
    assert data["documents"][1]["ended_on"] is None and data["documents"][1]["end_cause"] is None


def test_a_document_is_listed_from_its_effective_date_to_its_last_valid_day(books):
    assert "安康市临时救助实施办法" not in titles(catalogue_json("akmz", "2020-06-30"))
    assert "安康市临时救助实施办法" in titles(catalogue_json("akmz", "2020-07-01"))
    assert "安康市临时救助实施办法" in titles(catalogue_json("akmz", "2025-06-30"))
    assert "安康市临时救助实施办法" not in titles(catalogue_json("akmz", "2025-07-01"))


def test_the_catalogue_csv_has_a_header_and_one_row_per_document(books, tmp_path):
    path = tmp_path / "目录.csv"
    call_command(
        "catalogue", "--org", "akmz", "--as-of", "2021-06-30", "--format", "csv",
        "--output", str(path), stdout=io.StringIO(),
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:3] == ["发文字号", "登记号", "文件名称"]
    assert rows[1][0] == "安民发〔2019〕5号" and rows[1][-2:] == ["2022-07-01", "废止"]
    assert len(rows) == 4


def test_the_catalogue_pdf_and_docx_show_the_documents_in_chinese(books, tmp_path):
    docx_path, pdf_path = tmp_path / "目录.docx", tmp_path / "目录.pdf"
    for fmt, path in (("docx", docx_path), ("pdf", pdf_path)):
        call_command(
            "catalogue", "--org", "akmz", "--as-of", "2021-06-30", "--format", fmt,
            "--output", str(path), stdout=io.StringIO(),
        )  # fmt: skip
    rows = docx_tables(docx_path.read_bytes())[0]
    assert [row[2] for row in rows[1:]] == [
        "安民发〔2019〕5号",
        "安民发〔2020〕2号",
        "安民发〔2020〕10号",
    ]
    text = squash(pdf_text(pdf_path.read_bytes()))
    assert "有效规范性文件目录" in text and "截至2021年6月30日" in text and "共3件。" in text
    assert "自2022年7月1日起失效（废止）" in text


def test_the_annual_catalogue_lists_the_years_documents_with_their_end(books):
    out = io.StringIO()
    call_command("catalogue", "--org", "akmz", "--year", "2019", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == ["organisation", "year", "documents"]
    assert data["year"] == 2019
    assert titles(data) == ["安康市殡葬管理暂行办法"]
    assert data["documents"][0]["end_cause"] == "repealed"
    text = docx_text(
        build(
            "annual_catalogue", {"year": 2020, "organisation": books["tenth"].organisation}, "docx"
        )
    )
    assert "2020年度规范性文件目录" in text and "共2件。" in text


def test_the_catalogue_command_refuses_an_unknown_body_and_a_bad_date(books):
    with pytest.raises(CommandError, match="未知的单位代码"):
        call_command("catalogue", "--org", "nobody", "--as-of", "2021-01-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("catalogue", "--org", "akmz", "--as-of", "2021-13-01")
