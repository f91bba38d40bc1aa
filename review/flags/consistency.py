"""Consistency with the body's own register: another document of the same body in
force on the same subject (its title, stripped of the body's name, 关于印发…的通知
and the kind of document, alike to SAME_SUBJECT or more), and a cited own document
(by its 文号) no longer in force."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# Two titles whose subjects share this much are one subject (labelled set: 殡葬服务管理
# vs 殡葬管理 is 0.8, 养老机构星级评定 vs 养老机构管理 0.57).
SAME_SUBJECT = 0.75

_WRAPPING = re.compile(r"^关于(?:印发|转发|发布)?|的?(?:通知|决定)$")
_PARENTHESES = re.compile(r"[（(][^（）()]*[)）]")
_KIND = re.compile(
    r"(?:实施办法|实施细则|实施意见|办法|规定|细则|规程|规范|"
    r"意见|方案|制度|标准|规则|通知)$"
)
_REGION = re.compile(r"^[\u4e00-\u9fff]{2,6}?[省市县区]")


@dataclass(frozen=True)
class OwnDocument:
    number: str
    title: str
    in_force: bool


@dataclass
class Hit:
    key: str
    text: str
    detail: str


def subject(title, body=""):
    """What a title is about: 安康市民政局关于印发《安康市殡葬管理暂行办法》的通知 → 殡葬管理."""
    text = "".join((title or "").split())
    if body:
        text = text.replace(body, "")
    for _ in range(2):
        text = _WRAPPING.sub("", text)
        text = text.strip("《》")
        text = _PARENTHESES.sub("", text)
        text = text.replace("暂行", "").replace("试行", "")
        text = _REGION.sub("", text, count=1)
        text = _KIND.sub("", text)
    return text


def similarity(a, b):
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def similar_titles(title, own_documents, body=""):
    """Own documents in force on the same subject as `title`."""
    mine = subject(title, body)
    if not mine:
        return []
    hits = []
    for own in own_documents:
        if not own.in_force:
            continue
        score = similarity(mine, subject(own.title, body))
        if score >= SAME_SUBJECT:
            hits.append(
                Hit(
                    key=own.number,
                    text=f"《{own.title}》（{own.number}）",
                    detail=(
                        f"本机关现行有效的《{own.title}》（{own.number}）已规范同一事项"
                        f"（标题相似度 {score:.2f}）：请核对是否重复、冲突，或应当一并修改、废止"
                    ),
                )
            )
    return hits


def cited(text, own_documents):
    """Own documents cited by 文号 that are no longer in force."""
    compact = "".join((text or "").split())
    hits = []
    for own in own_documents:
        if own.in_force or not own.number or own.number not in compact:
            continue
        hits.append(
            Hit(
                key=own.number,
                text=own.number,
                detail=f"所引用的本机关《{own.title}》（{own.number}）已不再有效",
            )
        )
    return hits
