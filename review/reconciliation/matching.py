"""How a row is matched to the register, and whether it looks like a normative
document (docs/reconciliation.md). Pure text, no query.

Matching: by 文号 first, in one written form (`number_key`: full-width digits,
the brackets 〔〕[]【】() and their full-width twins around the year, spaces, a 第
before the serial and leading zeros all made alike); a row whose 文号 finds
nothing (or finds another title) is then matched by title similarity (`similar`,
difflib's ratio on `title_key`) against the jurisdiction's threshold.

"Normative-looking" (`normative_rule`) is a rule, not a black box: the lists are
the jurisdiction's settings, and the rule that fired is returned in words."""

import difflib
import re
import unicodedata
from dataclasses import dataclass

from ..number_text import DOCUMENT_NUMBER, format_document_number, normalise_number

# Brackets around a 4-digit year that registers use for 〔〕 (after NFKC: （）→(), ［］→[]).
_YEAR_IN_BRACKETS = re.compile(r"[\[【(〔](\d{4})[\]】)〕]")
_SERIAL = re.compile(r"〕第?0*(\d+)号?$")
_NOT_WORD = re.compile(r"[^\w]", re.UNICODE)
_QUOTED = re.compile(r"《([^《》]+)》")
_SEPARATORS = re.compile(r"[、，,；;\s]+")


def number_key(text):
    """A 文号 in one form for matching: 安民发[2020]05号, 安民发（２０２０）5号 and
    安民发〔2020〕第5号 all give 安民发〔2020〕5号. "" for an empty cell."""
    text = normalise_number(unicodedata.normalize("NFKC", text or ""))
    if not text:
        return ""
    text = _YEAR_IN_BRACKETS.sub(r"〔\1〕", text)
    text = _SERIAL.sub(r"〕\1号", text)
    match = DOCUMENT_NUMBER.match(text)
    if match:
        return format_document_number(match["prefix"], int(match["year"]), int(match["serial"]))
    return text


def title_key(text):
    """A title for comparison: NFKC (full-width letters, digits and brackets), and
    nothing but letters, digits and CJK characters."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def similarity(a, b):
    """difflib's ratio of two title keys, 0 to 1."""
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def similar(a, b, settings):
    return similarity(a, b) * 100 >= settings.title_similarity_percent


def terms(text):
    """A setting's list: separated by 、 or commas (or spaces)."""
    return [term for term in _SEPARATORS.split(text or "") if term]


@dataclass
class Verdict:
    normative: bool
    rule: str  # the rule that fired, in words


def _forms(title):
    """What a title's forms are read from: the title itself and each 《》 inside it
    (关于印发《…工作方案》的通知 is a 工作方案, whatever its covering 通知)."""
    plain = re.sub(r"[\s。.]+$", "", title)
    return [inner.strip() for inner in _QUOTED.findall(plain)] + [plain]


def normative_rule(settings, title, category="", text=""):
    """Whether a 登记簿 row looks like a normative document, and the rule that fired:
    1. 类别 names 规范性文件 (yes) or an excluded form (no);
    2. the title contains an excluded word (no);
    3. the title, or a title quoted in it, ends with an excluded form (no);
    4. ... ends with a normative form (yes);
    5. the attached text contains a content signal (yes);
    otherwise no (no rule fired). Exclusions come first (国办发〔2018〕115号)."""
    category = (category or "").strip()
    excluded_forms = terms(settings.excluded_title_forms)
    if category:
        if "规范性文件" in category:
            return Verdict(True, f"登记簿类别为“{category}”")
        for form in excluded_forms:
            if category.endswith(form):
                return Verdict(False, f"登记簿类别为“{category}”（排除：{form}）")
    for word in terms(settings.excluded_title_words):
        if word in title:
            return Verdict(False, f"标题含排除用语“{word}”")
    forms = _forms(title)
    for form in excluded_forms:
        if any(part.endswith(form) for part in forms):
            return Verdict(False, f"标题形式为“{form}”（排除）")
    for form in terms(settings.normative_title_forms):
        if any(part.endswith(form) for part in forms):
            return Verdict(True, f"标题形式为“{form}”")
    for signal in terms(settings.normative_content_signals):
        if text and signal in text:
            return Verdict(True, f"正文含“{signal}”")
    return Verdict(False, "未命中任何规则")
