"""The assisted review against the database: the law table, the issuing body's
register, a version's stored articles, and the decisions reviewers took.

Flags are detected afresh each time they are shown (a version's text does not
change; the register and the law table may); a decision is stored per version,
stage and flag (`FlagDecision`), so it stays with the flag it answered.
"""

from django.db.models import Q
from django.utils import timezone

from ..articles import split
from ..models import (
    Evaluation,
    FlagDecision,
    FlagStage,
    NormativeDocument,
    RepealedLaw,
    VersionArticle,
)
from . import Article, detect
from .consistency import OwnDocument
from .repealed import Law


def laws():
    return [
        Law(
            name=row.name,
            short_name=row.short_name,
            repealed_on=row.repealed_on,
            replaced_by=row.replaced_by,
            source=row.source,
        )
        for row in RepealedLaw.objects.all()
    ]


def as_of_for(document):
    """The date the citations are judged on: the 成文日期 once registered; before
    that (a draft under review) the day of the action (`as_of`, review.actions) or today."""
    registration = document.registration_or_none
    if registration is not None:
        return registration.signed_on
    return getattr(document, "as_of", None) or timezone.localdate()


def own_documents(organisation_id, as_of, exclude=()):
    """The body's numbered documents (but those in `exclude`, pks), each in force on
    `as_of` or not."""
    own = NormativeDocument.objects.filter(organisation_id=organisation_id).exclude(
        pk__in=list(exclude)
    )
    in_force = set(own.in_force_on(as_of).values_list("pk", flat=True))
    rows = own.filter(~Q(registration__number="")).values_list(
        "pk", "registration__number", "title"
    )
    return [
        OwnDocument(number=number, title=title, in_force=pk in in_force)
        for pk, number, title in rows
        if number
    ]


def replaced_by(document):
    """The documents `document` is re-issued to replace (an evaluation's 修改 or 继续有效,
    issue 20): the same subject by design, not a conflict to flag."""
    return Evaluation.objects.filter(successor=document).values_list("document_id", flat=True)


def version_for(document, stage):
    """The legality review reads the version under review; the filing review the
    current (published) text."""
    if stage == FlagStage.LEGALITY:
        review = document.latest_review
        if review is not None:
            return review.version
    return document.current_version


def articles_of_text(text):
    """A text not stored (a file given to the command), split as at upload."""
    return [Article(label=p.label, text=p.text, position=p.position) for p in split(text)]


def flags_of(document, version, as_of=None):
    """The version's flags, detected from its stored articles."""
    as_of = as_of or as_of_for(document)
    articles = [
        Article(label=row.label, text=row.text, position=row.position)
        for row in VersionArticle.objects.filter(version=version).order_by("position")
    ]
    return detect(
        articles,
        as_of=as_of,
        laws=laws(),
        title=document.title,
        own_documents=own_documents(
            document.organisation_id, as_of, exclude=[document.pk, *replaced_by(document)]
        ),
        own_title=document.organisation.name,
    )


def decided(document, version, stage, as_of=None):
    """The flags with their decision (`flag.decision`, None while undecided)."""
    flags = flags_of(document, version, as_of)
    decisions = {
        d.ident: d
        for d in FlagDecision.objects.filter(version=version, stage=stage).select_related(
            "decided_by"
        )
    }
    for flag in flags:
        flag.decision = decisions.get(flag.ident)
    return flags


def unresolved(flags):
    return [flag for flag in flags if getattr(flag, "decision", None) is None]


def draft_opinion(flags):
    """The 初审意见 the accepted flags draft, for the reviewer to edit; "" if none."""
    accepted = [f for f in flags if getattr(f, "decision", None) and f.decision.accepted]
    if not accepted:
        return ""
    numerals = "一二三四五六七八九十"
    lines = ["经审查，该文件存在以下问题："]
    for i, flag in enumerate(accepted):
        mark = numerals[i] if i < len(numerals) else str(i + 1)
        where = flag.article or "标题"
        lines.append(
            f"{mark}、{where}：{flag.detail}。{flag.decision.reason}".replace("。。", "。")
        )
    lines.append("建议修改后再行审查。")
    return "\n".join(lines)
