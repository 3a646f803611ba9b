"""Measure a mapping (text -> ranked codes) on a labelled file: accuracy@1, accuracy@5 and MRR.

The file is CSV with a header naming at least `text` and `code` (the gold code); a `language` column, when there
is one, also gives the figures per language. `talent eval majors|occupations FILE` runs this.
"""

import csv
import io
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


@dataclass
class EvalReport:
    task: str
    overall: Scores
    by_language: dict[str, Scores] = field(default_factory=dict)
    misses: list[dict[str, str]] = field(default_factory=list)  # text, gold, top (first wrong answers)


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
    rank: Callable[[str], list[str]],
    group: Callable[[str], str] | None = None,
    misses: int = 20,
) -> EvalReport:
    """Scores of `rank` (text -> codes, best first; the first 10 count) against the gold codes."""
    results: list[tuple[Labelled, int | None, bool]] = []
    wrong: list[dict[str, str]] = []
    for row in rows:
        codes = rank(row.text)[:10]
        position = codes.index(row.code) + 1 if row.code in codes else None
        in_group = bool(codes) and group is not None and group(codes[0]) == group(row.code)
        results.append((row, position, in_group))
        if position != 1 and len(wrong) < misses:
            wrong.append({"text": row.text, "gold": row.code, "top": codes[0] if codes else ""})

    def scores(selected: list[tuple[Labelled, int | None, bool]]) -> Scores:
        return _scores([r for _, r, _ in selected], [g for _, _, g in selected] if group else None)

    languages = sorted({row.language for row, _, _ in results} - {""})
    return EvalReport(
        task=task,
        overall=scores(results),
        by_language={lang: scores([r for r in results if r[0].language == lang]) for lang in languages},
        misses=wrong,
    )
