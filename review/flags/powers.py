"""Wording that creates what a normative document may not (国办发〔2018〕37号):
"不得违法创设行政许可、行政处罚、行政强制、行政征收、行政收费等事项，不得增设
行政许可条件，不得违法减损公民、法人和其他组织合法权益或者增加其义务……不得违法
制定含有排除或者限制公平竞争内容的措施，不得违法干预或者影响市场主体正常生产
经营活动，不得违法设置市场准入和退出条件".

Each category has patterns for the words that create the power. A match is not a
hit when
- its sentence only refers to a power set elsewhere (依照《…》…的规定, 依法, 按照
  有关规定, a price 价格主管部门核定): the law sets it, the document repeats it. A
  reference closed by what is done under it (依照…的规定处理；) leaves the rest of the
  sentence, after the semicolon, to be read on its own;
- its clause forbids it (不得收取任何费用, 不再要求提供证明, 不得指定经营者);
- it limits a charge someone else makes (收取押金的，不得超过…).
"""

import re
from dataclasses import dataclass

# What each category touches: the words of 37号 the reviewer checks it against.
TOUCHES = {
    "许可": "不得违法创设行政许可，不得增设行政许可条件",
    "处罚": "不得违法创设行政处罚",
    "强制": "不得违法创设行政强制",
    "收费": "不得违法创设行政征收、行政收费等事项",
    "证明": "不得违法减损公民、法人和其他组织合法权益或者增加其义务（索要证明）",
    "竞争": (
        "不得违法制定含有排除或者限制公平竞争内容的措施，不得违法干预或者影响市场主体"
        "正常生产经营活动，不得违法设置市场准入和退出条件"
    ),
}
CATEGORY_NAMES = {
    "许可": "行政许可或审批条件",
    "处罚": "行政处罚",
    "强制": "行政强制",
    "收费": "行政收费或征收",
    "证明": "要求提供证明",
    "竞争": "排除、限制公平竞争",
}

_FEES = r"(?:费|保证金|押金|基金|集资)"
_C = r"[^，。；：]"  # within one clause
PATTERNS = {
    "许可": [
        rf"经{_C}{{0,14}}(?:审批|批准|核准)",
        rf"(?:报|须|需)(?:经)?{_C}{{0,8}}(?:审批|批准)",
        rf"取得{_C}{{0,16}}(?:许可|批准|核准|资格证|准入证|资质证)",
        rf"除{_C}{{0,16}}(?:法定|国家规定|规定)的?条件外{_C}{{0,2}}，?还(?:应当|须|需|必须|要)",
        r"(?:许可证|资格证书|准入证)[^。；]{0,8}后?方可",
    ],
    "处罚": [
        r"罚款",
        r"没收",
        r"吊销",
        r"责令(?:停产停业|停业整顿|停业|关闭|停产)",
        rf"暂扣{_C}{{0,8}}(?:许可证|执照|证照|证件)",
        r"行政拘留",
        r"降低资质等级",
    ],
    "强制": [
        r"查封",
        r"扣押",
        r"冻结",
        r"扣留",
        r"强制(?:拆除|执行|收容|清除|划拨|隔离|带离)",
        r"代履行",
    ],
    "收费": [
        rf"(?:收取|缴纳|交纳|征收|收缴|缴付)(?!{_C}{{0,12}}不得超过){_C}{{0,12}}{_FEES}",
        rf"(?:工本|手续|管理|服务|登记|年检|评估|建设|押)?{_FEES}{_C}{{0,10}}，?(?:由{_C}{{0,8}})?(?:缴纳|交纳)",
    ],
    "证明": [
        rf"(?:提供|提交|出具|开具|附送|附具|出示){_C}{{0,28}}(?<!身份)证明",
    ],
    "竞争": [
        rf"指定的?{_C}{{0,4}}(?:经营者|机构|企业|单位|供应商|商家|公司)",
        r"限定|变相限定",
        rf"只能(?:由|在|向|从|到|购买|使用|选用){_C}{{0,16}}",
        rf"(?:应当|须|必须)(?:在|到|从|向){_C}{{0,16}}(?:指定|确定|定点)",
        rf"优先{_C}{{0,8}}本地|本地{_C}{{0,6}}优先",
        rf"外地(?:企业|经营者|商品|产品){_C}{{0,16}}(?:须|应当|必须|不得)",
        r"排斥外地|地域限制|地方保护",
        r"市场准入|准入条件",
        rf"不得(?:参与|参加|进入){_C}{{0,6}}(?:政府采购|政府购买|招标|投标|市场)",
    ],
}
_COMPILED = {key: [re.compile(p) for p in patterns] for key, patterns in PATTERNS.items()}

# The sentence only refers to a power set elsewhere.
REFERENCE = re.compile(
    r"(?:依照|按照|根据|依据|适用|遵照)[^。]{0,40}?(?:《[^》]+》|法律|法规|规章|有关规定|国家规定|相关规定)"
    r"|依法|依规|价格主管部门核定|价格主管部门规定"
)
# A reference that ends in what is done by it (依照…的规定处理) closes its scope; one
# that does not (依照…的规定，对…) governs the rest of its sentence, past a semicolon.
CLOSED = re.compile(r"(?:处理|执行|办理|处罚|追究[^；]*责任)[^；]*$")
# The clause forbids the power (the words before the match, in its clause).
NEGATION = re.compile(r"不得|严禁|禁止|不再|不予|无需|无须|免收|免予|免于|不要求|取消")
_NEGATED_END = ("不", "免", "无")
# Limiting a charge someone else makes: 收取押金的，不得超过三个月的床位费.
LIMIT = re.compile(r"不得超过|不超过|最高不得")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")
_CLAUSE_BREAK = re.compile(r"[，；：]")


@dataclass
class Hit:
    key: str
    text: str
    detail: str


def _negated(sentence, start):
    """Does the clause of `sentence` holding `start` forbid what follows?"""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)]
    before = sentence[breaks[-1] if breaks else 0 : start]
    return bool(NEGATION.search(before)) or before.endswith(_NEGATED_END)


def _first_hit(sentence, patterns):
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            if not _negated(sentence, match.start()):
                return match
    return None


def describe(key, words):
    return f"“{words}”可能设定{CATEGORY_NAMES[key]}；国办发〔2018〕37号：{TOUCHES[key]}"


def find(text):
    """One hit per category per article: its first match in a sentence that neither
    refers to the law for it nor forbids it."""
    hits = {}
    for sentence in _SENTENCE.findall(text or ""):
        for segment in _unreferenced(sentence):
            _collect(segment, hits)
    return [hits[key] for key in PATTERNS if key in hits]


def _unreferenced(sentence):
    """The parts of a sentence (between semicolons) no reference to the law governs."""
    governed = False
    for segment in sentence.split("；"):
        reference = REFERENCE.search(segment)
        if reference is not None:
            governed = not CLOSED.search(segment[reference.end() :])
        elif not governed:
            yield segment


def _collect(segment, hits):
    for key, patterns in _COMPILED.items():
        if key in hits:
            continue
        if key == "收费" and LIMIT.search(segment):
            continue
        match = _first_hit(segment, patterns)
        if match is not None:
            hits[key] = Hit(key=key, text=match[0], detail=describe(key, match[0]))
