"""A progress callback services accept, so the CLI can draw a bar without services knowing about terminals."""

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
"""progress(task, done, total): `done` of `total` units of `task` are finished."""


def no_progress(_task: str, _done: int, _total: int) -> None:
    """The default: report nothing."""
