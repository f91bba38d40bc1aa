"""The world the API tests read (issue 21): a city bureau's filed document, its draft,
a county bureau's draft, a closed comment period with a published, answered comment
from a private person who left a contact, and tokens of both bureaus.

Fixtures, imported by tests/test_api*.py."""

import pytest
from django.contrib.auth import get_user_model

from api import tokens
from api.models import TokenScope
from review import actions, comments
from review.driver import Walker
from review.models import Comment
from review.states import Role, State

from .conftest import START, make_user
from .test_comments_actions import close, submit

CONTACT = "zhang.san@example.com"
PERSON = "张三"


class World:
    pass


@pytest.fixture
def world(db, document, actors, bureau, division, county_bureau, period, drafter, outsider):
    w = World()
    # the commented document (the `period` fixture's, important): one published answered
    # comment of a named person with a contact, one hidden
    kept = submit(
        period,
        article=1,
        author_kind=Comment.AuthorKind.PERSON,
        author_name=PERSON,
        contact=CONTACT,
    )
    hidden = submit(period, text="不予公开的意见")
    comments.moderate(kept, by=drafter, action="publish")
    comments.moderate(hidden, by=drafter, action="hide", reason="与本文件无关")
    w.period = close(period, drafter)
    comments.answer(kept, by=drafter, response="adopted", reason="已采纳。")
    w.commented = period.document
    # a filed document of the city bureau, through every action
    w.filed = actions.create_document(
        organisation=bureau,
        drafting_unit=division,
        title="安康市最低生活保障审核确认办法",
        by=drafter,
        legal_basis="《社会救助暂行办法》",
    )
    Walker(w.filed, actors, START).to(State.FILED)
    w.city_draft = actions.create_document(
        organisation=bureau, title="安康市民政局内部草稿", by=drafter
    )
    w.county_draft = actions.create_document(
        organisation=county_bureau, title="汉滨区民政局草稿", by=outsider
    )
    w.admin = make_user("bureau-admin", bureau, Role.ADMIN)
    w.county_admin = make_user("county-admin", county_bureau, Role.ADMIN)
    w.tokens = {}
    for org, admin, key in ((bureau, w.admin, "city"), (county_bureau, w.county_admin, "county")):
        for scope in TokenScope.values:
            w.tokens[key, scope] = tokens.create_token(
                organisation=org,
                by=admin,
                name=f"{key} {scope}",
                roles=[Role.REGISTRAR, Role.AUDITOR],
                scope=scope,
            )[1]
    w.bureau, w.county_bureau = bureau, county_bureau
    return w


def bearer(clear):
    return {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


def service_users():
    return get_user_model().objects.filter(username__startswith="api-")
