import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings

from review import audit
from review.demo_assist import ASSIST_DOCUMENTS
from review.demo_data import DOCUMENTS
from review.flags import store
from review.models import (
    AuditEvent,
    Classification,
    Correction,
    Escalation,
    Filing,
    FilingDemand,
    FilingReopening,
    FilingReview,
    FlagStage,
    JurisdictionSettings,
    LegalityReview,
    Membership,
    NormativeDocument,
    Organisation,
    Registration,
    Role,
)
from review.states import State
from workflows.management.commands.seed_demo import (
    DEMO_PASSWORD,
    USERS,  # with review.demo_people's
)

TODAY = datetime.date(2026, 11, 27)
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            JurisdictionSettings,
            get_user_model(),
            Membership,
            NormativeDocument,
            Registration,
            Filing,
            Correction,
            AuditEvent,
        )
    }


def document(title):
    return NormativeDocument.objects.get(title=title)


def spec_in(state):
    return next(spec for spec in DOCUMENTS if spec.state == state)


@pytest.fixture(autouse=True)
def today():
    # The seed's current documents are dated November 2026 and publication may not be in the future.
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, inside a transaction rolled back at its end: the seed
    walks two dozen documents through the actions (a few seconds), and each test's own
    `db` transaction nests in this one as a savepoint, so tests still cannot see each
    other's changes, and nothing is left for other modules. The hasher is the one the
    conftest's autouse fixture sets for each test, so the tests can check the password."""
    fast_hasher = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True), fast_hasher:
        block = transaction.atomic()
        block.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def output(seeded, db):
    return seeded


def test_seed_demo_puts_a_document_in_every_state(output):
    states = set(NormativeDocument.objects.values_list("state", flat=True))
    assert states == set(State.values)


def test_the_demo_adoption_draft_is_flagged_for_the_laws_the_civil_code_repealed(output):
    doc = document("安康市收养登记工作规程")
    assert doc.state == State.LEGALITY_REVIEW
    found = store.flags_of(doc, store.version_for(doc, FlagStage.LEGALITY))
    keys = {(flag.kind, flag.key) for flag in found}
    assert {("repealed_law", "婚姻法"), ("repealed_law", "收养法")} <= keys
    assert {("power_wording", "证明"), ("power_wording", "处罚")} <= keys


def test_every_role_is_held_by_a_seeded_user(output):
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert get_user_model().objects.get(username="admin").is_superuser


def test_only_the_system_administrator_is_staff(output):
    staff = get_user_model().objects.filter(is_staff=True).values_list("username", flat=True)
    assert list(staff) == ["admin"]


def test_the_county_drafter_cannot_open_a_city_document_in_the_admin(output, client):
    """Issue 10, item 3: every seeded user was staff, and this page was a 200."""
    city_document = NormativeDocument.objects.filter(organisation__code="akmz").first()
    client.force_login(get_user_model().objects.get(username="hb_drafter"))
    response = client.get(f"/admin/review/normativedocument/{city_document.pk}/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_audit_chain_of_the_seed_verifies(output):
    assert audit.verify() == AuditEvent.objects.count() > 0


def test_each_document_state_is_the_one_its_last_audit_event_recorded(output):
    """The seed moves documents only through the actions: no state without its event."""
    for doc in NormativeDocument.objects.all():
        last = AuditEvent.objects.filter(document=doc).order_by("-seq").first()
        assert last.to_state == doc.state, doc.title


def test_running_seed_demo_twice_creates_nothing_new(output):
    before = counts()
    second = seed()
    assert counts() == before
    assert "新建 0 项" in second
    assert all(f"跳过 用户 {spec.username}" in second for spec in USERS)
    assert audit.verify() == before["AuditEvent"]


def test_a_second_run_leaves_a_changed_password_alone(output):
    user = get_user_model().objects.get(username="auditor")
    user.set_password("changed-by-the-user")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password("changed-by-the-user")


def test_output_lists_every_login_and_the_demo_password(output):
    assert DEMO_PASSWORD in output
    for spec in USERS:
        assert spec.username in output
        assert spec.name in output
        assert get_user_model().objects.get(username=spec.username).check_password(DEMO_PASSWORD)


def test_output_has_one_line_per_created_document(output):
    lines = [line for line in output.splitlines() if line.startswith("创建 文件 ")]
    assert len(lines) == len(DOCUMENTS) + len(ASSIST_DOCUMENTS)
    for spec in [*DOCUMENTS, *ASSIST_DOCUMENTS]:
        quoted = "《" + spec.title.replace("《", "〈").replace("》", "〉") + "》"
        assert sum(quoted in line for line in lines) == 1, spec.title


def test_numbers_are_gap_free_and_follow_the_registration_dates(output):
    registrations = list(Registration.objects.order_by("signed_on", "pk"))
    for prefix, year, serial in (
        ("number_prefix", "number_year", "number_serial"),
        ("reg_prefix", "reg_year", "reg_serial"),
    ):
        serials = {}
        for reg in registrations:
            serials.setdefault((getattr(reg, prefix), getattr(reg, year)), []).append(
                getattr(reg, serial)
            )
        for key, found in serials.items():
            assert found == list(range(1, len(found) + 1)), key
    assert Registration.objects.filter(
        number="安民发〔2020〕1号", reg_number="安规〔2020〕001"
    ).exists()


def test_the_late_filing_is_recorded_as_late(output):
    late = document(next(s.title for s in DOCUMENTS if s.file_days_after)).latest_filing
    assert late.days_late > 0
    assert Filing.objects.filter(filed_on__gt=F("due_on")).count() == 1


def test_the_filing_missing_its_legal_basis_is_deferred(output):
    doc = document(next(s.title for s in DOCUMENTS if not s.legal_basis_file))
    assert doc.state == State.SUPPLEMENT
    assert doc.latest_filing.missing_materials == ["legal_basis"]
    assert doc.latest_filing.review.outcome == FilingReview.Outcome.DEFERRED
    assert doc.latest_filing.review.missing == ["legal_basis"]


def test_the_unfiled_document_was_published_in_2020_and_never_filed(output):
    doc = document(
        next(s.title for s in DOCUMENTS if s.state == State.FILING and s.legal_basis_file)
    )
    assert doc.publication.published_on.year == 2020
    assert not doc.filings.exists()


def test_corrections_pending_and_reported_are_open(output):
    pending = document(spec_in(State.CORRECTION).title).open_correction
    reported = document(spec_in(State.CORRECTED).title).open_correction
    assert pending.reported_on is None and pending.deadline >= TODAY
    # 备案条例 art. 17: issued Friday 6 November 2026 + 30 日 = Sunday 6 December,
    # so the deadline is Monday 7 December (民法典 art. 203).
    assert (pending.issued_on, pending.deadline) == (
        datetime.date(2026, 11, 6),
        datetime.date(2026, 12, 7),
    )
    assert reported.reported_on is not None and reported.reported_on <= reported.deadline
    # the one corrected and accepted, and the two closed by 撤销 and 改变
    assert Correction.objects.filter(closed_on__isnull=False).count() == 3


def test_the_seed_shows_each_filing_decision_at_least_once(output):
    """备案条例 art. 7, 10, 14, 20: every registration decision, both review conclusions,
    each escalation, a reopened review, 限期报送 and its 通报."""
    reviews = FilingReview.objects.all()
    for outcome in FilingReview.Outcome.values:
        assert reviews.filter(outcome=outcome).exists(), outcome
    for conclusion in FilingReview.Conclusion.values:
        assert reviews.filter(conclusion=conclusion).exists(), conclusion
    for kind in Escalation.Kind.values:
        assert Escalation.objects.filter(kind=kind).exists(), kind
    revoked = document(spec_in(State.REVOKED).title)
    assert revoked.escalations.get().decision_number == "安司备决〔2026〕1号"
    refused = document(spec_in(State.NOT_REGISTERED).title)
    assert refused.registration.reg_number  # keeps its 登记号
    assert FilingReopening.objects.filter(
        filing_review__filing__document=document(spec_in(State.UNDER_REVIEW).title)
    ).exists()
    demand = FilingDemand.objects.get()
    assert demand.notified_on > demand.deadline and demand.filed_on is None


def test_the_work_plan_is_rejected_as_not_normative_and_gets_no_number(output):
    doc = document(spec_in(State.REJECTED).title)
    assert doc.classification == Classification.NOT_NORMATIVE
    assert not Registration.objects.filter(document=doc).exists()


@pytest.mark.parametrize("title", ["安康市民政局政府信息公开制度", "安康市民政局政府信息公开指南"])
def test_the_information_documents_are_classified_not_normative_per_115(output, title):
    """国办发〔2018〕115号: a 政府信息公开制度 (a 工作制度) and 指南 are not normative
    documents: 不予登记、不编号, never published or filed as one."""
    doc = document(title)
    assert doc.state == State.REJECTED
    assert doc.classification == Classification.NOT_NORMATIVE
    assert "115号" in doc.end_note
    assert not Registration.objects.filter(document=doc).exists()
    assert not doc.filings.exists()


def test_the_repealed_document_states_its_reason_and_the_amended_one_its_successor(output):
    repealed = document(spec_in(State.REPEALED).title)
    amended = document(spec_in(State.AMENDED).title)
    assert repealed.repealed_by is None  # repealed by the 2020 清理, no successor
    assert "2020年规范性文件清理" in repealed.end_note
    assert amended.amended_by.title == spec_in(State.AMENDED).ended_by
    assert document(spec_in(State.EXPIRED).title).valid_until < TODAY


def test_the_public_comment_period_is_open_today(output):
    period = document(spec_in(State.PUBLIC_COMMENT).title).comment_periods.get()
    assert period.opens_on <= TODAY <= period.closes_on
    assert period.closed_at is None


def test_no_deadline_of_the_seed_falls_in_a_year_without_calendar_data(output):
    dates = [
        *Filing.objects.values_list("due_on", flat=True),
        *FilingReview.objects.values_list("due_on", flat=True),
        *Correction.objects.values_list("deadline", flat=True),
        *LegalityReview.objects.values_list("due_on", flat=True),
    ]
    assert dates and max(dates).year <= 2026


def test_the_county_drafter_sees_only_the_county_bureaus_documents(output):
    user = get_user_model().objects.get(username="hb_drafter")
    city_drafter = get_user_model().objects.get(username="drafter")
    county = set(
        NormativeDocument.objects.visible_to(user).values_list("organisation__code", flat=True)
    )
    assert county == {"hbmz"}
    assert (
        not NormativeDocument.objects.visible_to(city_drafter)
        .filter(organisation__code="hbmz")
        .exists()
    )


def test_the_demo_shows_an_advisors_disagreement_going_to_the_meeting(output):
    spec = next(s for s in DOCUMENTS if s.advisor_dissent)
    doc = document(spec.title)
    assert doc.state == State.DELIBERATION
    assert doc.legality_reviews.count() == 2 and doc.latest_review.passed
    [opinion] = doc.advisor_opinions_on_current()
    assert opinion.agrees is False and opinion.opinion == spec.advisor_dissent


def test_the_demo_has_a_county_bureau_whose_numbers_come_from_its_own_system(output):
    from review.models import NumberSource, Organisation

    assert Organisation.objects.get(code="hbmz").number_source == NumberSource.ENTERED
    assert Organisation.objects.get(code="akmz").number_source == NumberSource.ALLOCATED


def test_the_seed_shows_a_document_declared_invalid_in_a_cleanup_and_one_expired(output):
    invalid = document("安康市婚姻登记工作规程")
    assert (invalid.state, invalid.end_cause) == (State.EXPIRED, "declared_invalid")
    assert (invalid.end_decision_number, invalid.ended_on) == (
        "安民函〔2020〕135号",
        datetime.date(2021, 1, 1),
    )
    assert invalid.valid_until >= invalid.ended_on  # ended before its term ran out
    expired = document("安康市农村五保供养服务机构管理办法")
    assert expired.end_cause == "expired"
    assert expired.ended_on == expired.valid_until + datetime.timedelta(days=1)


def test_the_demo_has_each_of_the_three_administrators_and_user_administrators(output):
    from review.roles import THREE_ADMINS

    held = set(Membership.objects.values_list("role", flat=True))
    assert held >= set(THREE_ADMINS) | {"user_admin"}
    assert "user_admin" in output and "sec_admin" in output
