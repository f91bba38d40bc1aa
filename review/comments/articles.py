"""The draft's articles: numbered 第…条 read from its text, so a comment can name the
article it is about."""

import re
from dataclasses import dataclass, field

# --- the draft's articles ---------------------------------------------------

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "零〇一二三四五六七八九十百千两0-9０-９"
ARTICLE_RE = re.compile(rf"^\s*第([{_NUMERAL}]+)条(?:[\s\u3000:：]+|$)(.*)$")
HEADING_RE = re.compile(rf"^\s*第([{_NUMERAL}]+)[章节编](?:[\s\u3000]|$)")


def chinese_number(text):
    """一百二十三 → 123, 十五 → 15, 12 → 12 (full-width digits too)."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            raise ValueError(text)
    return total + current


@dataclass
class Block:
    kind: str  # "preamble", "heading" or "article"
    lines: list = field(default_factory=list)
    number: int | None = None
    label: str = ""

    @property
    def first_line(self):
        return self.lines[0] if self.lines else ""


def parse_articles(text):
    """The draft as blocks: the lines before the first article, chapter headings, and
    articles (第X条) numbered as written. Lines after an article's first line (its
    款 and 项, table rows of a .docx) belong to it. Works on typed text and on the
    text extracted from a .docx (one paragraph per line, full-width spaces)."""
    blocks = []
    current = None
    for raw in (text or "").splitlines():
        line = raw.replace("\u3000", " ").strip()
        if not line:
            continue
        match = ARTICLE_RE.match(line)
        if match:
            try:
                number = chinese_number(match.group(1))
            except ValueError:
                number = None
            current = Block(
                "article",
                [match.group(2).strip()] if match.group(2).strip() else [],
                number,
                f"第{match.group(1)}条",
            )
            blocks.append(current)
            continue
        if HEADING_RE.match(line):
            blocks.append(Block("heading", [line]))
            current = None
            continue
        if current is None:
            if blocks and blocks[-1].kind == "preamble":
                blocks[-1].lines.append(line)
            else:
                current = None
                blocks.append(Block("preamble", [line]))
            continue
        current.lines.append(line)
    # An article whose number could not be read takes the one after its predecessor.
    last = 0
    for block in blocks:
        if block.kind == "article":
            if block.number is None:
                block.number = last + 1
            last = block.number
    return blocks


def article_choices(text):
    """[(number, "第X条 first words…")] for the form's select."""
    choices = []
    for block in parse_articles(text):
        if block.kind == "article":
            words = block.first_line
            choices.append(
                (
                    block.number,
                    f"{block.label} {words[:24]}{'…' if len(words) > 24 else ''}".strip(),
                )
            )
    return choices
