"""Degree levels: parse what people write ("MSc", "硕士", "PhD", "BEng") into an ordered level."""

import re
from enum import IntEnum


class DegreeLevel(IntEnum):
    NONE = 0
    ASSOCIATE = 1
    BACHELOR = 2
    MASTER = 3
    DOCTORATE = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def label_zh(self) -> str:
        return _ZH_LABELS[self]


_ZH_LABELS = {
    DegreeLevel.NONE: "不限",
    DegreeLevel.ASSOCIATE: "大专",
    DegreeLevel.BACHELOR: "本科",
    DegreeLevel.MASTER: "硕士",
    DegreeLevel.DOCTORATE: "博士",
}

# Ordered: the first pattern that matches wins, so doctorates are tried before masters before bachelors.
_PATTERNS: list[tuple[DegreeLevel, re.Pattern[str]]] = [
    (
        DegreeLevel.DOCTORATE,
        re.compile(r"博士|\bph\.?\s?d\b|\bd\.?phil\b|\bdoctor|\bdoctorate\b|\bedd\b|\bdba\b", re.I),
    ),
    (
        DegreeLevel.MASTER,
        re.compile(
            r"硕士|研究生|\bmaster|\bm\.?\s?(sc|s|a|eng|phil|res|ba|pa|fe|ed|arch|des|math|st)\b|\bmba\b|\bllm\b",
            re.I,
        ),
    ),
    (
        DegreeLevel.BACHELOR,
        re.compile(
            r"学士|本科|\bbachelor|\bb\.?\s?(sc|s|a|eng|e|ba|com|arch|des|math|tech)\b|\bundergrad|\bllb\b",
            re.I,
        ),
    ),
    (DegreeLevel.NONE, re.compile(r"high[ -]?school|secondary|高中|中专|初中|\bGED\b", re.I)),  # below any degree
    (DegreeLevel.ASSOCIATE, re.compile(r"大专|专科|高职|\bassociate|\bdiploma\b|\bhnd\b", re.I)),
    (DegreeLevel.NONE, re.compile(r"不限|无要求|\bnone\b|\bany\b|^\s*$", re.I)),
]

_NAMES = {level.label: level for level in DegreeLevel} | {level.label_zh: level for level in DegreeLevel}


def parse_degree(text: str | None) -> DegreeLevel | None:
    """The level a degree text names, or None when it names none we know."""
    if text is None:
        return DegreeLevel.NONE
    cleaned = text.strip()
    if cleaned.lower() in _NAMES:
        return _NAMES[cleaned.lower()]
    for level, pattern in _PATTERNS:
        if pattern.search(cleaned):
            return level
    return None
