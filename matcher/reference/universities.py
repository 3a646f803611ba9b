"""University names as candidates write them ("MIT", "帝国理工", "Univ. of Toronto") resolved to ARWU 2025 entries.

Exact names first (after normalisation), then the curated aliases in matcher/data/university-aliases.csv, then a
conservative typo match. An alias listed for several institutions is ambiguous: it resolves only when the country
given with the degree picks one. A wrong resolution is worse than none, so anything doubtful stays unresolved.
docs/certification.md describes the method and its limits.
"""

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Literal

RANKING = "ARWU 2025"
RANKING_FILE = "arwu-2025.csv"
ALIASES_FILE = "university-aliases.csv"
GREATER_CHINA = {"CN", "HK", "MO", "TW"}  # "Hong Kong, China" names a HK university, not a mainland one

Method = Literal["exact", "alias", "fuzzy"]

# Traditional characters common in university names, so 香港大學 finds 香港大学.
_TRADITIONAL = str.maketrans(
    "學東華國聖灣臺爾倫蘭門亞來濱會蘇聯漢廣島葉農師範醫藥術", "学东华国圣湾台尔伦兰门亚来滨会苏联汉广岛叶农师范医药术"
)
_TOKEN = re.compile(r"[a-z0-9]+|[\u3040-\u30ff\u3400-\u9fff]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_REWRITE = {"univ": "university", "saint": "st"}
_DROP = {"the", "at", "in"}
# A typo never changes these: "Eastern" is not "Western", "Austria" is not "Australia".
_MEANINGFUL = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "national",
    "state", "new", "city", "technical", "medical", "catholic", "free", "open", "royal", "austria", "australia",
}  # fmt: skip

_COUNTRY_NAMES = {
    "usa": "US", "america": "US", "united states of america": "US", "美国": "US",
    "uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "英国": "GB", "australia": "AU", "澳大利亚": "AU", "澳洲": "AU", "加拿大": "CA",
    "中国香港": "HK", "香港": "HK", "hong kong sar": "HK", "hong kong china": "HK", "中国澳门": "MO", "澳门": "MO",
    "macao": "MO", "中国台湾": "TW", "台湾": "TW", "taiwan china": "TW", "中国": "CN", "中国大陆": "CN",
    "mainland china": "CN", "prc": "CN", "peoples republic of china": "CN", "日本": "JP", "韩国": "KR",
    "korea": "KR", "republic of korea": "KR", "新加坡": "SG", "德国": "DE", "法国": "FR", "荷兰": "NL",
    "holland": "NL", "瑞士": "CH", "瑞典": "SE", "意大利": "IT", "西班牙": "ES",
    "新西兰": "NZ", "爱尔兰": "IE", "丹麦": "DK", "比利时": "BE", "奥地利": "AT", "芬兰": "FI", "挪威": "NO",
    "俄罗斯": "RU", "以色列": "IL", "马来西亚": "MY", "泰国": "TH", "印度": "IN", "巴西": "BR", "沙特阿拉伯": "SA",
    "葡萄牙": "PT", "波兰": "PL", "捷克": "CZ", "希腊": "GR", "土耳其": "TR", "南非": "ZA", "阿联酋": "AE",
}  # fmt: skip


@dataclass(frozen=True)
class Ranked:
    """One institution of the ranking file."""

    institution: str
    world_rank: str  # as listed: "4", "101-150"
    rank_floor: int  # best rank of the band: 101 for "101-150"
    rank_ceiling: int  # worst rank of the band: 150 for "101-150"
    country_code: str
    country: str


@dataclass(frozen=True)
class UniversityMatch:
    """A resolved university: the ranking entry and how the name was matched."""

    institution: str
    world_rank: str
    rank_floor: int
    rank_ceiling: int
    country_code: str
    country: str
    method: Method
    written: str  # the name as the candidate wrote it


@dataclass(frozen=True)
class Lookup:
    """A resolution, or why there is none: `ambiguous` lists the institutions a name could mean."""

    match: UniversityMatch | None
    ambiguous: tuple[str, ...] = ()
    country_conflict: bool = False


def normalize(text: str) -> str:
    """Lower case, no accents or punctuation, "&" as "and", "Univ." as "University", no "The"/"at"/"in"."""
    text = unicodedata.normalize("NFKC", text).translate(_TRADITIONAL)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ").replace("'", "").replace("’", "")
    tokens = [_REWRITE.get(t, t) for t in _TOKEN.findall(text) if t not in _DROP]
    joined = ""
    for i, token in enumerate(tokens):
        glue = "" if i == 0 or (_CJK.match(token) and _CJK.match(tokens[i - 1][-1])) else " "
        joined += glue + token
    return joined


def parse_rank(world_rank: str) -> tuple[int, int]:
    """The best and worst rank of a listed rank: "101-150" -> (101, 150), "4" -> (4, 4)."""
    low, _, high = world_rank.strip().partition("-")
    return int(low), int(high or low)


def country_code(text: str | None) -> str | None:
    """The ISO code a country as written names ("United States", "UK", "美国", "US"), or None."""
    if not text:
        return None
    key = normalize(text)
    return _COUNTRY_NAMES.get(key) or _ranking_countries().get(key)


@lru_cache(maxsize=1)
def _ranking_countries() -> dict[str, str]:
    """Country names and codes as the ranking file spells them, normalised."""
    found: dict[str, str] = {}
    for row in ranking_records():
        found[normalize(row["country"])] = row["country_code"]
        found[row["country_code"].casefold()] = row["country_code"]
    return found


def ranking_records() -> list[dict[str, str]]:
    """The ARWU 2025 rows shipped with the package (see matcher/data/SOURCES.md)."""
    text = files("matcher").joinpath("data", RANKING_FILE).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def alias_rows() -> list[tuple[str, str]]:
    """(alias, institution) pairs of matcher/data/university-aliases.csv."""
    text = files("matcher").joinpath("data", ALIASES_FILE).read_text(encoding="utf-8")
    return [(row["alias"], row["institution"]) for row in csv.DictReader(io.StringIO(text))]


def one_edit_apart(a: str, b: str) -> bool:
    """Whether b is a with one letter changed, added, dropped, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        return len(diff) == 1 or swapped
    short, long = sorted((a, b), key=len)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def _typo_of(written: str, known: str) -> bool:
    """A typo of a known token: five letters or more, same first letter, one edit, not a meaningful word."""
    if written == known:
        return True
    return (
        min(len(written), len(known)) >= 5
        and written[0] == known[0]
        and not {written, known} & _MEANINGFUL
        and one_edit_apart(written, known)
    )


class UniversityResolver:
    """Resolves written university names to ranking entries; build once (see default_resolver)."""

    def __init__(self, records: Iterable[dict[str, str]], aliases: Iterable[tuple[str, str]]) -> None:
        self.ranked: dict[str, Ranked] = {}
        for row in records:  # the file is in rank order: a name listed twice keeps its better rank
            if row["institution"] not in self.ranked:
                floor, ceiling = parse_rank(row["world_rank"])
                self.ranked[row["institution"]] = Ranked(
                    row["institution"], row["world_rank"], floor, ceiling, row["country_code"], row["country"]
                )
        self.exact: dict[str, set[str]] = defaultdict(set)
        for name in self.ranked:
            self.exact[normalize(name)].add(name)
        self.alias: dict[str, set[str]] = defaultdict(set)
        for alias, institution in aliases:
            if institution not in self.ranked:
                raise ValueError(f"alias {alias!r} names {institution!r}, which is not in {RANKING_FILE}")
            self.alias[normalize(alias)].add(institution)
        self.by_length: dict[int, list[tuple[tuple[str, ...], set[str]]]] = defaultdict(list)
        for key, names in (*self.exact.items(), *self.alias.items()):
            if key.isascii():
                tokens = tuple(key.split())
                self.by_length[len(tokens)].append((tokens, names))

    @classmethod
    def from_package(cls) -> "UniversityResolver":
        """The resolver over the ranking and aliases shipped with the package."""
        return cls(ranking_records(), alias_rows())

    def resolve(self, name: str, country: str | None = None) -> UniversityMatch | None:
        """The ranking entry `name` means (in `country`, when given), or None when unknown or doubtful."""
        return self.lookup(name, country).match

    def lookup(self, name: str, country: str | None = None) -> Lookup:
        """Like resolve, and says when a name is ambiguous or names a university of another country."""
        hint = country_code(country)
        for variant, variant_hint in _variants(name):
            tables: tuple[tuple[Method, dict[str, set[str]]], ...] = (("exact", self.exact), ("alias", self.alias))
            for method, table in tables:
                names = table.get(variant)
                if names:
                    return self._pick(names, hint or variant_hint, method, name)
        tokens = tuple(normalize(name).split())
        if len(tokens) >= 2 and normalize(name).isascii():
            names = set()
            for known, found in self.by_length.get(len(tokens), []):
                if all(_typo_of(w, k) for w, k in zip(tokens, known, strict=True)):
                    names |= found
            if names:
                return self._pick(names, hint, "fuzzy", name)
        return Lookup(None)

    def _pick(self, names: set[str], hint: str | None, method: Method, written: str) -> Lookup:
        """The one institution among `names` that fits the country hint, if exactly one does."""
        fitting = sorted(n for n in names if _same_country(hint, self.ranked[n].country_code))
        if len(fitting) == 1:
            entry = self.ranked[fitting[0]]
            return Lookup(
                UniversityMatch(
                    entry.institution,
                    entry.world_rank,
                    entry.rank_floor,
                    entry.rank_ceiling,
                    entry.country_code,
                    entry.country,
                    method,
                    written,
                )
            )
        if not fitting:
            return Lookup(None, tuple(sorted(names)), country_conflict=True)
        return Lookup(None, tuple(fitting))


def _same_country(hint: str | None, code: str) -> bool:
    """Whether a university in `code` fits the country the candidate gave (none given: any fits)."""
    return hint is None or hint == code or (hint == "CN" and code in GREATER_CHINA)


def _variants(name: str) -> Iterator[tuple[str, str | None]]:
    """Normalised forms of a written name to try in turn, each with a country it names in passing, if any:
    as written; without a parenthesis ("Harvard University (USA)"); without trailing comma parts
    ("University of Toronto, Canada", "University of California, Davis, School of Medicine"); without a
    Chinese country prefix ("英国曼彻斯特大学")."""
    text = unicodedata.normalize("NFKC", name).strip()
    yield normalize(text), None
    inner = re.findall(r"\(([^)]*)\)", text)
    bare = re.sub(r"\([^)]*\)", " ", text).strip()
    if inner:
        yield normalize(bare), next((c for c in map(country_code, inner) if c), None)
    parts = [p.strip() for p in bare.split(",") if p.strip()]
    for end in range(len(parts) - 1, 0, -1):
        yield normalize(", ".join(parts[:end])), country_code(parts[end])
    for prefix, code in _COUNTRY_NAMES.items():
        if _CJK.match(prefix) and bare.startswith(prefix) and len(bare) > len(prefix) + 2:
            yield normalize(bare[len(prefix) :]), code


@lru_cache(maxsize=1)
def default_resolver() -> UniversityResolver:
    """The packaged resolver, built once per process."""
    return UniversityResolver.from_package()
