"""The real reference data the demo draws on: the 2026 major catalogue and the ARWU 2025 universities."""

from dataclasses import dataclass
from typing import Any

from matcher.demo import vocabulary as V


@dataclass(frozen=True)
class University:
    name: str  # as spelled in the ARWU file
    country_code: str
    country: str
    weight: float  # how often the demo picks it: higher for better ranks


def load_majors() -> dict[str, dict[str, Any]]:
    """The 2026 undergraduate catalogue, by major name."""
    return {row["name"]: row for row in V.read_jsonl("majors-2026.jsonl")}


def load_universities() -> dict[str, list[University]]:
    """ARWU 2025 universities in the countries of V.COUNTRIES (never mainland China), by country code."""
    found: dict[str, list[University]] = {code: [] for code in V.COUNTRIES}
    for row in V.read_csv("arwu-2025.csv"):
        if row["country_code"] in found:
            low, _, high = row["world_rank"].partition("-")
            rank = (int(low) + int(high or low)) / 2
            weight = (rank + 50) ** -0.8
            found[row["country_code"]].append(
                University(row["institution"], row["country_code"], row["country"], weight)
            )
    return found
