"""The labelled pairs of eval/people-pairs.jsonl: automatic links stay precise and find most duplicates."""

from pathlib import Path

from matcher.encoders import Encoder
from matcher.identity.evaluation import evaluate_pairs, read_pairs

PAIRS = Path(__file__).parents[3] / "eval" / "people-pairs.jsonl"


def test_the_labelled_pairs_meet_the_targets_on_both_halves(encoder: Encoder) -> None:
    pairs = read_pairs(PAIRS.read_text(encoding="utf-8"))
    assert len(pairs) == 500 and sum(p.same for p in pairs) == 240
    report = evaluate_pairs(pairs, encoder.encode, misses=0)
    for half in ("dev", "test"):
        figures = report.halves[half]
        assert figures.precision >= 0.99 and figures.recall >= 0.90, (half, figures)
        assert figures.recall_with_review >= 0.98, (half, figures)
