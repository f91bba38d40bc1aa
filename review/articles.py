"""A version's text as articles, and two versions compared article by article.

At upload a typed text or a .docx is split once into stored `VersionArticle` rows
(第X条, each under the 第X章 heading it stands in); the text pages and the
comparison read those rows and never parse again.

The comparison first aligns the two lists of articles by their content, not their
numbers (an article inserted in the middle renumbers every later one, which must
not mark them all changed), then highlights the changes inside a changed article
character by character: Chinese has no spaces, so a word diff would mark whole
sentences. Both steps use difflib's SequenceMatcher (the standard library).
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .comments.articles import HEADING_RE, parse_articles

# Two articles with at least this share of characters in common are one article
# revised; below it, one was deleted and another inserted.
SAME_ARTICLE = 0.5


@dataclass
class Piece:
    """One article (or the text before the first) as split from a version."""

    position: int
    chapter: str
    number: int | None
    label: str
    text: str


def split(text):
    """The text as Pieces, in order. A 第X节 under a 第X章 keeps both ("第二章 审核 第一节 …")."""
    pieces, chapter, top = [], "", ""
    for block in parse_articles(text):
        if block.kind == "heading":
            line = block.first_line
            match = HEADING_RE.match(line)
            if line[match.end(1)] == "节" and top:
                chapter = f"{top} {line}"
            else:
                top = chapter = line
            continue
        is_article = block.kind == "article"
        pieces.append(
            Piece(
                position=len(pieces),
                chapter=chapter[:200],
                number=block.number if is_article else None,
                label=block.label if is_article else "",
                text="\n".join(block.lines),
            )
        )
    return pieces


# --- comparison ------------------------------------------------------------------


@dataclass
class Row:
    """A line of the comparison: `kind` is same, changed, inserted or deleted;
    `segments` is [(op, text)] with op equal, insert or delete."""

    kind: str
    old: object = None
    new: object = None
    segments: list = field(default_factory=list)

    @property
    def renumbered(self):
        return self.old is not None and self.new is not None and self.old.label != self.new.label


def _key(article):
    return "".join(article.text.split())


def char_diff(old, new):
    """[(op, text)] turning `old` into `new`, character by character."""
    segments = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            segments.append(("delete", old[i1:i2]))
        if op in ("insert", "replace"):
            segments.append(("insert", new[j1:j2]))
    return segments


def _similarity(a, b):
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SAME_ARTICLE or matcher.quick_ratio() < SAME_ARTICLE:
        return 0.0
    return matcher.ratio()


def _pair_block(olds, news):
    """Rows for a run of articles that differ: each old article paired, in order, with
    the most similar new one still free after the last pair, if similar enough."""
    rows, j = [], 0
    for old in olds:
        best, best_score = None, SAME_ARTICLE
        for k in range(j, len(news)):
            score = _similarity(_key(old), _key(news[k]))
            if score >= best_score:
                best, best_score = k, score
        if best is None:
            rows.append(Row("deleted", old=old))
            continue
        rows.extend(Row("inserted", new=new) for new in news[j:best])
        new = news[best]
        rows.append(Row("changed", old=old, new=new, segments=char_diff(old.text, new.text)))
        j = best + 1
    rows.extend(Row("inserted", new=new) for new in news[j:])
    return rows


def compare(old_articles, new_articles):
    """Rows aligning two versions' articles by content (see the module's docstring)."""
    old_articles, new_articles = list(old_articles), list(new_articles)
    matcher = SequenceMatcher(
        None, [_key(a) for a in old_articles], [_key(a) for a in new_articles], autojunk=False
    )
    rows = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(
                Row("same", old=old, new=new, segments=[("equal", new.text)])
                for old, new in zip(old_articles[i1:i2], new_articles[j1:j2], strict=True)
            )
        else:
            rows.extend(_pair_block(old_articles[i1:i2], new_articles[j1:j2]))
    return rows


def changed(rows):
    return sum(1 for row in rows if row.kind != "same")
