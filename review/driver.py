"""Walk a document along the lawful path by calling the actions, as the real
people would. Used by the demo seed, the benchmarks and the tests, so all three
exercise exactly the code a user's click does."""

import datetime
from dataclasses import dataclass

from . import actions, lifecycle
from .models import (
    CHECKLIST_KEYS,
    FILING_REVIEW_KEYS,
    AttachmentKind,
    Deliberation,
    NormativeDocument,
    ReviewOutcome,
)
from .states import State


@dataclass
class Actors:
    drafter: object
    legal_reviewer: object
    advisor: object
    secretary: object
    registrar: object
    filing_clerk: object
    filing_reviewer: object


ALL_OK = {key: {"ok": True, "note": "经审查，未发现问题"} for key in CHECKLIST_KEYS}
FILING_ALL_OK = {key: {"ok": True, "note": "符合规定"} for key in FILING_REVIEW_KEYS}

# The path, as (state the document must be in, step name). A step moves it on.
PATH = [
    (State.DRAFTING, "prepare"),
    (State.DRAFTING, "submit_for_review"),
    (State.LEGALITY_REVIEW, "review"),
    (State.DELIBERATION, "deliberate"),
    (State.REGISTRATION, "register"),
    (State.PUBLICATION, "publish"),
    (State.FILING, "file"),
    (State.FILING_REVIEW, "register_filing"),
    (State.UNDER_REVIEW, "accept_filing"),
]


class Walker:
    """Carries the dates along: each step happens `gap` days after the previous one."""

    def __init__(self, document, actors, start, gap=2, text=None):
        self.document = document
        self.actors = actors
        self.day = start
        self.gap = gap
        self.text = (
            text
            or f"第一条 为规范{document.title.strip('《》')}工作，制定本办法。\n第二条 本办法自公布之日起施行。"
        )

    def next_day(self):
        self.day += datetime.timedelta(days=self.gap)
        return self.day

    # Steps ------------------------------------------------------------------

    def prepare(self, drafting_note=True, legal_basis_file=True):
        a = self.actors
        actions.add_version(self.document, by=a.drafter, text=self.text, note="送审稿")
        if drafting_note:
            actions.add_attachment(
                self.document,
                by=a.drafter,
                kind=AttachmentKind.DRAFTING_NOTE,
                text="制定目的、依据和起草过程说明。",
            )
        if legal_basis_file:
            actions.add_attachment(
                self.document,
                by=a.drafter,
                kind=AttachmentKind.LEGAL_BASIS,
                text=self.document.legal_basis or "上位法依据。",
            )
        if self.document.is_important:  # 37号: 评估论证 first
            actions.add_attachment(
                self.document,
                by=a.drafter,
                kind=AttachmentKind.ASSESSMENT,
                text="评估论证报告：必要性、可行性和可能产生的影响。",
            )
        if self.document.requires_public_comment:
            self.comment()

    def comment(self):
        opens = self.day
        closes = opens + datetime.timedelta(days=35)
        actions.open_comment_period(
            self.document, by=self.actors.drafter, opens_on=opens, closes_on=closes, on=opens
        )
        self.day = closes + datetime.timedelta(days=1)
        actions.close_comment_period(self.document, by=self.actors.drafter, on=self.day)

    def submit_for_review(self):
        actions.submit_for_review(self.document, by=self.actors.drafter, on=self.day)

    def review(self, outcome=ReviewOutcome.LAWFUL):
        a = self.actors
        actions.classify(
            self.document, by=a.legal_reviewer, normative=True, note="属于行政规范性文件"
        )
        checklist = ALL_OK
        if outcome != ReviewOutcome.LAWFUL:
            checklist = {
                **ALL_OK,
                "rights": {"ok": False, "note": "第五条增加了申请人义务，缺乏上位法依据"},
            }
        actions.record_legality_review(
            self.document,
            by=a.legal_reviewer,
            outcome=outcome,
            checklist=checklist,
            opinion="经审核，该文件制定主体合法，内容符合上位法规定。"
            if outcome == ReviewOutcome.LAWFUL
            else "建议修改第五条。",
            on=self.day,
        )
        if outcome == ReviewOutcome.LAWFUL:
            # The advisor's opinion is given on the conclusion (review.actions.legality).
            actions.sign_advisor_opinion(
                self.document,
                by=a.advisor,
                opinion="同意合法性审核意见。",
                agrees=True,
                on=self.day,
            )
            actions.send_to_deliberation(self.document, by=a.legal_reviewer)

    def deliberate(self, outcome=Deliberation.Outcome.PASSED):
        meeting = self.next_day()
        actions.record_deliberation(
            self.document,
            by=self.actors.secretary,
            meeting_type=Deliberation.MeetingType.BUREAU,
            meeting_name=f"{meeting.year}年局务会",
            meeting_date=meeting,
            attendance="局长、副局长、各科室负责人",
            outcome=outcome,
            minutes="会议审议并原则通过。",
            on=meeting,
        )

    def register(self):
        actions.register_and_number(self.document, by=self.actors.registrar, on=self.next_day())

    def publish(self):
        actions.publish(
            self.document,
            by=self.actors.registrar,
            published_on=self.next_day(),
            url="https://mzj.ankang.gov.cn/",
        )

    def file(self, days_after=None):
        if days_after is not None:
            published = self.document.publication_or_none.published_on
            day = published + datetime.timedelta(days=days_after)
        else:
            day = self.next_day()
        self.day = day
        actions.file_with_authority(self.document, by=self.actors.filing_clerk, on=day)

    def register_filing(self):
        actions.register_filing(self.document, by=self.actors.filing_reviewer, on=self.day)

    def accept_filing(self):
        actions.accept_filing(
            self.document,
            by=self.actors.filing_reviewer,
            substantive=FILING_ALL_OK,
            on=self.next_day(),
        )

    # The whole way -----------------------------------------------------------

    def to(self, target):
        """Take the path's steps until the document is in `target` (or the path ends)."""
        self.document.take_row_of(
            NormativeDocument.objects.select_related("organisation").get(pk=self.document.pk)
        )
        for state, step in PATH:
            # The actions hand the document back up to date: no reload between steps.
            if self.document.state == target:
                return self.document
            if self.document.state != state:
                continue
            if step == "prepare" and lifecycle.has_version(self.document):
                continue
            getattr(self, step)()
        return self.document
