"""Inbox, register and document pages cost a constant number of queries,
whatever the number of documents, tasks and audit events."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review import actions
from workflows.flows import IssuingFlow

from .conftest import START
from .test_workflow_issuing import at

pytestmark = pytest.mark.django_db

# + 3: the session is saved on every request (idle timeout, issue 16): SAVEPOINT, UPDATE, RELEASE
# + 1: the bell's unread notifications (issue 20), one query whatever their number
LIMIT = 25 + 3 + 1


def make_documents(n, bureau, division, drafter):
    with at(START):
        for i in range(n):
            document = actions.create_document(
                organisation=bureau, drafting_unit=division, title=f"文件{i}", by=drafter
            )
            IssuingFlow.start.run(document=document)
            actions.add_version(document, by=drafter, text=f"第一条 第{i}稿")


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["desk:inbox", "desk:register", "desk:queue", "desk:archive"])
def test_lists_cost_the_same_with_few_or_many_documents(client, bureau, division, drafter, name):
    client.force_login(drafter)
    make_documents(3, bureau, division, drafter)
    few = count(client, reverse(name))
    make_documents(30, bureau, division, drafter)
    many = count(client, reverse(name))
    assert many == few
    assert many <= LIMIT


def test_the_document_page_costs_the_same_with_few_or_many_versions_and_events(
    client, document, drafter
):
    client.force_login(drafter)
    IssuingFlow.start.run(document=document)
    url = reverse("desk:document", args=[document.pk])
    actions.add_version(document, by=drafter, text="第一稿")
    few = count(client, url)
    for i in range(25):
        actions.add_version(document, by=drafter, text=f"第{i + 2}稿")
    many = count(client, url + "?a=1&b=20")
    assert many == few
    assert many <= LIMIT


def test_the_page_of_a_filed_document_stays_within_the_limit(client, document, actors):
    from workflows.driving import open_task, perform
    from workflows.flows import FilingReviewFlow

    from .test_workflow_issuing import walk_to_filing_review

    IssuingFlow.start.run(document=document)
    walk_to_filing_review(document, actors)
    client.force_login(actors.filing_reviewer)
    url = reverse("desk:document", args=[document.pk])
    in_review = count(client, url)
    with at(START):
        from review.driver import FILING_ALL_OK

        perform(
            open_task(document, FilingReviewFlow.register),
            actors.filing_reviewer,
            lambda d: actions.register_filing(d, by=actors.filing_reviewer),
        )
        perform(
            open_task(document, FilingReviewFlow.review),
            actors.filing_reviewer,
            lambda d: actions.accept_filing(
                d, by=actors.filing_reviewer, substantive=FILING_ALL_OK
            ),
        )
    filed = count(client, url)
    # + 1: a filed document's pushes to another deployment (issue 22), one query
    assert max(in_review, filed) <= LIMIT + 1, (in_review, filed)
