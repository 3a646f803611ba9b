"""Measure a mapping (text -> ranked codes) on a labelled file: accuracy@1, accuracy@5 and MRR.

The file is CSV with a header naming at least `text` and `code` (the gold code); a `language` column, when there
is one, also gives the figures per language. `talent eval majors|occupations FILE` runs this. A gold code may be
coarser than the answers (an occupation's group, 2-02-00-00): `right` says which answers count (for occupations,
the gold occupation or one under it). Texts the mapping's own data already holds (`seen`) are counted apart, so
that the figures on the rest say how it does on texts it has never seen. When the mapping says how sure it is
(`Ranked.confidence`) the report has the reliability curve: the share of right first answers per band of
confidence; and when it shows an answer only when sure enough (`Ranked.shown`), how many it shows and how many of
those are right.
"""

import csv
import io
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from matcher.errors import Invalid

MAX_TEXT = 300


@dataclass(frozen=True)
class Labelled:
    line: int
    text: str
    code: str
    language: str = ""


@dataclass
class Scores:
    n: int = 0
    at_1: float = 0.0
    at_5: float = 0.0
    mrr: float = 0.0
    group_at_1: float | None = None  # the top code in the gold code's group (occupations: same minor group)


@dataclass(frozen=True)
class Ranked:
    """A mapping's answer: codes best first; optionally how sure it is of the first, and what it would show."""

    codes: list[str]
    confidence: float | None = None
    shown: str | None = None  # the code shown (the first, or a group it backed off to); None: uncertain


@dataclass
class Band:
    low: float
    high: float
    n: int
    accuracy: float | None  # share of right first answers (None for an empty band)


@dataclass
class Shown:
    n: int  # texts
    shown: int  # texts given a code (the rest: "uncertain")
    right: int  # shown codes that are right (the gold, one under it, or a group holding the gold)
    backed_off: int  # shown codes that are a group rather than the first answer


@dataclass
class EvalReport:
    task: str
    overall: Scores
    by_language: dict[str, Scores] = field(default_factory=dict)
    misses: list[dict[str, str]] = field(default_factory=list)  # text, gold, top (first wrong answers)
    unseen: Scores | None = None  # texts the mapping's own data does not hold (nor a near duplicate)
    unseen_by_language: dict[str, Scores] = field(default_factory=dict)
    reliability: list[Band] = field(default_factory=list)
    shown: Shown | None = None


CONFIDENCE_BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def exact(answer: str, gold: str) -> bool:
    return answer == gold


def read_labelled(text: str, known_codes: set[str]) -> list[Labelled]:
    """Rows of a labelled CSV; Invalid (naming the line) for a missing column, an empty text or an unknown code."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = set(reader.fieldnames or [])
    if not {"text", "code"} <= columns:
        raise Invalid(f"a labelled file needs a header with `text` and `code` columns (found: {sorted(columns)})")
    rows: list[Labelled] = []
    for row in reader:
        line = reader.line_num
        value, code = (row.get("text") or "").strip(), (row.get("code") or "").strip()
        if not value or len(value) > MAX_TEXT:
            raise Invalid(f"line {line}: the text must be 1 to {MAX_TEXT} characters")
        if code not in known_codes:
            raise Invalid(f"line {line}: {code!r} is not a code of the reference list")
        rows.append(Labelled(line, value, code, (row.get("language") or "").strip()))
    if not rows:
        raise Invalid("the labelled file has no rows")
    return rows


def _scores(ranks: list[int | None], group_hits: list[bool] | None) -> Scores:
    n = len(ranks)
    return Scores(
        n=n,
        at_1=round(sum(r == 1 for r in ranks) / n, 4),
        at_5=round(sum(r is not None and r <= 5 for r in ranks) / n, 4),
        mrr=round(sum(1 / r for r in ranks if r) / n, 4),
        group_at_1=round(sum(group_hits) / n, 4) if group_hits is not None else None,
    )


def evaluate(
    task: str,
    rows: Iterable[Labelled],
    rank: Callable[[str], list[str] | Ranked],
    group: Callable[[str], str] | None = None,
    misses: int = 20,
    *,
    right: Callable[[str, str], bool] = exact,
    seen: Callable[[str], bool] | None = None,
) -> EvalReport:
    """Scores of `rank` (text -> codes, best first; the first 10 count) against the gold codes."""
    results: list[tuple[Labelled, int | None, bool]] = []
    wrong: list[dict[str, str]] = []
    confident: list[tuple[float, bool]] = []
    shown = Shown(0, 0, 0, 0)
    for row in rows:
        answer = rank(row.text)
        ranked = answer if isinstance(answer, Ranked) else Ranked(answer)
        codes = ranked.codes[:10]
        position = next((i + 1 for i, code in enumerate(codes) if right(code, row.code)), None)
        in_group = bool(codes) and group is not None and group(codes[0]) == group(row.code)
        results.append((row, position, in_group))
        if position != 1 and len(wrong) < misses:
            wrong.append({"text": row.text, "gold": row.code, "top": codes[0] if codes else ""})
        if ranked.confidence is not None:
            confident.append((ranked.confidence, position == 1))
            shown.n += 1
            if ranked.shown is not None:
                shown.shown += 1
                backed_off = not codes or ranked.shown != codes[0]
                shown.backed_off += backed_off
                shown.right += right(ranked.shown, row.code) or (backed_off and _holds(ranked.shown, row.code))

    def scores(selected: list[tuple[Labelled, int | None, bool]]) -> Scores:
        return _scores([r for _, r, _ in selected], [g for _, _, g in selected] if group else None)

    def by_language(selected: list[tuple[Labelled, int | None, bool]]) -> dict[str, Scores]:
        languages = sorted({row.language for row, _, _ in selected} - {""})
        return {lang: scores([r for r in selected if r[0].language == lang]) for lang in languages}

    unseen = [r for r in results if not seen(r[0].text)] if seen is not None else []
    return EvalReport(
        task=task,
        overall=scores(results),
        by_language=by_language(results),
        misses=wrong,
        unseen=scores(unseen) if unseen else None,
        unseen_by_language=by_language(unseen),
        reliability=_bands(confident) if confident else [],
        shown=shown if confident else None,
    )


def _holds(group_code: str, gold: str) -> bool:
    """A group's code (2-02-10-00, 2-02-00-00) holds the gold code when the gold sits under it."""
    return hierarchical(gold, group_code)


def hierarchical(answer: str, gold: str) -> bool:
    """Right when `answer` is `gold` or sits under it (gold 2-02-00-00: any 2-02-xx-xx), for dash-separated codes."""
    if answer == gold:
        return True
    parts = gold.split("-")
    depth = len(parts)
    while depth > 1 and not parts[depth - 1].strip("0"):
        depth -= 1
    return depth < len(parts) and answer.split("-")[:depth] == parts[:depth]


def _bands(confident: list[tuple[float, bool]]) -> list[Band]:
    bands: list[Band] = []
    edges = CONFIDENCE_BANDS
    for low, high in itertools.pairwise(edges):
        last = high == edges[-1]
        inside = [ok for c, ok in confident if low <= c < high or (last and c == high)]
        accuracy = round(sum(inside) / len(inside), 4) if inside else None
        bands.append(Band(low, high, len(inside), accuracy))
    return bands
