"""Seeded random draws for the synthetic demo: the helpers every writer draws with (pick, chance, a few of) and the
real reference data they draw on (the 2026 catalogue majors with their fields and English names, ARWU universities).

The writers of enterprises and jobs (matcher.demo.employers) and of candidates (matcher.demo.candidates) share one
random.Random and draw from it in a fixed order, so the same seed always gives the same data.
"""

import random
from collections.abc import Sequence
from typing import Any, TypeVar

from matcher.demo import vocabulary as V
from matcher.demo.reference import University

LEVELS = ["bachelor", "master", "doctorate"]

T = TypeVar("T")


class Draws:
    """Random choices from a shared seeded generator, and the reference data they choose among."""

    def __init__(
        self, rng: random.Random, majors: dict[str, dict[str, Any]], universities: dict[str, list[University]]
    ) -> None:
        self.rng = rng
        self.majors = majors
        self.universities = universities
        self.major_field = {major: field for field, names in V.MAJOR_FIELDS.items() for major in names}

    def pick(self, items: Sequence[T], weights: Sequence[float] | None = None) -> T:
        return self.rng.choices(items, weights=weights)[0] if weights else self.rng.choice(items)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def some(self, items: Sequence[T], low: int, high: int) -> list[T]:
        """low..high distinct items, in their original order."""
        chosen = set(self.rng.sample(range(len(items)), k=min(len(items), self.rng.randint(low, high))))
        return [item for i, item in enumerate(items) if i in chosen]

    def english_major(self, major: str) -> str:
        """One of the major's English names (from major-aliases.csv). Always one draw, however many names it
        has: editing the aliases changes the names written, not the rest of the data set."""
        names = V.MAJOR_FIELDS[self.major_field[major]][major]
        return names[int(self.rng.random() * len(names))]
