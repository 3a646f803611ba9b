"""The occupation classification (CSCO 2022): loading it, and normalizing posting titles to detailed occupations.

A posting title says more than the occupation: "郑东新区某茶饮店急招店员（包吃住）", "Java开发工程师（高新区）15-25K".
`clean_title` strips places, recruitment words, pay and perks, seniority and bracketed notes; `OccupationMapper`
then compares what is left with each detailed occupation (细类): with the multilingual model against its name,
its name with its definition and its name with its tasks, by BM25 against the words of all three, and against
the job-board titles known for it (occupation-titles.csv: "Java开发工程师" is how postings say 软件工程技术人员).
"""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.embedding import embed_texts
from matcher.encoders import Encoder
from matcher.lexical import BM25Index
from matcher.store import queries
from matcher.store.models import Occupation

CSCO_FILE = "csco-2022.csv"
TITLES_FILE = "occupation-titles.csv"  # job-board titles per detailed occupation (matcher/data/SOURCES.md)
DETAILED = 4  # the level of 细类, the occupations titles are mapped to
# Below this score a title gets no occupation rather than a doubtful one.
MIN_OCCUPATION_SCORE = 0.55  # on eval/occupations.csv odd rows: 92% of titles get a code, 90% of those the right one
TASKS_CHARS = 200  # the first tasks say what the job is; the long tail dilutes the embedding
LEXICAL_WEIGHT = 0.7  # chosen on half of eval/occupations.csv, checked on the other half (docs/evaluation.md)
TITLE_WEIGHT = 0.6  # share of the score that comes from the closest known job-board title (same tuning)
# The 2022 classification marks green occupations with L and digital ones with S after the name ("…人员L/S").
_MARKS = re.compile(r"(L/S|S/L|L|S)$")

ZHENGZHOU_PLACES = (
    "郑东新区|高新区|经开区|经济技术开发区|航空港区|航空港|金水区|二七区|中原区|管城回族区|管城区|惠济区|上街区|"
    "巩义|荥阳|新密|新郑|登封|中牟|郑州市|郑州|河南省|河南"
)
_BRACKETS = re.compile(r"[（(【\[［〔《<{][^（(【\[［〔《<{）)】\]］〕》>}]*[）)】\]］〕》>}]")
_PAY = re.compile(
    r"\d+(?:\.\d+)?\s*[kK千wW万]?\s*(?:[-~～–—至到]\s*\d+(?:\.\d+)?\s*[kK千wW万]?)?\s*(?:元|块)?"
    r"\s*(?:/|每)?\s*(?:月|年|天|日|小时|时)?\s*(?:薪|起)?|\d+\s*薪"
)
_RECRUITING = re.compile(
    r"急招|急聘|诚聘|高薪聘请?|高薪|直招|热招|长期招聘?|招聘|聘请|招|聘|包吃包住|包吃住|包住|包吃|五险一金|六险一金|"
    r"周末双休|双休|单休|底薪|加提成|提成|年终奖|带薪年假|免费培训|可培训|无经验可|经验不限|学历不限|男女不限|"
    r"日结|周结|月结|可兼职|兼职|全职|正式工|长白班|倒班|包食宿|食宿|\+|·|/|／|\||｜"
)
_SENIORITY = re.compile(
    r"高级|资深|初级|中级|储备|见习|实习生?|应届生?|校招|社招|\d{4}届|届|"
    r"\b(?:senior|junior|lead|principal|staff|graduate|trainee|intern|sr\.?|jr\.?)\b",
    re.I,
)
_SOMEONES = re.compile(r"^.{0,12}?某")  # "郑东新区某茶饮店…": the place before 某 goes; the kind of shop stays
_PLACE = re.compile(ZHENGZHOU_PLACES)
_SEPARATORS = re.compile(r"[\s,，;；:：、\-–—_]+")


def clean_title(title: str) -> str:
    """The occupation part of a posting title: '郑东新区某茶饮店急招店员（包吃住）' -> '茶饮店店员'."""
    text = _BRACKETS.sub(" ", title)
    text = _SOMEONES.sub("", text)
    for pattern in (_PLACE, _PAY, _RECRUITING, _SENIORITY):
        text = pattern.sub(" ", text)
    cleaned = _SEPARATORS.sub(" ", text).strip()
    return cleaned if re.search(r"\w", cleaned) else title.strip()


def parent_code(code: str) -> str | None:
    """2-02-10-03 -> 2-02-10-00 -> 2-02-00-00 -> 2-00-00-00 -> None."""
    parts = code.split("-")
    for position in (3, 2, 1):
        if parts[position].strip("0"):
            return "-".join(parts[:position] + ["00"] * (4 - position))
    return None


def group_of(code: str) -> str:
    """The minor group (中类 level 3) a detailed occupation belongs to: 2-02-10-03 -> 2-02-10."""
    return code.rsplit("-", 1)[0]


def csco_records() -> list[dict[str, Any]]:
    """The 2022 classification shipped with the package (see matcher/data/SOURCES.md), one row per code.

    The file repeats a few codes (a minor group with no subdivisions listed as level 3 and level 4, and three
    exact duplicates): a code keeps its deepest level and its first definition and tasks.
    """
    text = files("matcher").joinpath("data", CSCO_FILE).read_text(encoding="utf-8")
    by_code: dict[str, dict[str, Any]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        seen = by_code.setdefault(row["code"], row)
        if seen is not row:
            seen["level"] = str(max(int(seen["level"]), int(row["level"])))
            for key in ("definition", "tasks"):
                seen[key] = seen.get(key) or row.get(key) or ""
    return list(by_code.values())


def title_key(text: str) -> str:
    """How known titles are compared: case, spaces and punctuation do not count (but C++ and C# stay apart)."""
    return re.sub(r"[^\w+#]+|_", "", text).casefold()


def occupation_titles() -> list[tuple[str, str]]:
    """(code, title) for the job-board titles shipped with the package, in file order."""
    text = files("matcher").joinpath("data", TITLES_FILE).read_text(encoding="utf-8")
    return [(row["code"].strip(), row["title"].strip()) for row in csv.DictReader(io.StringIO(text)) if row["title"]]


def load_occupations(session: Session) -> int:
    """Insert or refresh every occupation of the classification; returns how many it has."""
    records = csco_records()
    rows = {}
    for record in records:
        name = record["name"].strip()
        marks = _MARKS.search(name) if re.search(r"[\u4e00-\u9fff][LS/]+$", name) else None
        rows[record["code"]] = {
            "level": int(record["level"]),
            "name": name[: marks.start()] if marks else name,
            "green": bool(marks and "L" in marks.group()),
            "digital": bool(marks and "S" in marks.group()),
            "definition": (record.get("definition") or "").strip(),
            "tasks": (record.get("tasks") or "").strip(),
            "parent_code": parent_code(record["code"]),
        }
    queries.sync_reference(Occupation, rows, session=session)
    return len(records)


@dataclass(frozen=True)
class OccupationHit:
    code: str
    name: str
    score: float
    group_code: str = ""
    group_name: str = ""


def occupation_views(detailed: Sequence[Occupation]) -> list[tuple[int, str]]:
    """(position, text) for each way a detailed occupation is embedded: name, name + definition, name + tasks."""
    views: list[tuple[int, str]] = []
    for position, row in enumerate(detailed):
        views.append((position, row.name))
        if row.definition:
            views.append((position, f"{row.name}：{row.definition}"))
        if row.tasks:
            views.append((position, f"{row.name}：{row.tasks[:TASKS_CHARS]}"))
    return views


class OccupationMapper:
    """Maps posting titles (Chinese or English) to detailed occupations, best first.

    From the classification: the mean cosine between the cleaned title and the occupation's name, name +
    definition and name + tasks (multilingual model) + LEXICAL_WEIGHT × BM25 (jieba words, normalised to [0, 1))
    over name, definition and tasks. From the known job-board titles (occupation-titles.csv): the best cosine
    with one of the occupation's titles, 1.0 when the cleaned title is one of them. The score mixes the two,
    TITLE_WEIGHT going to the titles; docs/evaluation.md gives the figures this reaches and how it was chosen.
    """

    def __init__(self, session: Session, encoder: Encoder) -> None:
        rows = session.scalars(select(Occupation).order_by(Occupation.code)).all()
        self._names = {row.code: row.name for row in rows}
        self._detailed = [row.code for row in rows if row.level == DETAILED]
        self._encoder = encoder
        detailed = [row for row in rows if row.level == DETAILED]
        views = occupation_views(detailed)
        self._lexical = BM25Index()
        for position, row in enumerate(detailed):
            self._lexical.add(position, f"{row.name} {row.name} {row.definition} {row.tasks}")
        self._owners = np.array([position for position, _ in views], dtype=np.int64)
        self._view_counts = np.bincount(self._owners, minlength=len(self._detailed)).astype(np.float32)
        self._vectors, _ = embed_texts(session, encoder, [text for _, text in views])
        positions = {code: position for position, code in enumerate(self._detailed)}
        titles = [(positions[code], title) for code, title in occupation_titles() if code in positions]
        self._title_keys = {title_key(title): position for position, title in titles}
        self._title_owners = np.array([position for position, _ in titles], dtype=np.int64)
        self._titled = np.bincount(self._title_owners, minlength=len(self._detailed)) > 0
        self._title_vectors = (
            embed_texts(session, encoder, [title for _, title in titles])[0]
            if titles
            else np.zeros((0, encoder.dimension), dtype=np.float32)
        )

    def codes(self) -> set[str]:
        return set(self._detailed)

    def map(self, title: str, limit: int = 5) -> list[OccupationHit]:
        """The detailed occupations `title` most likely is, best first (empty for an empty title)."""
        cleaned = clean_title(title)
        if not cleaned or not self._detailed:
            return []
        return self.rank(cleaned, self._encoder.encode([cleaned])[0], limit)

    def rank(self, cleaned: str, query: np.ndarray, limit: int = 5) -> list[OccupationHit]:
        """Occupations for a cleaned title and its embedding."""
        sums = np.bincount(self._owners, weights=self._vectors @ query, minlength=len(self._detailed))
        scores: np.ndarray = sums / np.maximum(self._view_counts, 1.0)
        for hit in self._lexical.search(cleaned):
            scores[hit.doc_id] += LEXICAL_WEIGHT * hit.score
        if len(self._title_owners):
            # An occupation no known title names keeps its own score, so the list does not crowd it out.
            closest = np.where(self._titled, -1.0, scores).astype(np.float32)
            np.maximum.at(closest, self._title_owners, self._title_vectors @ query)
            known = self._title_keys.get(title_key(cleaned))
            if known is not None:
                closest[known] = 1.0
            scores = (1 - TITLE_WEIGHT) * scores + TITLE_WEIGHT * closest
        top = np.argsort(-scores, kind="stable")[:limit]
        return [self._hit(self._detailed[i], float(scores[i])) for i in top]

    def best_codes(self, session: Session, titles: list[str]) -> list[str | None]:
        """One confident code (or None) per title; cleaned titles go through the embedding cache."""
        cleaned = [clean_title(t) for t in titles]
        vectors, _ = embed_texts(session, self._encoder, cleaned)
        found: list[str | None] = []
        for text, vector in zip(cleaned, vectors, strict=True):
            hits = self.rank(text, vector, 1) if text else []
            found.append(hits[0].code if hits and hits[0].score >= MIN_OCCUPATION_SCORE else None)
        return found

    def _hit(self, code: str, score: float) -> OccupationHit:
        group = parent_code(code) or ""
        return OccupationHit(code, self._names[code], round(score, 4), group_of(code), self._names.get(group, ""))
