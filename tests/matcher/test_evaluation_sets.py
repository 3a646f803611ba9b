"""The labelled sets in eval/ (docs/evaluation.md): the mappings keep the figures the docs quote.

A floor a little under the measured figures, so an unintended regression fails while a real improvement passes.
"""

from pathlib import Path

import pytest

from matcher.services.evaluation import evaluate, read_labelled
from matcher.services.occupations import group_of
from matcher.services.platform import Platform

EVAL = Path(__file__).resolve().parents[2] / "eval"


@pytest.mark.parametrize(
    ("task", "floor_at_1", "floor_at_5"),
    [("majors", 0.78, 0.91), ("occupations", 0.62, 0.80)],
)
def test_labelled_sets_keep_their_figures(platform: Platform, task: str, floor_at_1: float, floor_at_5: float) -> None:
    with platform.session() as session:
        mapper = platform.major_mapper(session) if task == "majors" else platform.occupation_mapper(session)
        rows = read_labelled((EVAL / f"{task}.csv").read_text(encoding="utf-8"), mapper.codes())
        group = group_of if task == "occupations" else None
        report = evaluate(task, rows, lambda text: [hit.code for hit in mapper.map(text, 10)], group)
    assert report.overall.n >= 150
    assert report.overall.at_1 >= floor_at_1 and report.overall.at_5 >= floor_at_5, report.overall
    if group:
        assert report.overall.group_at_1 is not None and report.overall.group_at_1 >= 0.7
