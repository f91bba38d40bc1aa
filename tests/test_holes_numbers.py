"""Issue 13 §4, numbers: the 文号 entered from the bureau's 公文 system (format and
uniqueness checked, gaps not), the gap-free 登记号 always guifan's and printed on the
正式文本; full-width digits and bracket lookalikes in an imported 文号 normalised,
duplicates compared on the parsed parts."""

from io import BytesIO

import docx
import pytest
from django.utils import translation

from desk.forms import RegisterForm
from review import actions, numbering
from review.driver import Walker
from review.errors import Refused
from review.models import (
    AuditEvent,
    NumberSequence,
    NumberSource,
    Organisation,
    Registration,
)
from review.reports import build
from review.states import State

from .conftest import START
from .test_import_register import GOOD, refused, run, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_chinese():
    """The refusals are compared as users of the default language read them, whatever
    language an earlier test left active in this thread."""
    with translation.override("zh-hans"):
        yield


def refuses(call, match, registrations=0):
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as caught:
        call()
    assert match in caught.value.message, caught.value.message
    assert AuditEvent.objects.count() == events
    assert Registration.objects.count() == registrations


@pytest.fixture
def entered(bureau):
    Organisation.objects.filter(pk=bureau.pk).update(number_source=NumberSource.ENTERED)
    bureau.refresh_from_db()
    return bureau


@pytest.fixture
def ready(entered, walk, document):
    walk.to(State.REGISTRATION)
    document.refresh_from_db()
    return walk


def register(walk, number):
    return actions.register_and_number(
        walk.document, by=walk.actors.registrar, number=number, on=walk.day
    )


# --- 8. the 文号 source -----------------------------------------------------------


@pytest.mark.parametrize(
    "number, words",
    [
        ("", "本机关的发文字号由公文系统编排：请录入公文系统所编的发文字号"),
        ("安民发[2020]57号", "发文字号不符合规定格式"),
        ("安民发〔2020〕057号", "不应编虚位"),
        ("安教发〔2020〕57号", "发文字号的机关代字“安教发”与本机关代字“安民发”不符"),
        ("安民发〔2099〕57号", "发文字号的年份 2099 晚于登记年度"),
    ],
)
def test_an_entered_number_is_checked_for_format(ready, document, number, words):
    refuses(lambda: register(ready, number), words)
    document.refresh_from_db()
    assert document.state == State.REGISTRATION


def test_an_entered_number_is_taken_as_it_is_and_the_registration_number_is_allocated(
    ready, document
):
    registration = register(ready, "安民发〔２０２０〕５７号")  # full width, from a 公文 system
    assert (registration.number, registration.reg_number) == (
        "安民发〔2020〕57号",
        "安规〔2020〕001",
    )
    assert (registration.number_prefix, registration.number_year, registration.number_serial) == (
        "安民发",
        2020,
        57,
    )
    # no gap check, and guifan's own 文号 counter is not touched
    assert not NumberSequence.objects.filter(kind=NumberSequence.Kind.DOCUMENT_NUMBER).exists()
    event = document.audit_events.order_by("-seq").first()
    assert event.data["number_source"] == NumberSource.ENTERED


def test_an_entered_number_already_used_is_refused(ready, document, actors, bureau, division):
    register(ready, "安民发〔2020〕57号")
    other = actions.create_document(
        organisation=bureau,
        drafting_unit=division,
        title="安康市民政局第二份文件",
        by=actors.drafter,
        legal_basis="依据",
    )
    walk = Walker(other, actors, START)
    walk.to(State.REGISTRATION)
    refuses(
        lambda: register(walk, "安民发〔2020〕57号"),
        "发文字号 安民发〔2020〕57号 已被《安康市民政局政府信息公开制度》使用",
        registrations=1,
    )
    assert register(walk, "安民发〔2020〕60号").reg_number == "安规〔2020〕002"


def test_the_register_form_asks_for_the_number_only_where_the_body_enters_it(
    walk, document, bureau
):
    assert "number" not in RegisterForm({}, document=document).fields
    Organisation.objects.filter(pk=bureau.pk).update(number_source=NumberSource.ENTERED)
    document.organisation.refresh_from_db()
    form = RegisterForm({}, document=document)
    assert not form.is_valid() and "number" in form.errors


def test_the_register_form_refuses_a_bad_number_in_the_actions_words(ready, document):
    form = RegisterForm({"number": "安教发〔2020〕57号"}, document=document)
    assert not form.is_valid()
    with pytest.raises(Refused) as caught:
        register(ready, "安教发〔2020〕57号")
    assert form.non_field_errors() == [caught.value.message]


def test_the_registration_number_is_printed_on_the_official_text(walk, document):
    walk.to(State.FILING)
    text = "\n".join(
        p.text for p in docx.Document(BytesIO(build("official_text", document, "docx"))).paragraphs
    )
    assert "统一登记号：安规〔2020〕001" in text


# --- 9. full-width digits in an imported 文号 -------------------------------------------


def test_full_width_digits_and_bracket_lookalikes_are_normalised():
    assert numbering.normalise_number(" 安民发﹝２０２０﹞５号 ") == "安民发〔2020〕5号"
    assert numbering.parse_document_number(
        numbering.normalise_number("安民发〔２０２０〕５号")
    ) == (
        "安民发",
        2020,
        5,
    )
    with pytest.raises(ValueError, match="六角括号"):
        numbering.parse_document_number(numbering.normalise_number("安民发【２０２０】５号"))


def test_a_full_width_twin_in_a_register_is_reported_not_crashed(bureau, tmp_path):
    twin = list(GOOD[0])
    twin[1] = "安康市临时救助实施细则（重复登记）"
    twin[2] = "安民发〔２０２０〕３号"
    twin[3] = "安规〔２０２０〕０２１"
    message, err, _out = refused(write_csv(tmp_path / "台账.csv", [*GOOD, twin]))
    assert "发文字号 安民发〔2020〕3号 与第2行重复" in err + message
    assert not Registration.objects.exists()


def test_a_full_width_number_imports_in_its_one_written_form(bureau, tmp_path):
    row = list(GOOD[0])
    row[2] = "安民发〔２０２０〕３号"
    row[3] = "安规〔２０２０〕００１"
    run(write_csv(tmp_path / "台账.csv", [row]))
    registration = Registration.objects.get()
    assert (registration.number, registration.reg_number) == (
        "安民发〔2020〕3号",
        "安规〔2020〕001",
    )
