"""How a 发文字号 and a 三统一登记号 are written (domain-rules §6): normalise, parse,
format. Pure text, no model: the rules (`rules.check_entered_number`), the importer
and `numbering` (which takes the serials) all use it."""

import re

# GB/T 9704-2012 7.2.4: 机关代字〔年份〕序号号 — hexagonal brackets, no 第, no leading zeros.
DOCUMENT_NUMBER = re.compile(r"^(?P<prefix>[^〔〕\s]+)〔(?P<year>[0-9]{4})〕(?P<serial>[0-9]+)号$")
# Shaanxi 三统一: 区域简称+规〔年份〕+ three-digit serial, no 号.
REGISTRATION_NUMBER = re.compile(
    r"^(?P<prefix>[^〔〕\s]+)〔(?P<year>[0-9]{4})〕(?P<serial>[0-9]+)$"
)
WRONG_BRACKETS = re.compile(r"[\[\]［］()（）【】{}｛｝〈〉<>]")


# Lookalikes of the 六角括号 〔〕 that hand-kept registers and 公文 systems use (small
# form variants, white tortoise shells): the same bracket to a reader, so normalised.
# Square, round and 【】 brackets are different marks and are refused, not fixed.
_BRACKET_TWINS = str.maketrans(
    {"﹝": "〔", "﹞": "〕", "〘": "〔", "〙": "〕", "❲": "〔", "❳": "〕"}
)
# Full-width digits ０-９ (an Excel cell typed with a Chinese input method).
_FULL_WIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


def normalise_number(text):
    """A 文号 or 登记号 as typed, in its one written form: full-width digits and
    bracket lookalikes replaced, spaces (half or full width) removed."""
    text = (text or "").translate(_FULL_WIDTH_DIGITS).translate(_BRACKET_TWINS)
    return "".join(text.split())


def parse_document_number(text):
    """(机关代字, year, serial) of a 发文字号, or ValueError saying what is wrong."""
    example = "应为 机关代字〔年份〕序号号，如 安民发〔2020〕5号"
    if re.search(r"第\s*\d", text):
        raise ValueError(f"发文字号“{text}”不应加“第”字（GB/T 9704：{example}）")
    if "〔" not in text and WRONG_BRACKETS.search(text):
        raise ValueError(f"发文字号“{text}”的年份应使用六角括号〔〕（{example}）")
    match = DOCUMENT_NUMBER.match(text)
    if not match:
        raise ValueError(f"发文字号“{text}”格式不正确（{example}）")
    serial = match["serial"]
    if serial.startswith("0"):
        raise ValueError(f"发文字号“{text}”的序号不应编虚位（不加前导 0，如 5号 而非 05号）")
    return match["prefix"], int(match["year"]), int(serial)


def parse_registration_number(text):
    """(prefix, year, serial) of a 三统一登记号, or ValueError."""
    example = "应为 区域简称+规〔年份〕三位序号，如 安规〔2020〕001"
    if "〔" not in text and WRONG_BRACKETS.search(text):
        raise ValueError(f"登记号“{text}”的年份应使用六角括号〔〕（{example}）")
    match = REGISTRATION_NUMBER.match(text)
    if not match:
        raise ValueError(f"登记号“{text}”格式不正确（{example}）")
    prefix, year, serial = match["prefix"], int(match["year"]), int(match["serial"])
    if serial == 0 or format_registration_number(prefix, year, serial) != text:
        raise ValueError(f"登记号“{text}”的序号应为三位数字，从 001 起（{example}）")
    return prefix, year, serial


def format_document_number(prefix, year, serial):
    """GB/T 9704-2012 7.2.4: 机关代字〔年份〕序号号, no 第, no leading zeros."""
    return f"{prefix}〔{year}〕{serial}号"


def format_registration_number(prefix, year, serial):
    """Shaanxi 三统一: 区域简称+规〔年〕+ three-digit serial restarting each year, no 号."""
    return f"{prefix}〔{year}〕{serial:03d}"
