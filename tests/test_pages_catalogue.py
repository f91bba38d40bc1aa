"""The catalogue pages (issue 14 §7): the staff page of the 有效文件目录 and 年度目录
with its downloads, per role and scope; the public catalogue in force, searched
without logging in."""

import csv
import io
import json
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from portal import catalogue as public_catalogue
from review.models import Membership, NormativeDocument, Role, State
from tests.test_catalogue import three_of_anminfa
from tests.test_reports_fixtures import (  # noqa: F401  (fixtures)
    city_government,
    civil_affairs,
    county,
    docx_text,
    justice,
    make_user,
    pdf_text,
    published,
    squash,
)

pytestmark = pytest.mark.django_db

TODAY = date(2022, 8, 1)
STAFF = "/catalogue/"
PUBLIC = "/public/catalogue/"


def member(username, organisation, role):
    user = make_user(username, username)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def books(civil_affairs, county):  # noqa: F811  (fixtures)
    """安民发 10号 and 2号 in force; 5号 repealed from 1 July 2022; one of 汉民发; a draft."""
    three_of_anminfa(civil_affairs, member("office", civil_affairs, Role.REGISTRAR))
    published(
        county,
        "汉滨区社会救助办法",
        date(2021, 3, 1),
        effective_from=date(2021, 4, 1),
        valid_until=date(2026, 3, 31),
    )
    NormativeDocument.objects.create(
        organisation=civil_affairs, title="安康市养老服务办法（草案）", state=State.DRAFTING
    )
    return {"akmz": civil_affairs, "aksfj": civil_affairs.files_with}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.text


# --- the staff page -------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_every_role_of_a_body_opens_its_own_catalogue_and_no_other(client, books, role):
    client.force_login(member("someone", books["akmz"], role))
    html = page(client, STAFF)
    assert "安康市临时救助实施办法" in html and "汉滨区社会救助办法" not in html
    assert 'value="hbmz"' not in html
    assert client.get(STAFF, {"scope": "hbmz"}).status_code == 404


def test_a_user_without_a_role_is_refused_and_has_no_link(client, books):
    client.force_login(make_user("nobody", "无角色"))
    assert client.get(STAFF).status_code == 403
    assert f'href="{STAFF}"' not in client.get(reverse("desk:home")).text


@pytest.mark.parametrize("role", [Role.FILING_REVIEWER, Role.AUDITOR])
def test_the_filing_authority_sees_the_bodies_that_file_with_it(client, books, role):
    client.force_login(member("authority", books["aksfj"], role))
    html = page(client, STAFF, scope="aksfj+filers")
    assert "安康市临时救助实施办法" in html and "汉滨区社会救助办法" in html
    assert "安康市民政局" in html and "汉滨区民政局" in html  # the 制定机关 column
    assert "汉滨区社会救助办法" in page(client, STAFF, scope="hbmz")
    assert "安康市临时救助实施办法" not in page(client, STAFF, scope="hbmz")


def test_a_drafter_at_the_authority_sees_only_the_authority(client, books):
    client.force_login(member("justice_drafter", books["aksfj"], Role.DRAFTER))
    assert client.get(STAFF, {"scope": "akmz"}).status_code == 404
    assert client.get(STAFF, {"scope": "aksfj+filers"}).status_code == 404


def test_a_repealed_document_is_listed_the_day_before_its_repeal_not_after(client, books):
    client.force_login(member("clerk", books["akmz"], Role.FILING_CLERK))
    before = page(client, STAFF, on="2022-06-30")
    assert "安康市殡葬管理暂行办法" in before
    assert "2022-07-01起（废止）" in before
    assert "安康市殡葬管理暂行办法" not in page(client, STAFF, on="2022-07-01")
    assert "安康市殡葬管理暂行办法" not in page(client, STAFF)  # today
    assert "安康市养老服务办法（草案）" not in before


def test_the_table_is_in_wenhao_order_with_its_columns(client, books):
    client.force_login(member("clerk", books["akmz"], Role.FILING_CLERK))
    html = page(client, STAFF, on="2022-06-30")
    assert html.index("安民发〔2019〕5号") < html.index("安民发〔2020〕2号")
    assert html.index("安民发〔2020〕2号") < html.index("安民发〔2020〕10号")
    for shown in ("安民发规〔2020〕010", "2020-06-01", "2020-07-01", "2025-06-30"):
        assert shown in html


def test_the_annual_catalogue_lists_what_the_body_published_that_year(client, books):
    client.force_login(member("clerk", books["akmz"], Role.FILING_CLERK))
    html = page(client, STAFF, kind="annual", year="2019")
    assert "安康市殡葬管理暂行办法" in html and "安康市临时救助实施办法" not in html
    assert "2022-07-01起（废止）" in html
    assert "该年度没有公布规范性文件" in page(client, STAFF, kind="annual", year="2018")
    assert "年度目录须填写年度" in page(client, STAFF, kind="annual")


def test_the_annual_catalogue_is_per_body(client, books):
    client.force_login(member("authority", books["aksfj"], Role.AUDITOR))
    html = page(client, STAFF, kind="annual", year="2020", scope="aksfj+filers")
    assert "年度目录按单位编制" in html and "<table>" not in html


def test_downloads_carry_the_builder_bytes_type_and_name(client, books):
    client.force_login(member("clerk", books["akmz"], Role.FILING_CLERK))
    get = lambda fmt, **p: client.get(STAFF, {"on": "2022-06-30", "format": fmt, **p})  # noqa: E731
    data = json.loads(get("json").content)
    assert data["organisation"] == "akmz" and data["as_of"] == "2022-06-30"
    assert [d["number"] for d in data["documents"]] == [
        "安民发〔2019〕5号",
        "安民发〔2020〕2号",
        "安民发〔2020〕10号",
    ]
    response = get("csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "发文字号" and len(rows) == 4
    response = get("pdf")
    assert response["Content-Type"] == "application/pdf" and response.content[:5] == b"%PDF-"
    assert "安康市殡葬管理暂行办法" in squash(pdf_text(response.content))
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert ".pdf" in response["Content-Disposition"]
    response = get("docx")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "安康市民政局政府信息公开制度" in docx_text(response.content)
    annual = json.loads(get("json", kind="annual", year="2020").content)
    assert annual["year"] == 2020 and len(annual["documents"]) == 2
    assert get("xls").status_code == 404


# --- the public catalogue ---------------------------------------------------------


def test_the_public_catalogue_needs_no_login_and_shows_only_public_fields(client, books):
    html = page(client, PUBLIC)
    assert 'lang="zh-hans"' in html or "lang=" in html
    for shown in (
        "安康市临时救助实施办法",
        "安民发〔2020〕10号",
        "汉滨区社会救助办法",
        "安康市民政局",
    ):
        assert shown in html
    assert "2025-06-30" in html and "2020-07-01" in html
    assert "共 3 件" in html
    assert "安康市养老服务办法（草案）" not in html  # a draft
    assert "安康市殡葬管理暂行办法" not in html  # repealed before today
    assert "安民发规〔2020〕010" not in html  # the 登记号 is the register's
    assert "<label" in html and 'for="id_title"' in html
    assert reverse("public:catalogue") in page(client, "/public/")


def test_the_public_searches_by_title_number_body_and_date(client, books):
    by_title = page(client, PUBLIC, title="救助")
    assert "安康市临时救助实施办法" in by_title and "汉滨区社会救助办法" in by_title
    assert "安康市民政局政府信息公开制度" not in by_title
    by_number = page(client, PUBLIC, number="〔2020〕2号")
    assert "安康市民政局政府信息公开制度" in by_number and "共 1 件" in by_number
    by_body = page(client, PUBLIC, organisation="hbmz")
    assert "汉滨区社会救助办法" in by_body and "共 1 件" in by_body
    by_date = page(client, PUBLIC, published_from="2020-08-01", published_to="2021-01-31")
    assert "安康市民政局政府信息公开制度" in by_date and "共 1 件" in by_date
    assert "共 0 件" in page(client, PUBLIC, title="草案")
    wrong = page(client, PUBLIC, published_from="2021-01-01", published_to="2020-01-01")
    assert "公布日期的终止日不得早于起始日" in wrong and "<table>" not in wrong


def test_the_public_catalogue_is_paged_and_keeps_the_search(client, books, monkeypatch):
    monkeypatch.setattr(public_catalogue, "PAGE_SIZE", 1)
    first = page(client, PUBLIC, title="救助")
    assert "第 1 页，共 2 页" in first and "title=%E6%95%91%E5%8A%A9&amp;page=2" in first
    second = page(client, PUBLIC, title="救助", page="2")
    assert "第 2 页，共 2 页" in second
    assert ("安康市临时救助实施办法" in first) != ("安康市临时救助实施办法" in second)
