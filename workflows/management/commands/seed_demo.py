"""manage.py seed_demo: 安康市民政局's bodies, people and documents for the demo.

Every document is walked to its state by `review.actions` (through
`review.driver.Walker`), never by writing a state field: the demo shows exactly
what the system records, audit chain included. Idempotent: organisations are
matched by code, users by username and documents by title within their
organisation; what exists is skipped, and a user's password is set only when the
user is created. Only the system administrator (`admin`) is staff. Refused in
production (DJANGO_ENV=production): every demo account has the same published password.
It lives with the flows because it ends by starting them (adopt_documents): the law
(review/) starts no flow.

The dates are fixed: 2015 and 2020 (the year of the seed report) for documents
whose life is over or settled, November 2026 for the ones in progress, chosen so
that every deadline they start ends in 2026 (the calendar has no 2027 data yet).
"""

import datetime
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from review import actions, demo_reconciliation
from review.calendar import CalendarMissing, WorkingCalendar
from review.demo_assist import ASSIST_DOCUMENTS, settle_flags
from review.demo_data import AUTHORITY, DOCUMENTS, JURISDICTIONS, ORGANISATIONS, body
from review.demo_data import USERS as DOCUMENT_USERS
from review.demo_people import PEOPLE
from review.driver import ALL_OK, Actors, Walker
from review.errors import NotPermitted, Refused
from review.models import (
    AttachmentKind,
    FlagStage,
    JurisdictionSettings,
    Membership,
    NormativeDocument,
    Organisation,
    Publication,
    Registration,
    ReviewOutcome,
    Role,
)
from review.states import State
from workflows import demo_suggestions

from . import _seed_filing as seed_filing
from . import _seed_validity as seed_validity

# The one password of every demo account. Printed by the command; never use it outside a demo.
DEMO_PASSWORD = "guifan-demo-2020"

# States a document reaches only after it has been registered and numbered.
NUMBERED_STATES = {
    State.PUBLICATION,
    State.FILING,
    State.FILING_REVIEW,
    State.SUPPLEMENT,
    State.NOT_REGISTERED,
    State.UNDER_REVIEW,
    State.CORRECTION,
    State.CORRECTED,
    State.FILED,
    State.EXPIRED,
    State.REPEALED,
    State.AMENDED,
    State.REVOKED,
}

DAY = datetime.timedelta(days=1)
# The documents' people and the administrators of people (review.demo_people).
USERS = [*DOCUMENT_USERS, *PEOPLE]


class DemoWalker(Walker):
    """A Walker whose meetings, registrations and filings fall on working days
    (a 局务会 on a Sunday would look wrong in the demo)."""

    calendar = None

    def working(self, day):
        if self.calendar is None:
            self.calendar = WorkingCalendar()
        while not self.calendar.is_working_day(day):
            day += DAY
        return day

    def peek(self):
        """The day the next dated step will happen on."""
        return self.working(self.day + datetime.timedelta(days=self.gap))

    def next_day(self):
        self.day = self.peek()
        return self.day

    def later(self, days):
        """A step that comes `days` days after the previous one (e.g. a correction's report)."""
        self.day = self.working(self.day + datetime.timedelta(days=days))
        return self.day

    def submit_for_review(self):
        self.day = self.working(self.day)
        super().submit_for_review()

    def review(self, outcome=ReviewOutcome.LAWFUL):
        if outcome == ReviewOutcome.LAWFUL:
            settle_flags(self.document, self.actors.legal_reviewer, self.day)
        super().review(outcome)

    def accept_filing(self):
        day = self.peek()  # the day Walker.accept_filing concludes on
        settle_flags(self.document, self.actors.filing_reviewer, day, FlagStage.FILING)
        super().accept_filing()

    def review_over_dissent(self, dissent):
        """The advisor disagrees with the first conclusion, which sends the review back;
        the legal division concludes again and the document goes to the meeting with
        the disagreement on record."""
        a, document = self.actors, self.document
        settle_flags(document, a.legal_reviewer, self.day)
        actions.classify(document, by=a.legal_reviewer, normative=True, note="属于行政规范性文件")
        conclude = {"outcome": ReviewOutcome.LAWFUL, "checklist": ALL_OK}
        actions.record_legality_review(
            document, by=a.legal_reviewer, opinion="经审核，该文件合法。", on=self.day, **conclude
        )
        actions.sign_advisor_opinion(
            document, by=a.advisor, opinion=dissent, agrees=False, on=self.next_day()
        )
        actions.record_legality_review(
            document,
            by=a.legal_reviewer,
            opinion="经研究法律顾问意见，第五条系对评估结果的运用，不设定新的义务，仍认定合法；"
            "法律顾问的不同意见随附提交审议。",
            on=self.next_day(),
            **conclude,
        )
        actions.send_to_deliberation(document, by=a.legal_reviewer)


def book(title):
    """A title in book-title marks; marks inside it become 〈〉 (《关于修改〈…〉的决定》)."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text, width):
    return text + " " * max(0, width - display_width(text))


class Command(BaseCommand):
    help = (
        "创建演示数据：安康市民政局及其科室、两个县区民政局、安康市司法局，各角色演示账号，"
        "以及处于各个状态的规范性文件（经由 review.actions 办理）。可重复运行：已存在的跳过。"
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # The demo accounts share one password, printed here and in the source.
            raise CommandError(
                "生产环境（DJANGO_ENV=production）不得写入演示数据：演示账号的密码是公开的。"
                " seed_demo refuses to run in production: the demo accounts' password is public."
            )
        self.counts = {"created": 0, "skipped": 0}
        try:
            with transaction.atomic():
                orgs = self.seed_organisations()
                users = self.seed_users(orgs)
                self.seed_documents(orgs, users)
                demo_suggestions.seed(orgs, users, self.said, DEMO_PASSWORD)
                # Who acts next: each document joins its workflow at the state it reached.
                call_command("adopt_documents", stdout=self.stdout)
                seed_validity.seed(self)
                demo_reconciliation.seed(self.created, self.skipped)
        except (Refused, NotPermitted, CalendarMissing) as exc:
            raise CommandError(f"演示数据创建失败，已全部回滚：{exc}") from exc
        self.stdout.write(
            f"完成：新建 {self.counts['created']} 项，跳过 {self.counts['skipped']} 项（已存在）。"
        )
        self.print_logins()

    # --- output ---------------------------------------------------------------

    def created(self, line):
        self.counts["created"] += 1
        self.stdout.write(f"创建 {line}")

    def said(self, line, created=True):
        """A line of workflows.demo_suggestions, counted like the others."""
        self.counts["created" if created else "skipped"] += 1
        self.stdout.write(line)

    def skipped(self, line):
        self.counts["skipped"] += 1
        self.stdout.write(f"跳过 {line}（已存在）")

    # --- organisations --------------------------------------------------------

    def seed_organisations(self):
        orgs = {}
        for spec in ORGANISATIONS:
            org = Organisation.objects.filter(code=spec.code).first()
            if org is not None:
                self.skipped(f"单位 {spec.code} {org.name}")
            else:
                org = Organisation.objects.create(
                    code=spec.code,
                    name=spec.name,
                    short_name=spec.short_name,
                    kind=spec.kind,
                    issuing_code=spec.issuing_code,
                    may_issue=spec.may_issue,
                    number_source=spec.number_source,
                    parent=orgs[spec.parent] if spec.parent else None,
                    files_with=orgs[spec.files_with] if spec.files_with else None,
                )
                self.created(f"单位 {org.code} {org.name}（{org.get_kind_display()}）")
            orgs[spec.code] = org
        for code, values in JURISDICTIONS.items():
            found, made = JurisdictionSettings.objects.get_or_create(
                organisation=orgs[code], defaults=values
            )
            what = f"辖区设置 {orgs[code].name}（登记号前缀 {found.registration_prefix}）"
            self.created(what) if made else self.skipped(what)
        return orgs

    # --- users ----------------------------------------------------------------

    def seed_users(self, orgs):
        User = get_user_model()
        hashed = None  # one hash for all: PBKDF2 is slow and the password is public anyway
        users = {}
        for spec in USERS:
            user = User.objects.filter(username=spec.username).first()
            org = orgs[spec.organisation]
            role_label = Role(spec.role).label
            if user is not None:
                self.skipped(f"用户 {spec.username}")
            else:
                hashed = hashed or make_password(DEMO_PASSWORD)
                user = User.objects.create(
                    username=spec.username,
                    first_name=spec.name,
                    password=hashed,
                    # Only the system administrator uses the admin site; everyone
                    # else works in the application's pages.
                    is_staff=spec.superuser,
                    is_superuser=spec.superuser,
                )
                Membership.objects.create(
                    user=user,
                    organisation=org,
                    role=spec.role,
                    unit=orgs[spec.unit] if spec.unit else None,
                )
                self.created(f"用户 {spec.username} {spec.name}（{org.name} · {role_label}）")
            users[spec.username] = user
        return users

    def actors_for(self, org_code, users):
        def holder(role, org=org_code):
            for spec in USERS:
                if spec.organisation == org and spec.role == role:
                    return users[spec.username]
            return None

        return Actors(
            drafter=holder(Role.DRAFTER),
            legal_reviewer=holder(Role.LEGAL_REVIEWER),
            advisor=holder(Role.LEGAL_ADVISOR),
            secretary=holder(Role.DELIBERATION_SECRETARY),
            registrar=holder(Role.REGISTRAR),
            filing_clerk=holder(Role.FILING_CLERK),
            filing_reviewer=holder(Role.FILING_REVIEWER, AUTHORITY),
        )

    # --- documents --------------------------------------------------------------

    def seed_documents(self, orgs, users):
        walks = []
        for spec in [*DOCUMENTS, *ASSIST_DOCUMENTS]:
            org = orgs[spec.organisation]
            existing = NormativeDocument.objects.filter(organisation=org, title=spec.title).first()
            if existing is not None:
                self.skipped(
                    f"文件 {org.short_name}{book(spec.title)}（{existing.get_state_display()}）"
                )
                continue
            actors = self.actors_for(spec.organisation, users)
            document = self.step(
                spec,
                actions.create_document,
                organisation=org,
                title=spec.title,
                by=actors.drafter,
                drafting_unit=orgs.get(f"{spec.organisation}-{spec.unit}") if spec.unit else None,
                category=spec.category,
                is_important=spec.important,
                is_market_related=spec.market,
                is_major_decision=spec.major,
                involves_fair_competition=spec.competition,
                legal_basis=spec.legal_basis,
            )
            walker = DemoWalker(document, actors, spec.start, text=body(spec))
            walks.append((spec, walker))
            self.step(spec, self.walk_to_numbering, spec, walker)
        # 三统一: serials are issued in the order the documents were registered, so the
        # walks wait and register together, earliest date first.
        numbered = [
            (walker.peek(), i)
            for i, (spec, walker) in enumerate(walks)
            if spec.state in NUMBERED_STATES
        ]
        for _day, i in sorted(numbered):
            spec, walker = walks[i]
            self.step(spec, walker.register)
        for spec, walker in walks:
            self.step(spec, self.walk_after_numbering, spec, walker)
        # Repeal and amendment name another document, which by now is published.
        for spec, walker in walks:
            self.step(spec, self.end_of_life, spec, walker, orgs[spec.organisation])
        for spec, walker in walks:
            self.created(self.describe(spec, walker.document))

    def step(self, spec, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (Refused, NotPermitted, CalendarMissing) as exc:
            raise CommandError(
                f"{book(spec.title)}（目标状态：{State(spec.state).label}）：{exc}"
            ) from exc

    def walk_to_numbering(self, spec, walker):
        document, a = walker.document, walker.actors
        if spec.state == State.PUBLIC_COMMENT:
            # Walker.prepare would open and close the period; this one is open today.
            opens, closes = spec.comment_window
            actions.add_version(document, by=a.drafter, text=walker.text, note="征求意见稿")
            actions.add_attachment(
                document,
                by=a.drafter,
                kind=AttachmentKind.DRAFTING_NOTE,
                text="制定目的、依据和起草过程说明。",
            )
            actions.add_attachment(
                document, by=a.drafter, kind=AttachmentKind.LEGAL_BASIS, text=spec.legal_basis
            )
            actions.open_comment_period(
                document, by=a.drafter, opens_on=opens, closes_on=closes, on=opens
            )
            return
        walker.prepare(legal_basis_file=spec.legal_basis_file)
        if spec.state == State.DRAFTING:
            return
        if spec.state in (State.LEGALITY_REVIEW, State.REJECTED, State.WITHDRAWN, State.REVISION):
            walker.to(State.LEGALITY_REVIEW)
            if spec.state == State.REJECTED:
                actions.classify(document, by=a.legal_reviewer, normative=False, note=spec.end_note)
            elif spec.state == State.WITHDRAWN:
                actions.withdraw(document, by=a.drafter, reason=spec.end_note)
            elif spec.state == State.REVISION:
                walker.review(outcome=ReviewOutcome.REVISE)
            return
        if spec.state == State.DELIBERATION and spec.advisor_dissent:
            walker.to(State.LEGALITY_REVIEW)
            walker.review_over_dissent(spec.advisor_dissent)
            return
        if spec.state == State.DELIBERATION:
            walker.to(State.DELIBERATION)
            return
        walker.to(State.REGISTRATION)

    def walk_after_numbering(self, spec, walker):
        if (
            spec.state in (State.REGISTRATION, State.PUBLICATION)
            or spec.state not in NUMBERED_STATES
        ):
            return
        walker.publish()
        if spec.state == State.FILING and spec.legal_basis_file:
            seed_filing.demand(spec, walker)
            return  # published and never filed: 瞒报漏报
        walker.file(days_after=spec.file_days_after)
        seed_filing.decide_registration(spec, walker)
        if spec.state in (State.SUPPLEMENT, State.NOT_REGISTERED, State.FILING_REVIEW):
            return
        seed_filing.review_and_correct(spec, walker)

    def end_of_life(self, spec, walker, org):
        document, a = walker.document, walker.actors
        if spec.state == State.EXPIRED and spec.decision_number:  # 宣布失效 in a 清理
            actions.declare_invalid(
                document,
                by=a.registrar,
                decision_number=spec.decision_number,
                reason=spec.end_note,
                ended_on=spec.ended_on,
                on=spec.ended_on,
            )
        elif spec.state == State.EXPIRED:
            actions.expire(document, by=a.registrar, on=walker.working(document.valid_until + DAY))
        elif spec.state == State.REPEALED and not spec.ended_by:  # the body's own decision
            actions.repeal(
                document,
                by=a.registrar,
                reason=spec.end_note,
                decision_number=spec.decision_number,
                on=spec.ended_on,
            )
        elif spec.state in (State.REPEALED, State.AMENDED):
            other = NormativeDocument.objects.filter(organisation=org, title=spec.ended_by).first()
            if other is None:
                raise CommandError(f"{book(spec.title)}：找不到{book(spec.ended_by)}")
            publication = Publication.objects.filter(document=other).first()
            on = publication.published_on if publication else walker.next_day()
            if spec.state == State.REPEALED:
                actions.repeal(
                    document, by=a.registrar, reason=spec.end_note, repealed_by=other, on=on
                )
            else:
                actions.mark_amended(
                    document, by=a.registrar, amended_by=other, note=spec.end_note, on=on
                )

    def describe(self, spec, document):
        document.refresh_from_db()
        parts = [
            f"文件 {document.organisation.short_name}{book(document.title)}→ {document.get_state_display()}"
        ]
        registration = Registration.objects.filter(document=document).first()
        if registration is not None:
            parts.append(f"{registration.number}（{registration.reg_number}）")
        publication = Publication.objects.filter(document=document).first()
        if publication is not None:
            parts.append(f"公布 {publication.published_on}")
        filing = document.latest_filing
        if filing is not None:
            parts.append(
                f"报送 {filing.filed_on}"
                + ("" if filing.on_time else f"（迟报 {filing.days_late} 日）")
            )
        line = " ".join(parts)
        if spec.notes:
            line += "；" + "；".join(spec.notes)
        return line

    # --- logins -------------------------------------------------------------------

    def print_logins(self):
        rows = [("用户名", "姓名", "单位", "角色")]
        usernames = [u.username for u in USERS] + [demo_suggestions.EXPERT[0]]
        memberships = Membership.objects.filter(user__username__in=usernames).select_related(
            "user", "organisation"
        )
        by_user = {}
        for m in memberships:
            by_user.setdefault(m.user.username, []).append(m)
        for username in usernames:
            for m in sorted(by_user.get(username, []), key=lambda m: m.role):
                rows.append(
                    (
                        m.user.username,
                        m.user.get_full_name(),
                        m.organisation.name,
                        m.get_role_display(),
                    )
                )
        widths = [max(display_width(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write("演示账号：")
        for row in rows:
            self.stdout.write(
                "  " + "  ".join(pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip()
            )
        self.stdout.write(f"演示密码（以上账号通用，仅对本命令创建的账号有效）：{DEMO_PASSWORD}")
        if getattr(settings, "GUIFAN_OTP_REQUIRED", False):
            self.stdout.write(
                "双因素认证：系统管理员、合法性审核人员、法律顾问、备案审查人员首次登录时须用手机验证器"
                "扫码绑定（GUIFAN_OTP_REQUIRED=1）"
            )
        else:
            self.stdout.write("双因素认证：演示中可选，只用密码即可登录（GUIFAN_OTP_REQUIRED=0）")
