"""Citations of repealed or replaced law.

A citation is a title in 《》, with or without 第N条 after it, or a law's name or short
name written bare (婚姻法第二十一条规定) where no other character of a name stands
before it (only a start, punctuation or 依照/根据/按照/依据/和/及/与/或). It names a law of the
table when, the prefix 中华人民共和国 set aside, it is the law's name or short name
exactly: 《中华人民共和国劳动合同法》 is not 《合同法》. It is flagged when the
document's 成文日期 (or the as-of date) is on or after the repeal: the old law
cited before its repeal, or its successor, is not.
"""

import datetime
import re
from dataclasses import dataclass

CITATION = re.compile(r"《([^《》]{2,80})》(第[零〇一二三四五六七八九十百千两0-9]+条)?")
_PREFIX = "中华人民共和国"
# A version mark after the title: 《…（2015年修正）》
_VERSION_MARK = re.compile(r"[（(][^（）()]*[)）]$")


@dataclass(frozen=True)
class Law:
    name: str
    short_name: str
    repealed_on: datetime.date
    replaced_by: str = ""
    source: str = ""


@dataclass
class Hit:
    law: Law
    text: str
    detail: str


def normalise(title):
    title = "".join((title or "").split())
    title = _VERSION_MARK.sub("", title)
    return title.removeprefix(_PREFIX)


def _index(laws):
    names = {}
    for law in laws:
        for name in (law.name, law.short_name):
            if name:
                names[normalise(name)] = law
    return names


def describe(law):
    when = f"{law.repealed_on.year}年{law.repealed_on.month}月{law.repealed_on.day}日"
    text = f"《{law.name}》已于{when}废止"
    if law.replaced_by:
        text += f"，由《{law.replaced_by}》代替，应当引用现行有效的规定"
    if law.source:
        text += f"（{law.source}）"
    return text


_ARTICLE = r"(第[零〇一二三四五六七八九十百千两0-9]+条)?"
# What may stand before a bare name: not another character of a longer name.
_BEFORE_BARE = r"(?<![^\s\W照据按依和及与或])"


def _bare(names):
    if not names:
        return None
    alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    # 婚姻法律, 婚姻法规, 婚姻法学 are other words.
    return re.compile(
        rf"{_BEFORE_BARE}(?:{re.escape(_PREFIX)})?({alternatives})(?![律规学]){_ARTICLE}"
    )


def _citations(text, names):
    """(title as written, the citation's words, start) of every citation, bracketed first."""
    spans = []
    for match in CITATION.finditer(text):
        spans.append((match.start(), match.end()))
        yield match[1], match[0], match.start()
    bare = _bare(names)
    if bare is None:
        return
    for match in bare.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue
        yield match[1], match[0], match.start()


def find(text, as_of, laws):
    """Hits in `text`, one per law per article (its first citation)."""
    names = _index(laws)
    hits, seen = [], set()
    for title, words, _start in _citations(text or "", list(names)):
        law = names.get(normalise(title))
        if law is None or law.name in seen or as_of < law.repealed_on:
            continue
        seen.add(law.name)
        hits.append(Hit(law=law, text=words, detail=describe(law)))
    return hits
