"""`talent eval people`: duplicate resolution measured on labelled pairs of candidate records."""

from pathlib import Path

import numpy as np

from cli.console import out, print_json
from matcher.config import get_settings
from matcher.embedding import embed_texts
from matcher.identity.evaluation import Figures, PeopleReport, evaluate_pairs, read_pairs
from matcher.identity.resolution import REVIEW, SURE
from matcher.platform import Platform


def run_people_eval(file: Path, text: str, misses: int, as_json: bool) -> None:
    pairs = read_pairs(text)
    p = Platform(get_settings())
    with p.session() as session:

        def embed(texts: list[str]) -> np.ndarray:
            vectors, _ = embed_texts(session, p.encoder, texts)
            return vectors

        report = evaluate_pairs(pairs, embed, misses)
        session.rollback()  # the vectors of the labelled profiles are not the platform's to keep
    if as_json:
        print_json(
            {
                "file": str(file),
                "thresholds": {"sure": SURE, "review": REVIEW},
                "halves": {k: v.as_dict() for k, v in report.halves.items()},
                "kinds": {k: v.as_dict() for k, v in report.kinds.items()},
                "misses": report.misses,
            }
        )
    else:
        print_people_report(report)


def _line(label: str, f: Figures) -> str:
    return (
        f"{label:<28} pairs {f.pairs:>4} (same {f.same:>4})  precision {f.precision:6.1%}  recall {f.recall:6.1%}  "
        f"wrong links {f.linked_wrong:>3}  to review {f.to_review:>3} (recall with review {f.recall_with_review:6.1%})"
    )


def print_people_report(report: PeopleReport) -> None:
    out.print(f"automatic links at score ≥ {SURE:g}, review from {REVIEW:g}", highlight=False)
    for half in ("all", "dev", "test"):
        if half in report.halves:
            out.print(_line(half, report.halves[half]), highlight=False)
    out.print("by kind:", highlight=False)
    for kind, figures in report.kinds.items():
        out.print(_line(f"  {kind}"[:28], figures), highlight=False)
    for miss in report.misses:
        verdict = f"{miss['decision']} ({miss['score']:.1f})"
        out.print(
            f"  miss {miss['pair']} [{miss['kind']}] same={miss['same']}: {verdict}; "
            f"{' / '.join(miss['names'])}; {'; '.join(miss['reasons'])}",
            highlight=False,
        )
