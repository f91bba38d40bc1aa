"""审查意见征集: during a legality review or a filing review the reviewer asks an
expert or an organisation for an opinion by a date; answers come back beside the
text and into the opinion letter, late ones marked; an outside expert's one-time
link expires. Audited."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from review import reports
from review.errors import NotPermitted, Refused
from review.models import AuditEvent, Consultation
from review.states import Role, State
from review.suggestions import consultation as consulting

from .conftest import make_user
from .test_reports_fixtures import docx_text, pdf_text
from .test_workflow_issuing import at

pytestmark = pytest.mark.django_db
D = datetime.date
ASKED_ON, DUE_ON = D(2020, 3, 10), D(2020, 3, 20)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def expert(authority):
    return make_user("expert", authority, Role.EXPERT, name="李教授")


@pytest.fixture
def in_review(walk, document):
    walk.to(State.LEGALITY_REVIEW)
    return document


def ask_expert(document, reviewer, expert, due_on=DUE_ON, on=ASKED_ON):
    consultation, token = consulting.ask(
        document,
        by=reviewer,
        addressee="",
        question="第五条的许可条件是否有上位法依据？",
        due_on=due_on,
        expert=expert,
        on=on,
    )
    assert token is None
    return consultation


def test_an_experts_answer_comes_back_beside_the_text_and_into_the_opinion_letter(
    client, in_review, legal_reviewer, expert
):
    consultation = ask_expert(in_review, legal_reviewer, expert)
    assert consultation.stage == Consultation.Stage.LEGALITY
    assert consultation.addressee == "李教授"
    client.force_login(expert)
    assert in_review.title in client.get(reverse("desk:my_consultations")).content.decode()
    with at(D(2020, 3, 19)):
        response = client.post(
            reverse("desk:consultation_answer", args=[consultation.pk]),
            {"answer": "第五条缺乏上位法依据，建议删除。"},
        )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.answered_on == D(2020, 3, 19) and not consultation.late
    client.force_login(legal_reviewer)
    page = client.get(reverse("desk:consultations", args=[in_review.pk])).content.decode()
    assert (
        "第五条缺乏上位法依据，建议删除。" in page and in_review.current_version.text[:10] in page
    )
    letter = pdf_text(reports.build("legality_opinion", in_review, "pdf")).replace("\n", "")
    assert "征求意见情况" in letter and "第五条缺乏上位法依据，建议删除。" in letter
    assert "逾期" not in letter
    actions_done = list(AuditEvent.objects.values_list("action", flat=True))
    assert "consultation_asked" in actions_done and "consultation_answered" in actions_done


def test_a_late_answer_is_taken_and_marked(in_review, legal_reviewer, expert):
    consultation = ask_expert(in_review, legal_reviewer, expert)
    with at(D(2020, 3, 23)):
        consulting.answer_as_expert(consultation, by=expert, text="同意。")
    consultation.refresh_from_db()
    assert consultation.late
    letter = docx_text(reports.build("legality_opinion", in_review, "docx"))
    assert "2020年3月23日答复（逾期）" in letter


def test_only_the_documents_reviewer_asks_and_only_the_expert_answers(
    client, in_review, legal_reviewer, drafter, expert, outsider
):
    with pytest.raises(NotPermitted):
        ask_expert(in_review, drafter, expert)
    with pytest.raises(Refused, match="不是专家"):
        ask_expert(in_review, legal_reviewer, drafter)
    with pytest.raises(Refused, match="答复期限须晚于征求之日"):
        ask_expert(in_review, legal_reviewer, expert, due_on=D(2020, 3, 10))
    consultation = ask_expert(in_review, legal_reviewer, expert)
    with pytest.raises(NotPermitted):
        consulting.answer_as_expert(consultation, by=drafter, text="x")
    client.force_login(outsider)
    assert client.get(reverse("desk:consultations", args=[in_review.pk])).status_code == 404
    assert (
        client.get(reverse("desk:consultation_answer", args=[consultation.pk])).status_code == 404
    )
    assert Consultation.objects.filter(answered_on__isnull=False).count() == 0


def test_an_outside_link_answers_once_and_expires(client, in_review, legal_reviewer):
    consultation, token = consulting.ask(
        in_review,
        by=legal_reviewer,
        addressee="安康市市场监督管理局",
        question="是否影响市场主体经营？",
        due_on=D(2020, 3, 20),
        outside=True,
        on=D(2020, 3, 10),
    )
    assert token and consultation.token_hash == consulting.token_digest(token)
    assert token not in consultation.token_hash
    # 30 日 from 10 March 2020: Thursday 9 April; the link answers until that day ends.
    url = reverse("public:consult", args=[token])
    with at(D(2020, 4, 10)):
        assert client.get(url).status_code == 410
        assert client.post(url, {"answer": "太迟"}).status_code == 410
    assert not Consultation.objects.get().answered
    with at(D(2020, 4, 9)):
        page = client.get(url)
        assert page.status_code == 200 and "是否影响市场主体经营？" in page.content.decode()
        assert client.post(url, {"answer": "不影响。", "name": "王科长"}).status_code == 200
        assert client.post(url, {"answer": "再答一次"}).status_code == 410
    consultation.refresh_from_db()
    assert consultation.answer == "不影响。" and consultation.late
    assert consultation.addressee == "安康市市场监督管理局（王科长）"
    assert client.get(reverse("public:consult", args=["not-a-token"])).status_code == 410


def test_a_filing_reviewer_asks_during_the_filing_review_and_the_opinion_lists_it(
    walk, document, filing_reviewer, expert
):
    walk.to(State.UNDER_REVIEW)
    consultation, _token = consulting.ask(
        document,
        by=filing_reviewer,
        addressee="",
        question="请提出意见",
        due_on=D(2020, 4, 1),
        expert=expert,
        on=D(2020, 3, 12),
    )
    assert consultation.stage == Consultation.Stage.FILING
    with at(D(2020, 3, 20)):
        consulting.answer_as_expert(consultation, by=expert, text="未发现问题。")
    letter = pdf_text(reports.build("review_opinion", document, "pdf")).replace("\n", "")
    assert "征求意见情况" in letter and "未发现问题。" in letter
