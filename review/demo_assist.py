"""Demo rows for the assisted review (issue 19): a 收养登记 draft under legality review
that still cites the laws 民法典 repealed on 2021-01-01 (the bureau studied 婚姻法 and
收养法 in 2020), demands a 证明 and sets a 罚款, beside wording that is lawful (a
charge forbidden, a power referred to the regulation). Added to the seed's documents
by `workflows/management/commands/seed_demo.py`."""

from . import actions
from .choices import Category
from .demo_specs import D, DocSpec
from .flags import store
from .models import FlagStage
from .states import State

# What the demo's legal reviewer says when dismissing a flag on a document it passes.
DISMISSED = "经与起草科室核对，该条内容有上位法依据，不影响合法性结论。"

ASSIST_DOCUMENTS = [
    DocSpec(
        title="安康市收养登记工作规程",
        unit="shsw",
        category=Category.MARRIAGE,
        start=D(2026, 11, 24),
        state=State.LEGALITY_REVIEW,
        legal_basis="《中华人民共和国收养法》《中国公民收养子女登记办法》",
        purpose="规范收养登记行为，保护被收养人和收养人的合法权益",
        articles=(
            "收养人应当符合《婚姻法》和《收养法》规定的条件。",
            "收养人除提交法定材料外，还应当提交所在单位出具的经济收入证明。",
            "收养登记机关办理收养登记，不得收取任何费用。",
            "弄虚作假骗取收养登记的，依照《中国公民收养子女登记办法》第十二条的规定处理；"
            "情节严重的，由民政部门处以一千元罚款。",
        ),
        notes=("合法性审核中：审查提示列出引用已废止的婚姻法、收养法，索要证明和设定罚款",),
    ),
]


def settle_flags(document, reviewer, on, stage=FlagStage.LEGALITY):
    """Before the demo's legal reviewer concludes 合法 (or the filing reviewer 审查无
    问题), each flag of the text is decided (dismissed, with the reason): concluding
    with flags undecided needs a note (review.actions.check_unresolved), and the demo
    shows the decisions instead."""
    version = store.version_for(document, stage)
    document.as_of = on
    for flag in store.flags_of(document, version):
        actions.decide_flag(
            document,
            by=reviewer,
            stage=stage,
            ident=flag.ident,
            accepted=False,
            reason=DISMISSED,
            on=on,
        )
