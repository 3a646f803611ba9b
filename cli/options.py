"""What several `talent` commands share: the kinds of record they take, the paging, filter and --json options, and
the platform (store, encoder, indexes) they run on."""

from enum import StrEnum
from typing import Annotated

import typer

from matcher.config import get_settings
from matcher.platform import Platform


class SearchKind(StrEnum):
    candidates = "candidates"
    jobs = "jobs"


Limit = Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="How many results.")]
Offset = Annotated[int, typer.Option(min=0, help="Skip this many results (paging).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print a JSON array instead of a table.")]
Location = Annotated[str | None, typer.Option(help="Only results at/wanting this place, e.g. 郑州, Zhengzhou, 高新区.")]
MinDegree = Annotated[
    str | None,
    typer.Option(help="Only results whose degree is at least this: bachelor, master, doctorate, 硕士..."),
]
Industry = Annotated[str | None, typer.Option(help="Only results in this industry, e.g. 电子信息.")]


def platform() -> Platform:
    return Platform(get_settings())
