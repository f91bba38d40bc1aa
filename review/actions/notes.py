"""Notes on single articles (§3): the legality reviewer or the legal advisor marks an
article of the version under review; the notes go into the 合法性审核意见书."""

from django.utils.translation import gettext as _

from ..errors import Refused
from ..models import ArticleNote
from ..states import Role, State
from ..text import clean_text
from ._base import _locked, _record, _require_role, _require_state, _required_text

NOTE_MAX_CHARS = 2000
NOTE_ROLES = [Role.LEGAL_REVIEWER, Role.LEGAL_ADVISOR]


def add_article_note(article, *, by, text):
    """A note on `article` (a VersionArticle of the version under legality review)."""
    text = _required_text(clean_text(text or ""), _("批注"))
    if len(text) > NOTE_MAX_CHARS:
        raise Refused(_("批注不得超过 %(n)s 字") % {"n": NOTE_MAX_CHARS})
    version = article.version
    with _locked(version.document) as doc:
        _require_state(doc, [State.LEGALITY_REVIEW], _("批注条文"))
        _require_role(by, doc.organisation, *NOTE_ROLES)
        review = doc.latest_review
        if review is None or review.version_id != version.pk:
            raise Refused(_("只能批注正在审核的送审稿的条文"))
        note = ArticleNote.objects.create(article=article, author=by, text=text)
        _record(
            doc,
            by,
            "article_note",
            note=text,
            data={
                "version": version.number,
                "article": article.label or "序言",
                "position": article.position,
            },
        )
    return note
