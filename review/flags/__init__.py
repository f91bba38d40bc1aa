"""Assisted review (issue 19): hints for the legality reviewer and the filing reviewer,
never verdicts. Three kinds, each a pure function of the text and plain data:

- `repealed`: citations of laws repealed or replaced on or before the document's
  成文日期 (or the as-of date), from the administrators' table of repealed laws;
- `powers`: wording that creates what 国办发〔2018〕37号 says a normative document
  may not (许可, 处罚, 强制, 收费, 证明, fair competition), skipping wording that only
  refers to a power set by law or that forbids one;
- `consistency`: another in-force document of the same body on the same subject
  (title similarity), and a cited own document no longer in force.

`detect()` runs all three on a list of articles. What reads the database (the law
table, the body's register, the decisions taken) is in `review.flags.store`.
"""

import datetime
from dataclasses import dataclass

from . import consistency, powers, repealed

KINDS = ("repealed_law", "power_wording", "consistency")


@dataclass
class Flag:
    """One hint: on an article (label 第三条, "" for the title), the words matched, what
    it means, and `key`, which with kind and article names it among a version's flags
    (the law's short name, the 不得 touched, or the own document's 文号)."""

    kind: str
    article: str
    text: str
    detail: str
    key: str
    position: int | None = None
    repealed_on: datetime.date | None = None
    replaced_by: str = ""

    @property
    def ident(self):
        return f"{self.kind}|{self.article}|{self.key}"

    def as_json(self):
        data = {
            "kind": self.kind,
            "article": self.article,
            "text": self.text,
            "detail": self.detail,
        }
        if self.kind == "repealed_law":
            data["repealed_on"] = self.repealed_on.isoformat()
            data["replaced_by"] = self.replaced_by
        return data


@dataclass
class Article:
    """What the detector reads of an article: its label, text and position."""

    label: str
    text: str
    position: int | None = None


def detect(articles, *, as_of, laws=(), title="", own_documents=(), own_title=""):
    """Every flag of the articles, in article order: repealed law, power wording and
    cited own documents per article, then the title's similarity to an own document.
    `laws`: repealed.Law rows; `own_documents`: consistency.OwnDocument of the body
    (the document itself excluded); `own_title`: the body's name, stripped from titles."""
    flags = []
    for article in articles:
        common = {"article": article.label, "position": article.position}
        for hit in repealed.find(article.text, as_of, laws):
            flags.append(
                Flag(
                    kind="repealed_law",
                    text=hit.text,
                    detail=hit.detail,
                    key=hit.law.short_name or hit.law.name,
                    repealed_on=hit.law.repealed_on,
                    replaced_by=hit.law.replaced_by,
                    **common,
                )
            )
        for hit in powers.find(article.text):
            flags.append(
                Flag(kind="power_wording", text=hit.text, detail=hit.detail, key=hit.key, **common)
            )
        for hit in consistency.cited(article.text, own_documents):
            flags.append(
                Flag(kind="consistency", text=hit.text, detail=hit.detail, key=hit.key, **common)
            )
    for hit in consistency.similar_titles(title, own_documents, own_title):
        flags.append(
            Flag(kind="consistency", article="", text=hit.text, detail=hit.detail, key=hit.key)
        )
    return flags


__all__ = ["KINDS", "Article", "Flag", "detect"]
