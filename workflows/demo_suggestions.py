"""Demo rows for 审查建议 and 审查意见征集 (issue 17), called by seed_demo: an expert
account, a citizen's suggestion answered in writing, one waiting in the authority's
queue, and an expert's answer during a legality review. Skipped when present."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from review.demo_data import AUTHORITY, CITY
from review.models import Consultation, Membership, NormativeDocument, ReviewSuggestion
from review.states import Role, State
from review.suggestions import consultation as consulting

from . import suggestions as suggestion_flow

EXPERT = ("expert", "吴敏教授")  # 安康学院法学教授, the authority's 审查专家库


def _expert(orgs, say, password):
    User = get_user_model()
    user = User.objects.filter(username=EXPERT[0]).first()
    if user is not None:
        say(f"跳过 用户 {EXPERT[0]}（已存在）", created=False)
        return user
    user = User.objects.create(
        username=EXPERT[0], first_name=EXPERT[1], password=make_password(password)
    )
    Membership.objects.create(user=user, organisation=orgs[AUTHORITY], role=Role.EXPERT)
    say(f"创建 用户 {EXPERT[0]} {EXPERT[1]}（{orgs[AUTHORITY].name} · 专家）")
    return user


def _suggestions(orgs, reviewer, say):
    if ReviewSuggestion.objects.exists():
        say("跳过 审查建议（已存在）", created=False)
        return
    filed = (
        NormativeDocument.objects.filter(organisation=orgs[CITY], state=State.FILED)
        .order_by("pk")
        .first()
    )
    if filed is not None:
        answered = suggestion_flow.submit(
            document_id=filed.pk,
            provisions="第三条",
            reasons="第三条要求申请人提交户籍证明，与国务院关于减少证明事项的决定不一致。",
            submitter_name="陈建华",
            contact="chen.jianhua@example.com",
        )
        suggestion_flow.answer(
            answered,
            reviewer,
            ReviewSuggestion.Outcome.NO_PROBLEM,
            "经审查，第三条所列材料可由申请人自行选择以告知承诺方式提供，与上位规定不相抵触。",
        )
        say(f"创建 审查建议 {answered.receipt}（已答复）")
    pending = suggestion_flow.submit(
        described_document="汉滨区某街道办事处关于停车收费的通知（文号不详）",
        authority_code=AUTHORITY,
        provisions="第二条",
        reasons="街道办事处设定收费项目，没有法律、法规依据。",
        submitter_name="安康市某物业服务有限公司",
        contact="0915-3212345",
    )
    say(f"创建 审查建议 {pending.receipt}（待办理）")


def _consultation(orgs, users, expert, say):
    if Consultation.objects.exists():
        say("跳过 审查意见征集（已存在）", created=False)
        return
    document = (
        NormativeDocument.objects.filter(organisation=orgs[CITY], state=State.LEGALITY_REVIEW)
        .order_by("pk")
        .first()
    )
    review = document.latest_review if document else None
    if review is None:
        return
    # Asked when the review began, to answer by the review's own deadline; answered then.
    asked_on = timezone.localdate(review.started_at)
    consultation, _token = consulting.ask(
        document,
        by=users["legal"],
        addressee="",
        question="第五条设定的补贴申领条件是否超出上位法规定？",
        due_on=review.due_on,
        expert=expert,
        on=asked_on,
    )
    consulting.answer_as_expert(
        consultation,
        by=expert,
        text="第五条的条件与《社会救助暂行办法》一致，建议保留。",
        now=review.started_at,
    )
    say(f"创建 审查意见征集《{document.title}》→ {expert.first_name}（已答复）")


def seed(orgs, users, say, password):
    """`say(line, created=True)`: the seed's own output and counts; `password`: the
    demo accounts' password (seed_demo's)."""
    with transaction.atomic():
        expert = _expert(orgs, say, password)
        reviewer = users.get("sfj_reviewer")
        if reviewer is not None:
            _suggestions(orgs, reviewer, say)
        _consultation(orgs, users, expert, say)
