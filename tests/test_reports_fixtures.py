"""Rows for the report tests, made directly through the ORM, and helpers to reopen
outputs. Imported by the other test_reports_* modules (no tests of its own)."""

import datetime
import io
import re

import docx
import pdfplumber
import pypdf
import pytest
from django.contrib.auth import get_user_model

from review.models import (
    FILING_MATERIALS,
    Classification,
    Correction,
    DocumentVersion,
    Filing,
    FilingReview,
    NormativeDocument,
    Organisation,
    Publication,
    Registration,
    State,
    sha256_bytes,
)

D = datetime.date
ALL_MATERIALS = {key: True for key, _label in FILING_MATERIALS}
FILING_DAYS = 30  # 备案条例 art. 3; the fixtures store due_on = published_on + 30 days

BODY = """各县区民政局，市局各科室：
为进一步规范全市最低生活保障工作，根据《社会救助暂行办法》和省民政厅有关规定，结合我市实际，现就有关事项通知如下。
一、总体要求
坚持以人民为中心的发展思想，完善最低生活保障制度，做到应保尽保、应退尽退。
（一）加强组织领导。
各县区要成立领导小组，明确责任分工。
二、工作措施
本通知自2020年6月8日起施行，有效期至2025年6月7日。"""


def make_org(code, name, short_name, **fields):
    return Organisation.objects.create(code=code, name=name, short_name=short_name, **fields)


def make_user(username, name):
    return get_user_model().objects.create_user(
        username=username, password="x-test-only", first_name=name
    )


def published(
    organisation,
    title,
    published_on,
    *,
    state=State.FILED,
    text=BODY,
    signed_on=None,
    effective_from=None,
    valid_until=None,
    serial=None,
):
    """A registered and published document, as the lifecycle would leave it."""
    document = NormativeDocument.objects.create(
        organisation=organisation,
        title=title,
        state=state,
        classification=Classification.NORMATIVE,
        effective_from=effective_from,
        valid_until=valid_until,
    )
    version = DocumentVersion.objects.create(
        document=document, number=1, text=text, sha256=sha256_bytes(text.encode())
    )
    year = (signed_on or published_on).year
    prefix = organisation.issuing_code or organisation.short_name
    n = serial or Registration.objects.filter(number_prefix=prefix, number_year=year).count() + 1
    Registration.objects.create(
        document=document,
        version=version,
        number_prefix=prefix,
        number_year=year,
        number_serial=n,
        number=f"{prefix}〔{year}〕{n}号",
        reg_prefix=f"{prefix}规",
        reg_year=year,
        reg_serial=n,
        reg_number=f"{prefix}规〔{year}〕{n:03d}",
        signed_on=signed_on or published_on,
    )
    Publication.objects.create(
        document=document, published_on=published_on, channel="安康市民政局门户网站"
    )
    return document


def file(document, filed_on, *, materials=None, due_on=None, resubmission_of=None):
    published_on = document.publication.published_on
    return Filing.objects.create(
        document=document,
        authority=document.organisation.files_with,
        filed_on=filed_on,
        due_on=due_on or published_on + datetime.timedelta(days=FILING_DAYS),
        materials=ALL_MATERIALS if materials is None else materials,
        report="",
        resubmission_of=resubmission_of,
    )


def review(filing, *, decided_on=None, outcome="", due_on=None, conclusion=None, **fields):
    """A filing review. Decided and registered: concluded on the same day, 审查无问题
    unless `conclusion` says otherwise (备案条例 art. 7, 10)."""
    outcome = outcome or ("registered" if decided_on else "")
    if conclusion is None:
        conclusion = "no_problem" if outcome == "registered" and decided_on else ""
    return FilingReview.objects.create(
        filing=filing,
        received_on=filing.filed_on,
        due_on=due_on or filing.filed_on + datetime.timedelta(days=30),
        decided_on=decided_on,
        outcome=outcome,
        conclusion=conclusion,
        concluded_on=decided_on if conclusion else None,
        **fields,
    )


def correct(document, filing_review, issued_on, deadline, *, reported_on=None, closed_on=None):
    return Correction.objects.create(
        document=document,
        filing_review=filing_review,
        suggestion="第五条增设的证明事项没有法律依据，应予删除。",
        issued_on=issued_on,
        deadline=deadline,
        reported_on=reported_on,
        closed_on=closed_on,
        handling_report="已删除第五条" if reported_on else "",
    )


@pytest.fixture
def justice(db):
    return make_org("aksfj", "安康市司法局", "市司法局", kind=Organisation.Kind.JUSTICE)


@pytest.fixture
def city_government(db):
    return make_org("aksz", "安康市人民政府", "市政府", kind=Organisation.Kind.GOVERNMENT)


@pytest.fixture
def civil_affairs(justice, city_government):
    return make_org(
        "akmz",
        "安康市民政局",
        "市民政局",
        issuing_code="安民发",
        files_with=justice,
        parent=city_government,
        may_issue=True,
    )


@pytest.fixture
def county(justice):
    return make_org(
        "hbmz",
        "汉滨区民政局",
        "汉滨区民政局",
        issuing_code="汉民发",
        files_with=justice,
        may_issue=True,
    )


@pytest.fixture
def elsewhere(db):
    other_authority = make_org("ssfj", "商洛市司法局", "商洛司法局", kind=Organisation.Kind.JUSTICE)
    return make_org(
        "slmz",
        "商洛市民政局",
        "商洛民政局",
        issuing_code="商民发",
        files_with=other_authority,
        may_issue=True,
    )


# --- reopening outputs ------------------------------------------------------


def pdf_text(data):
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def squash(text):
    """Text without whitespace: CJK lines wrap anywhere."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(data):
    """(BaseFont, has FontFile2) for every font the pages use."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found = {}
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            found[str(font["/BaseFont"])] = (
                descriptor is not None and "/FontFile2" in descriptor.get_object()
            )
    return found


def docx_text(data):
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def docx_tables(data):
    document = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
