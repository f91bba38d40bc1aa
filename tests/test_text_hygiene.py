# ruff: noqa: F811  (pytest fixtures imported from other test modules are redefined as arguments)
"""Control characters (a \\x0b from Word's Shift+Enter) are cleaned where text comes in,
in the rows stored before, and wherever text enters a DOCX or PDF."""

import datetime
import importlib
import io
from io import StringIO

import docx
import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from desk.forms import DocumentForm, LegalReviewForm
from review import actions, comments
from review.models import (
    CHECKLIST_KEYS,
    AuditEvent,
    Comment,
    CommentPeriod,
    DocumentVersion,
    LegalityReview,
    NormativeDocument,
    Organisation,
    sha256_bytes,
)
from review.reports import audit_report, build
from review.text import clean_data, clean_text
from review.uploads import docx_text
from tests.test_comments_actions import DURING, close, during, important, period, submit  # noqa: F401
from tests.test_import_register import GOOD, run, write_csv
from tests.test_reports_fixtures import (  # noqa: F401  (fixtures)
    D,
    city_government,
    civil_affairs,
    docx_tables,
    justice,
    pdf_text,
    published,
    squash,
)

MIGRATION = importlib.import_module("review.migrations.0006_clean_control_characters")
VT, FF = "\x0b", "\x0c"


# --- the function -----------------------------------------------------------------


def test_a_manual_line_break_from_word_becomes_a_line_break_or_in_one_line_a_space():
    assert clean_text(f"第一款{VT}第二款") == "第一款\n第二款"
    assert clean_text(f"第一款{FF}第二款\r\n第三款\r第四款") == "第一款\n第二款\n第三款\n第四款"
    assert clean_text(f"关于{VT}养老服务的通知", multiline=False) == "关于 养老服务的通知"
    assert clean_text("两行\n标题", multiline=False) == "两行 标题"


def test_other_control_characters_and_what_xml_forbids_are_dropped_but_a_tab_stays():
    assert clean_text("a\x00b\x07c\x1fd\x7fe\x9ff") == "abcdef"
    assert clean_text("a\ufffeb\uffffc") == "abc"
    assert clean_text("lone \ud800surrogate") == "lone surrogate"
    assert clean_text("序号\t名称") == "序号\t名称"


def test_clean_text_leaves_clean_text_and_what_is_not_text_alone():
    text = "安康市民政局关于进一步加强最低生活保障工作的通知\n一、总体要求"
    assert clean_text(text) is text
    assert clean_text(None) is None and clean_text(5) == 5
    assert clean_data({"note": f"a{VT}b", "ok": True, "items": [f"c{FF}d", 1]}) == {
        "note": "a\nb",
        "ok": True,
        "items": ["c\nd", 1],
    }


# --- outputs: stored dirty text never fails a DOCX or a PDF -------------------------


def _period_with_a_dirty_comment(document):
    version = document.registration.version
    period = CommentPeriod.objects.create(
        document=document, version=version, opens_on=D(2020, 3, 2), closes_on=D(2020, 3, 10)
    )
    Comment.objects.create(
        period=period,
        receipt="R20200001",
        text=f"建议明确审核时限{VT}并公开办理进度\ufffe",
        response="adopted",
        response_reason=f"已采纳。{FF}见第五条\x01",
        status=Comment.Status.PUBLISHED,
        submitted_at=datetime.datetime(2020, 3, 3, 9, tzinfo=datetime.UTC),
        author_kind=Comment.AuthorKind.PERSON,
    )
    return period


def test_a_comment_with_a_manual_line_break_still_gives_the_comment_summary(civil_affairs):
    document = published(civil_affairs, "安康市民政局养老服务补贴发放办法", D(2020, 5, 9))
    _period_with_a_dirty_comment(document)

    data = build("comment_summary", document, "docx")
    row = docx_tables(data)[0][1]
    assert row[3] == "建议明确审核时限\n并公开办理进度"  # the \x0b is a line break (w:br)
    assert row[5] == "已采纳。\n见第五条"
    text = squash(pdf_text(build("comment_summary", document, "pdf")))
    assert "建议明确审核时限" in text and "并公开办理进度" in text  # two lines of a cell


def test_a_title_with_a_manual_line_break_still_gives_the_authoritys_audit_report(
    civil_affairs,
):
    published(civil_affairs, f"安康市民政局关于加强{VT}殡葬管理工作的通知", D(2020, 6, 1))
    report = audit_report.compute(authority="aksfj", year=2020, today=D(2021, 1, 10))

    data = build("filing_audit", report, "docx")
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "安康市民政局关于加强\n殡葬管理工作的通知" in cells
    text = squash(pdf_text(build("filing_audit", report, "pdf")))
    assert "殡葬管理" in text  # a narrow column: the title wraps within its cell
    assert build("filing_audit", report, "csv")  # and the CSV and JSON
    assert build("filing_audit", report, "json")


def test_every_output_of_a_document_with_control_characters_everywhere_builds(civil_affairs):
    title = f"安康市民政局{VT}最低生活保障\x01审核确认办法"
    # (PostgreSQL stores no NUL and neither database a lone surrogate: see the next test)
    body = f"各县区民政局：{VT}现就有关事项通知如下。{FF}一、总体要求\x1b\ufffe"
    document = published(civil_affairs, title, D(2020, 5, 9), text=body)
    Organisation.objects.filter(pk=civil_affairs.pk).update(name=f"安康市民政局{VT}")

    for kind in ("official_text", "filing_report"):
        for fmt in ("docx", "pdf"):
            assert build(kind, document, fmt), (kind, fmt)
    official = docx.Document(io.BytesIO(build("official_text", document, "docx")))
    assert official.core_properties.title == "安康市民政局 最低生活保障审核确认办法"
    assert "现就有关事项通知如下。" in "\n".join(p.text for p in official.paragraphs)


def test_the_renderers_clean_what_no_database_would_store():
    from review.reports import docx as docx_renderer
    from review.reports import layout as L
    from review.reports import pdf as pdf_renderer

    dirty = "半个\ud800代理对\x00与空字符"
    document = L.Document(title=dirty, author=dirty, subject=dirty)
    document.add(
        L.Title(dirty),
        L.Para(dirty),
        L.Table([L.Column("列", 1)], [[dirty]]),
        L.BarChart(dirty, [dirty], [("率", [0.5])]),
    )
    data = docx_renderer.render(document)
    assert "半个代理对与空字符" in docx.Document(io.BytesIO(data)).paragraphs[0].text
    assert "半个代理对与空字符" in squash(pdf_text(pdf_renderer.render(document)))


# --- input: forms, the public form, staff answers, uploads, the importer ------------


def test_a_document_created_with_a_manual_line_break_is_stored_clean(
    client, drafter, bureau, division
):
    client.force_login(drafter)
    response = client.post(
        reverse("desk:document_new"),
        {
            "organisation": bureau.pk,
            "title": f"安康市民政局{VT}政府信息公开制度",
            "drafting_unit": division.pk,
            "category": "government_affairs",
            "legal_basis": f"《政府信息公开条例》{VT}《档案法》\x00",
        },
    )
    assert response.status_code == 302
    document = NormativeDocument.objects.get()
    assert document.title == "安康市民政局 政府信息公开制度"  # one line: a space
    assert document.legal_basis == "《政府信息公开条例》\n《档案法》"  # a text area: a line
    assert AuditEvent.objects.get(action="create").note == document.title


def test_every_text_field_of_a_form_is_cleaned_including_fields_added_later(bureau):
    form = DocumentForm(
        {
            "organisation": bureau.pk,
            "title": f"标题{VT}",
            "category": "government_affairs",
            "legal_basis": "",
        },
        organisations=Organisation.objects.filter(pk=bureau.pk),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "标题"
    review = LegalReviewForm(
        {
            "normative": "1",
            "outcome": "lawful",
            "opinion": f"合法{VT}无问题",
            "subject_note": f"主体{VT}合法",
            **{f"{key}_answer": "ok" for key in CHECKLIST_KEYS},
        }
    )
    assert review.is_valid(), review.errors
    assert review.cleaned_data["opinion"] == "合法\n无问题"
    assert review.cleaned_data["checklist"]["subject"]["note"] == "主体 合法"


def test_a_field_holding_only_control_characters_counts_as_empty(bureau):
    form = DocumentForm(
        {"organisation": bureau.pk, "title": f"{VT}\x00", "category": "government_affairs"},
        organisations=Organisation.objects.filter(pk=bureau.pk),
    )
    assert not form.is_valid()
    assert "title" in form.errors


def test_a_public_comment_with_a_manual_line_break_is_stored_with_a_line_break(client, period):
    import time_machine
    from django.core.cache import cache

    cache.clear()
    with time_machine.travel(DURING, tick=False):
        response = client.post(
            reverse("public:submit", args=[period.document_id]),
            {
                "article": "3",
                "author_kind": "person",
                "author_name": f"张{VT}三",
                "contact": "",
                "text": f"建议第三条增加投诉电话。{VT}并公开监督渠道。\x00",
                "website": "",
            },
        )
    cache.clear()
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.text == "建议第三条增加投诉电话。\n并公开监督渠道。"
    assert comment.author_name == "张 三"


def test_an_answer_and_a_hiding_reason_typed_with_control_characters_are_stored_clean(
    client, period, drafter
):
    answered, hidden = submit(period), submit(period, text="二")
    client.force_login(drafter)
    client.post(
        reverse("desk:comment_answer", args=[period.document_id, answered.pk]),
        {"response": "adopted", "reason": f"已采纳{VT}见第三条"},
    )
    client.post(
        reverse("desk:comment_moderate", args=[period.document_id, hidden.pk]),
        {"action": "hide", "reason": f"含有{VT}个人信息"},
    )
    answered.refresh_from_db()
    hidden.refresh_from_db()
    assert answered.response_reason == "已采纳\n见第三条"
    assert hidden.hidden_reason == "含有 个人信息"


def _docx_bytes(*paragraphs):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_text_extracted_from_an_upload_has_no_control_characters():
    # XML 1.0 allows NEL and the C1 controls in a .docx; they are no text either.
    data = _docx_bytes("第一条\x85第二条", "第三条\x80\u2028第四条")
    assert docx_text(data) == "第一条\n第二条\n第三条\n第四条"


def test_the_importer_cleans_every_cell_and_keeps_a_title_on_one_line(bureau, tmp_path):
    rows = [list(row) for row in GOOD[:1]]
    rows[0][1] = f"安康市临时救助{VT}实施细则"
    run(write_csv(tmp_path / "r.csv", rows))
    document = NormativeDocument.objects.get()
    assert document.title == "安康市临时救助 实施细则"
    assert VT not in AuditEvent.objects.get(action="import").data["title"]


# --- rows stored before: migration 0006 ----------------------------------------------


def _dirty_rows(civil_affairs):
    document = published(civil_affairs, f"安康市民政局{VT}婚姻登记工作规范", D(2020, 3, 2))
    NormativeDocument.objects.filter(pk=document.pk).update(legal_basis=f"《婚姻登记条例》{VT}")
    version = document.registration.version
    review = LegalityReview.objects.create(
        document=document,
        version=version,
        version_sha256=version.sha256,
        started_at=datetime.datetime(2020, 2, 1, tzinfo=datetime.UTC),
        due_on=D(2020, 2, 20),
        checklist={"subject": {"ok": False, "note": f"主体{VT}不合法"}},
        outcome="lawful",
        opinion=f"合法。{FF}",
    )
    typed = DocumentVersion.objects.create(
        document=document, number=2, text=f"正文{VT}", sha256=sha256_bytes(f"正文{VT}".encode())
    )
    uploaded = DocumentVersion.objects.create(
        document=document, number=3, text=f"上传的正文{VT}", sha256="a" * 64
    )
    return document, review, typed, uploaded


def test_the_migration_cleans_every_stored_text_column_of_reviews_models(civil_affairs):
    document, review, typed, uploaded = _dirty_rows(civil_affairs)

    changed = MIGRATION.clean_stored_text(django_apps)

    document.refresh_from_db()
    review.refresh_from_db()
    typed.refresh_from_db()
    uploaded.refresh_from_db()
    assert document.title == "安康市民政局 婚姻登记工作规范"  # CharField: one line
    assert document.legal_basis == "《婚姻登记条例》\n"  # TextField: a line break
    assert review.opinion == "合法。\n"
    assert review.checklist == {"subject": {"ok": False, "note": "主体\n不合法"}}
    assert uploaded.text == "上传的正文\n"  # extracted from a file: its hash is the file's
    assert typed.text == f"正文{VT}"  # typed: its recorded SHA-256 is that of this text
    assert changed == 3
    assert MIGRATION.clean_stored_text(django_apps) == 0  # run again: nothing left


def test_the_migration_runs_on_the_historical_models_of_its_own_state(civil_affairs):
    document, *_rows = _dirty_rows(civil_affairs)
    state = MigrationLoader(None, ignore_no_migrations=True).project_state(
        ("review", "0006_clean_control_characters")
    )

    MIGRATION.clean_stored_text(state.apps)

    document.refresh_from_db()
    assert document.title == "安康市民政局 婚姻登记工作规范"
    operation = MIGRATION.Migration.operations[0]
    assert operation.reversible and operation.reverse_code.__name__ == "noop"


@pytest.mark.django_db
def test_the_migration_leaves_the_audit_chain_and_closed_comments_verifiable(
    period, drafter, during
):
    document = period.document
    NormativeDocument.objects.filter(pk=document.pk).update(title=f"{document.title}{VT}")
    comment = submit(period, text=f"建议{VT}增加投诉电话。")  # the action stores it as given
    actions.add_attachment(document, by=drafter, kind="drafting_note", text="说明")
    close(period, drafter)
    call_command("verify_audit", stdout=StringIO())

    MIGRATION.clean_stored_text(django_apps)

    out = StringIO()
    call_command("verify_audit", stdout=out)  # raises CommandError if broken
    assert "审计链完整" in out.getvalue()
    assert comments.verify_digests() == []
    comment.refresh_from_db()
    assert comment.text == f"建议{VT}增加投诉电话。"  # as received: its hash is in the chain
    assert VT not in NormativeDocument.objects.get(pk=document.pk).title
