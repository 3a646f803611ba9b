"""Scoring a mapping on labelled data: the figures are computed right and bad files are refused clearly."""

import pytest

from matcher.errors import Invalid
from matcher.reference.evaluation import evaluate, read_labelled

CODES = {"A1", "A2", "B1", "B2"}


def test_accuracy_and_mrr_are_computed_from_the_ranks() -> None:
    rows = read_labelled("text,code,language\none,A1,en\ntwo,A2,en\nthree,B1,zh\nfour,B2,zh\n", CODES)
    ranked = {"one": ["A1"], "two": ["A1", "A2"], "three": ["A1", "A2", "B2", "B2", "B2", "B1"], "four": []}
    report = evaluate("toy", rows, lambda text: ranked[text], group=lambda code: code[0])
    o = report.overall
    assert (o.n, o.at_1, o.at_5) == (4, 0.25, 0.5)
    assert o.mrr == round((1 + 1 / 2 + 1 / 6) / 4, 4)
    assert o.group_at_1 == 0.5  # "two" is in A's group; "three" is not; "four" has no answer
    assert report.by_language["en"].at_1 == 0.5 and report.by_language["zh"].at_5 == 0.0
    assert [m["text"] for m in report.misses] == ["two", "three", "four"]
    assert report.misses[2]["top"] == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("words,gold\nx,A1\n", "`text` and `code` columns"),
        ("text,code\nx,Z9\n", "line 2: 'Z9' is not a code"),
        ("text,code\nx,A1\n,A2\n", "line 3: the text must be"),
        ("text,code\n", "no rows"),
    ],
)
def test_bad_labelled_files_are_refused_with_the_line(text: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        read_labelled(text, CODES)
