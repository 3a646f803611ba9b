"""`talent bench --people N`: how long resolving N synthetic candidate records into people takes.

The records are synthetic (demo name parts and universities): most are distinct people, many sharing common
names; a planted share are the same person again — under the pinyin of the name with the university in English
(no identifier in common), or with the same e-mail written differently. The figures: seconds for the evidence,
pairs scored, seconds to link, and the planted duplicates found and wrongly linked.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from matcher.demo.vocabulary import GIVEN_NAME_CHARS, SURNAMES, UNIVERSITIES
from matcher.identity.evidence import Evidence, evidence_of
from matcher.identity.resolution import resolve

TWIN_ACROSS_SCRIPTS = 0.05
TWIN_BY_EMAIL = 0.03


@dataclass(frozen=True)
class Person:
    name: str  # 李俊
    english_name: str  # Jun Li
    university: str
    university_zh: str
    year: int
    email: str


def _people(n: int, rng: random.Random) -> list[Person]:
    universities = list(UNIVERSITIES.items())
    surnames = SURNAMES[:60]  # common surnames, as in a real population
    people = []
    for i in range(n):
        surname, surname_pinyin = surnames[min(int(rng.expovariate(1 / 8)), len(surnames) - 1)].split("|")
        given = [rng.choice(GIVEN_NAME_CHARS).split("|") for _ in range(rng.choice((1, 2, 2)))]
        chinese_name = surname + "".join(c for c, _ in given)
        english_name = f"{''.join(p for _, p in given).title()} {surname_pinyin}"
        english, (chinese, _) = rng.choice(universities)
        people.append(
            Person(chinese_name, english_name, english, chinese, rng.randint(2012, 2026), f"p{i}@example.com")
        )
    return people


def _evidence(person: Person, *, english: bool, email: str | None) -> Evidence:
    if english:
        name, school, degree = person.english_name, person.university, "MSc"
    else:
        name, school, degree = person.name, person.university_zh, "硕士"
    return evidence_of(
        name=name,
        email=email,
        url=None,
        texts=[],
        extras={},
        education=[(school, degree, "", person.year)],
        employers=[],
    )


def run_people_bench(
    n: int, seed: int = 2026, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, Any]:
    """Resolve n synthetic records; the figures as a dict."""
    rng = random.Random(seed)
    started = time.perf_counter()
    records: list[tuple[int, Evidence]] = []
    twins: set[tuple[int, int]] = set()
    people = _people(n, rng)
    for person in people:
        if len(records) >= n:
            break
        first = len(records)
        draw = rng.random()
        records.append((first, _evidence(person, english=False, email=person.email if draw < 0.5 else None)))
        if draw < TWIN_ACROSS_SCRIPTS and len(records) < n:
            records.append((first + 1, _evidence(person, english=True, email=None)))
            twins.add((first, first + 1))
        elif draw < TWIN_ACROSS_SCRIPTS + TWIN_BY_EMAIL and len(records) < n:
            records.append((first + 1, _evidence(person, english=True, email=person.email.upper())))
            twins.add((first, first + 1))
        if progress and len(records) % 10_000 < 2:
            progress("evidence", len(records), n)
    evidence_s = time.perf_counter() - started
    started = time.perf_counter()
    result = resolve(records, progress=progress)
    link_s = time.perf_counter() - started
    linked = {(a, b) for a, b, _ in result.links}
    group_of = {record_id: tuple(group) for group in result.groups for record_id in group}
    found = sum(group_of[a] == group_of[b] for a, b in twins)
    return {
        "records": len(records),
        "planted_duplicates": len(twins),
        "evidence_s": round(evidence_s, 1),
        "pairs_scored": result.compared,
        "link_s": round(link_s, 1),
        "people": len(result.groups),
        "planted_found": found,
        "links_not_planted": len(linked - twins),
        "to_review": len(result.review),
    }
