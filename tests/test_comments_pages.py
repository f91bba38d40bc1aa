# ruff: noqa: F811  (pytest fixtures imported from test_comments_actions are redefined as arguments)
"""Staff pages for public comment: moderation queue, clusters and answers, by role."""

import pytest
from django.urls import reverse

from review.models import AuditEvent, Comment

from .conftest import make_user
from .test_comments_actions import close, important, period, submit  # noqa: F401


def login(client, user):
    client.force_login(user)
    return client


def test_queue_shows_per_document_counts(client, period, drafter, django_assert_max_num_queries):
    a, b, _c = submit(period), submit(period, text="二"), submit(period, text="三")
    from review import comments

    comments.moderate(a, by=drafter, action="publish")
    comments.moderate(b, by=drafter, action="hide", reason="无关")
    login(client, drafter)
    with django_assert_max_num_queries(8 + 1):  # + 1: the bell (issue 20)
        page = client.get(reverse("desk:comment_queue")).content.decode()
    assert period.document.title in page
    assert "<td>1</td><td>1</td><td>1</td><td>0</td>" in page  # received, published, hidden, spam


def test_moderation_page_lists_received_comments_escaped(
    client, period, drafter, django_assert_max_num_queries
):
    for i in range(5):
        submit(
            period,
            text=f"<b>意见{i}</b>",
            author_kind="person",
            author_name="王五",
            contact="wang@example.com",
        )
    login(client, drafter)
    # + 3: the session is saved on every request (idle timeout, issue 16): SAVEPOINT, UPDATE, RELEASE
    with django_assert_max_num_queries(12 + 3 + 1):  # + 1: the bell (issue 20)
        response = client.get(reverse("desk:comments", args=[period.document_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;意见4&lt;/b&gt;" in page and "wang@example.com" in page
    assert 'class="count-received">5<' in page


def test_publish_hide_and_spam_over_http_each_write_one_event(client, period, legal_reviewer):
    a, b, c = submit(period), submit(period, text="二"), submit(period, text="三")
    login(client, legal_reviewer)
    url = lambda x: reverse("desk:comment_moderate", args=[period.document_id, x.pk])  # noqa: E731
    events = AuditEvent.objects.count()
    client.post(url(a), {"action": "publish"})
    response = client.post(url(b), {"action": "hide", "reason": ""}, follow=True)
    assert "须填写理由" in response.content.decode()
    client.post(url(b), {"action": "hide", "reason": "含有个人隐私"})
    client.post(url(c), {"action": "spam", "reason": "广告"})
    assert AuditEvent.objects.count() == events + 3
    assert dict(Comment.objects.values_list("receipt", "status")) == {
        a.receipt: "published",
        b.receipt: "hidden",
        c.receipt: "spam",
    }
    assert Comment.objects.count() == 3  # nothing deleted


def test_another_organisations_document_is_404_and_a_role_without_moderation_is_403(
    client, period, outsider, registrar
):
    comment = submit(period)
    login(client, outsider)
    for name, args in [
        ("desk:comments", [period.document_id]),
        ("desk:comment_answers", [period.document_id]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    assert (
        client.post(
            reverse("desk:comment_moderate", args=[period.document_id, comment.pk]),
            {"action": "spam"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("desk:comment_answer", args=[period.document_id, comment.pk]),
            {"response": "adopted", "reason": "x"},
        ).status_code
        == 404
    )
    login(client, registrar)
    assert client.get(reverse("desk:comments", args=[period.document_id])).status_code == 403
    assert (
        client.post(
            reverse("desk:comment_moderate", args=[period.document_id, comment.pk]),
            {"action": "spam"},
        ).status_code
        == 403
    )
    comment.refresh_from_db()
    assert comment.status == "received"


def test_comment_of_another_document_cannot_be_reached_through_this_one(
    client, period, drafter, bureau
):  # noqa: F811
    from review import actions

    other = actions.create_document(organisation=bureau, title="另一份文件", by=drafter)
    actions.add_version(other, by=drafter, text="第一条 另一份。")
    comment = submit(period)
    login(client, drafter)
    assert (
        client.post(
            reverse("desk:comment_moderate", args=[other.pk, comment.pk]), {"action": "spam"}
        ).status_code
        == 404
    )


def test_anonymous_user_is_sent_to_login(client, period):
    response = client.get(reverse("desk:comments", args=[period.document_id]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_cluster_then_answer_the_cluster_once_and_a_single_comment(client, period, drafter):
    copies = [submit(period, text="反对第三条收费规定！" + "！" * i) for i in range(4)]
    single = submit(period, text="第一条应写明依据。")
    close(period, drafter)
    login(client, drafter)
    client.post(reverse("desk:comment_cluster", args=[period.document_id]))
    page = client.get(reverse("desk:comment_answers", args=[period.document_id])).content.decode()
    assert "相似意见 4 条" in page
    cluster_id = Comment.objects.get(pk=copies[0].pk).cluster_id
    events = AuditEvent.objects.count()
    client.post(
        reverse("desk:cluster_answer", args=[period.document_id, cluster_id]),
        {"response": "not_adopted", "reason": "收费有上位法依据。", "article": "3"},
    )
    client.post(
        reverse("desk:comment_answer", args=[period.document_id, single.pk]),
        {"response": "adopted", "reason": "已写明。", "article": "1"},
    )
    assert AuditEvent.objects.count() == events + 2
    assert set(Comment.objects.values_list("response", flat=True)) == {"not_adopted", "adopted"}
    page = client.get(reverse("desk:comment_answers", args=[period.document_id])).content.decode()
    assert "采纳 1 条，部分采纳 0 条，不采纳 4 条，尚未答复 0 条" in page


def test_bad_answer_is_refused_with_a_message(client, period, drafter):
    comment = submit(period)
    login(client, drafter)
    response = client.post(
        reverse("desk:comment_answer", args=[period.document_id, comment.pk]),
        {"response": "maybe", "reason": "x"},
        follow=True,
    )
    assert "请选择采纳、部分采纳或不采纳" in response.content.decode()
    comment.refresh_from_db()
    assert comment.response == ""


def test_document_page_links_to_moderation(client, period, drafter):
    login(client, drafter)
    page = client.get(reverse("desk:document", args=[period.document_id])).content.decode()
    assert reverse("desk:comments", args=[period.document_id]) in page
    assert reverse("public:document", args=[period.document_id]) in page


@pytest.mark.parametrize("role", ["drafter", "legal_reviewer"])
def test_both_moderating_roles_open_the_pages(client, period, bureau, role):
    user = make_user(f"m-{role}", bureau, role)
    login(client, user)
    assert client.get(reverse("desk:comments", args=[period.document_id])).status_code == 200
    assert client.get(reverse("desk:comment_answers", args=[period.document_id])).status_code == 200


def test_the_legality_review_task_shows_how_the_comments_were_answered(
    client, period, drafter, legal_reviewer
):
    from review import actions, comments
    from workflows.driving import open_task
    from workflows.flows import IssuingFlow, adopt

    comment = submit(period)
    close(period, drafter)
    comments.answer(comment, by=drafter, response=Comment.Response.ADOPTED, reason="已在第三条补充")
    actions.submit_for_review(period.document, by=drafter, on=period.closes_on)
    adopt(period.document)
    task = open_task(period.document, IssuingFlow.legal_review)
    client.force_login(legal_reviewer)
    page = client.get(
        reverse("desk:task", args=["issuing", task.process_id, task.pk])
    ).content.decode()
    assert "征求意见及采纳情况" in page
    assert "共收到意见 1 条" in page
    assert "采纳" in page
