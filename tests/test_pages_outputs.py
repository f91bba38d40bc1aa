import io
from datetime import date

import docx
import pdfplumber
import pytest
import time_machine

from desk.views.outputs import default_year
from review.states import Role, State

from .conftest import make_user
from .test_reports_fixtures import published


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_official_text_downloads_from_the_document_page(client, walk, document, registrar, fmt):
    walk.to(State.FILING)
    client.force_login(registrar)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    url = f"/documents/{document.pk}/outputs/official_text.{fmt}"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    if fmt == "pdf":
        with pdfplumber.open(io.BytesIO(response.content)) as pdf:
            text = "".join(p.extract_text() or "" for p in pdf.pages)
        assert "安民发〔2020〕1号" in text
    else:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
        assert "安民发〔2020〕1号" in text


def test_an_output_whose_step_has_not_happened_says_so(client, walk, document, drafter):
    walk.prepare()
    client.force_login(drafter)
    response = client.get(f"/documents/{document.pk}/outputs/official_text.pdf", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/documents/{document.pk}/"
    assert list(response.context["messages"])


def test_the_page_links_only_the_outputs_whose_step_has_happened(client, walk, document, drafter):
    walk.prepare()
    client.force_login(drafter)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert f"/documents/{document.pk}/outputs/" not in page
    assert page.count("该环节尚未办理，办理后可下载") == 5  # the five steps of the document
    walk.to(State.FILING)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    for kind in ("legality_opinion", "official_text", "filing_report"):
        assert f"/documents/{document.pk}/outputs/{kind}.pdf" in page, kind
    for kind in ("comment_summary", "review_opinion"):  # no comment period; not yet filed
        assert f"/documents/{document.pk}/outputs/{kind}.pdf" not in page, kind


def test_another_organisations_document_output_is_invisible(client, walk, document, outsider):
    walk.to(State.FILING)
    client.force_login(outsider)
    assert client.get(f"/documents/{document.pk}/outputs/official_text.pdf").status_code == 404


def test_unknown_output_kinds_and_formats_are_not_found(client, document, drafter):
    client.force_login(drafter)
    assert client.get(f"/documents/{document.pk}/outputs/secret.pdf").status_code == 404
    assert client.get(f"/documents/{document.pk}/outputs/official_text.exe").status_code == 404


def test_auditor_of_the_authority_reads_the_audit_of_every_body_filing_with_it(
    client, walk, document, authority
):
    walk.to(State.FILED)
    auditor = make_user("sfj-auditor", authority, Role.AUDITOR)
    client.force_login(auditor)
    page = client.get("/reports/filing-audit/", {"year": 2020}).content.decode()
    assert "安康市民政局" in page and "报备率" in page
    response = client.get("/reports/filing-audit/", {"year": 2020, "format": "json"})
    assert response.status_code == 200
    assert response.json()["totals"]["filed"] == 1


def test_roles_other_than_auditors_and_reviewers_cannot_read_the_audit(client, drafter):
    client.force_login(drafter)
    assert client.get("/reports/filing-audit/").status_code == 403


def test_an_auditor_cannot_pick_another_scope(client, bureau, county_bureau):
    auditor = make_user("county-auditor", county_bureau, Role.AUDITOR)
    client.force_login(auditor)
    assert client.get("/reports/filing-audit/", {"scope": bureau.code}).status_code == 404


@pytest.mark.django_db
def test_a_report_opens_on_last_year_or_the_latest_earlier_year_with_a_publication(bureau):
    scope = {"organisation": bureau.code}
    with time_machine.travel(date(2024, 3, 1)):
        assert default_year(scope) == 2023  # nothing published: last year
        published(bureau, "安康市临时救助实施办法", date(2021, 5, 1))
        assert default_year(scope) == 2021  # the latest earlier year with a publication
        published(bureau, "安康市殡葬管理办法", date(2023, 12, 31))
        assert default_year(scope) == 2023
        published(bureau, "安康市养老服务办法", date(2024, 1, 2))  # this year: not yet reported
        assert default_year(scope) == 2023
        authority = {"authority": bureau.files_with.code}
        assert default_year(authority) == 2023
