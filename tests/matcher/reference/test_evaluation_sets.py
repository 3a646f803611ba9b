"""The labelled sets in eval/ (docs/evaluation.md): the mappings keep the figures the docs quote.

A floor a little under the measured figures, so an unintended regression fails while a real improvement passes.
"""

from pathlib import Path

import pytest

from matcher.platform import Platform
from matcher.reference.evaluation import evaluate, read_labelled
from matcher.reference.occupations import group_of

EVAL = Path(__file__).resolve().parents[3] / "eval"


@pytest.mark.parametrize(
    ("file", "rows", "floor_at_1", "floor_at_5", "floor_group"),
    [
        ("majors", 165, 0.78, 0.91, None),
        ("occupations", 151, 0.84, 0.95, 0.87),
        ("occupations-check", 120, 0.77, 0.93, 0.81),  # held out: not used to choose the method or its weights
    ],
)
def test_labelled_sets_keep_their_figures(
    platform: Platform, file: str, rows: int, floor_at_1: float, floor_at_5: float, floor_group: float | None
) -> None:
    task = file.split("-")[0]
    with platform.session() as session:
        mapper = platform.major_mapper(session) if task == "majors" else platform.occupation_mapper(session)
        labelled = read_labelled((EVAL / f"{file}.csv").read_text(encoding="utf-8"), mapper.codes())
        group = group_of if task == "occupations" else None
        report = evaluate(task, labelled, lambda text: [hit.code for hit in mapper.map(text, 10)], group)
    assert report.overall.n == rows
    assert report.overall.at_1 >= floor_at_1 and report.overall.at_5 >= floor_at_5, report.overall
    if floor_group is not None:
        assert report.overall.group_at_1 is not None and report.overall.group_at_1 >= floor_group
