"""Personal names across scripts: 李文静, "Wenjing Li", "LI Wen-Jing" and "Wendy Li (李文静)" are one name.

A name becomes a set of keys. A key is the surname and the given name in toneless pinyin or in Latin letters,
lower-cased, each run together ("li wenjing"), always surname first: a Chinese name in characters gives exactly one
(its surname is known: the first character, or a compound surname such as 欧阳 or 司马); a Latin-letter name gives
one per plausible order (first word as surname, last word as surname), because "Wenjing Li" and "Li Wenjing" both
occur. Two names may be the same person's when their keys meet.

Pinyin loses what characters tell apart: 张伟 and 章伟 are both "zhang wei". `compare_names` therefore says how
strong a match is: the same characters, the same key with characters on one side only (the usual cross-script
case), or the same key from two different character names (homophones — strong evidence against).
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
        "宇文", "司徒", "夏侯", "轩辕", "端木", "西门", "南宫", "万俟", "申屠", "独孤", "百里",
        "呼延", "澹台", "公冶", "太史", "仲孙", "钟离", "闻人", "赫连", "拓跋", "第五",
    }
)  # fmt: skip
# Characters whose reading as a surname is not their common one (pypinyin reads words, not surnames).
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "区": "ou", "解": "xie", "仇": "qiu", "查": "zha", "朴": "piao", "盖": "ge",
    "缪": "miao", "乐": "yue", "覃": "qin", "翟": "zhai", "召": "shao", "种": "chong", "秘": "bi", "员": "yun",
    "繁": "po", "瞿": "qu", "尉": "yu", "宿": "su", "折": "she", "长孙": "zhangsun", "万俟": "moqi", "尉迟": "yuchi",
    "沈": "shen", "重": "chong", "华": "hua", "任": "ren", "纪": "ji", "燕": "yan", "冼": "xian", "黑": "he",
}  # fmt: skip
_HAN = re.compile(r"[\u3400-\u9fff]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff·•]{2,6}")
_BRACKETS = re.compile(r"[(（\[【]([^)）\]】]*)[)）\]】]")
_HONORIFICS = frozenset(
    ["dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "phd", "md", "jr", "sr", "ii", "iii"]
)


class NameMatch(IntEnum):
    """How two names compare, weakest first."""

    DIFFERENT = 0  # no key in common
    HOMOPHONE = 1  # the same pinyin from different characters (张伟 / 章伟): evidence against
    PINYIN = 2  # the same key, one side (or both) in Latin letters only
    SAME_CHARACTERS = 3  # the same name in characters


@dataclass(frozen=True)
class NameKeys:
    """What a written name gives: its Chinese characters (if any) and its keys."""

    characters: str  # "李文静", or "" when the name is written in Latin letters only
    keys: frozenset[str]  # "li wenjing" …


def _ascii_letters(text: str) -> str:
    """Lower-case Latin letters: accents dropped (ü → u), anything else a space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z]+", " ", plain.replace("'", "").replace("’", "")).strip()


def _umlaut_variants(syllables: str) -> set[str]:
    """pypinyin writes ü as v (lv); passports write lu or lyu."""
    if "v" not in syllables:
        return {syllables}
    return {syllables, syllables.replace("v", "u"), syllables.replace("v", "yu")}


@lru_cache(maxsize=65536)
def split_chinese_name(name: str) -> tuple[str, str] | None:
    """(surname, given name) of a name in characters, or None if it is not one (too short or too long)."""
    name = name.replace("·", "").replace("•", "")
    if not 2 <= len(name) <= 5 or not all(_HAN.match(c) for c in name):
        return None
    if name[:2] in COMPOUND_SURNAMES and len(name) >= 3:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _pinyin(characters: str) -> str:
    return "".join(lazy_pinyin(characters, style=Style.NORMAL))


def chinese_keys(name: str) -> frozenset[str]:
    """The keys of a name in characters: "li wenjing" for 李文静, with ü spelled as pypinyin and passports do."""
    parts = split_chinese_name(name)
    if parts is None:
        return frozenset()
    surname, given = parts
    surname_pinyin = SURNAME_READINGS.get(surname) or _pinyin(surname)
    given_pinyin = _pinyin(given)
    return frozenset(f"{s} {g}" for s in _umlaut_variants(surname_pinyin) for g in _umlaut_variants(given_pinyin))


def _orders(words: list[str]) -> set[str]:
    """Surname last and surname first; with three words or more also a compound surname written apart ("Ou Yang
    Nana", "Nana Ou Yang")."""
    keys = {f"{words[-1]} {''.join(words[:-1])}", f"{words[0]} {''.join(words[1:])}"}
    if len(words) >= 3:
        keys |= {f"{words[0]}{words[1]} {''.join(words[2:])}", f"{words[-2]}{words[-1]} {''.join(words[:-2])}"}
    return keys


def latin_keys(name: str) -> frozenset[str]:
    """The keys of a name in Latin letters: both orders ("Wenjing Li" → "li wenjing", "wenjing li")."""
    if any(c.isdigit() for c in name):  # "Candidate 12", "Firm Person 3": a label, not a personal name
        return frozenset()
    words = [w for w in _ascii_letters(name).split() if w not in _HONORIFICS]
    if len(words) < 2:
        return frozenset()
    if len(words) > 4:  # not a personal name as written here
        return frozenset()
    keys = _orders(words)
    if len(words) >= 3:  # an English first name before the Chinese one: "Lucy Mengyao Pan" is also "pan mengyao"
        keys |= _orders(words[1:])
    return frozenset(keys)


@lru_cache(maxsize=65536)
def name_keys(written: str) -> NameKeys:
    """Everything a written name gives: "Wendy Li (李文静)" gives 李文静 and the keys of both forms."""
    written = written.strip()
    characters = ""
    keys: set[str] = set()
    inside = " ".join(_BRACKETS.findall(written))
    outside = _BRACKETS.sub(" ", written)
    for part in (outside, inside):
        for run in _HAN_RUN.findall(part):
            if split_chinese_name(run) and not characters:
                characters = run.replace("·", "").replace("•", "")
                keys |= chinese_keys(characters)
        latin = _HAN.sub(" ", part)
        keys |= latin_keys(latin)
    return NameKeys(characters, frozenset(keys))


def compare_names(a: NameKeys, b: NameKeys) -> NameMatch:
    """How strongly two names say one person."""
    if a.characters and b.characters:
        if a.characters == b.characters:
            return NameMatch.SAME_CHARACTERS
        return NameMatch.HOMOPHONE if a.keys & b.keys else NameMatch.DIFFERENT
    return NameMatch.PINYIN if a.keys & b.keys else NameMatch.DIFFERENT
