"""`talent bench --people N`: how long resolving N synthetic candidate records into people takes.

The records are synthetic (demo name parts and universities): most are distinct people, many sharing common
names; a planted share are the same person again — under the pinyin of the name with the university in English
(no identifier in common), or with the same e-mail written differently. The figures: seconds for the evidence,
pairs scored, seconds to link, and the planted duplicates found and wrongly linked.

`run_stored_people_bench` does it as the platform does (`talent people resolve`): the records stored in a
throwaway database, filed under their identity keys, linked with the profiles of the unsure pairs compared by the
encoder, and the people written back.
"""

import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from matcher.demo.vocabulary import GIVEN_NAME_CHARS, SURNAMES, UNIVERSITIES
from matcher.identity.evidence import Evidence, evidence_of
from matcher.identity.linking import PeopleLinker
from matcher.identity.resolution import resolve
from matcher.store.db import make_engine
from matcher.store.migrate import upgrade
from matcher.store.models import Candidate, Education

FIELDS = ["Battery engineer", "Remote sensing analyst", "Accountant", "Software developer", "Chemist", "Physician"]

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


def _rows(
    person: Person, row_id: int, *, english: bool, email: str | None, field: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    name, school, degree = (
        (person.english_name, person.university, "MSc") if english else (person.name, person.university_zh, "硕士")
    )
    candidate = {"id": row_id, "source": "bench", "external_id": str(row_id), "record_hash": "", "name": name,
                 "email": email, "headline": field}  # fmt: skip
    education = {"candidate_id": row_id, "school": school, "degree": degree, "end_year": person.year}
    return candidate, education


def run_stored_people_bench(
    n: int,
    encode: Callable[[list[str]], np.ndarray],
    seed: int = 2026,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Store n synthetic records in a throwaway SQLite database and link them all, as `talent people resolve` does;
    the figures as a dict."""
    rng = random.Random(seed)
    twins: list[tuple[int, int]] = []
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'people.db'}")
        upgrade(engine)
        started = time.perf_counter()
        with Session(engine) as session, session.begin():
            candidates: list[dict[str, Any]] = []
            education: list[dict[str, Any]] = []
            total = 0
            for person in _people(n, rng):
                if total >= n:
                    break
                first, draw, field = total + 1, rng.random(), rng.choice(FIELDS)
                rows = [_rows(person, first, english=False, email=person.email if draw < 0.5 else None, field=field)]
                if draw < TWIN_ACROSS_SCRIPTS + TWIN_BY_EMAIL and total + 1 < n:
                    email = person.email.upper() if draw >= TWIN_ACROSS_SCRIPTS else None
                    rows.append(_rows(person, first + 1, english=True, email=email, field=field))
                    twins.append((first, first + 1))
                for candidate, schooling in rows:
                    candidates.append(candidate)
                    education.append(schooling)
                total += len(rows)
                if len(candidates) >= 5_000 or total >= n:
                    session.execute(insert(Candidate), candidates)
                    session.execute(insert(Education), education)
                    candidates, education = [], []
                    if progress:
                        progress("storing", total, n)
        stored_s = time.perf_counter() - started
        started = time.perf_counter()
        with Session(engine) as session, session.begin():
            report = PeopleLinker(lambda _, texts: encode(texts)).link(session, None, progress or (lambda *_: None))
        link_s = time.perf_counter() - started
        with Session(engine) as session:
            person_of = dict(session.execute(select(Candidate.id, Candidate.person_id)).all())
        engine.dispose()
    found = sum(person_of[a] is not None and person_of[a] == person_of[b] for a, b in twins)
    return {
        "records": len(person_of),
        "planted_duplicates": len(twins),
        "store_s": round(stored_s, 1),
        "link_s": round(link_s, 1),
        "pairs_scored": report.compared,
        "linked": report.linked,
        "to_review": report.review,
        "records_in_a_person": sum(p is not None for p in person_of.values()),
        "planted_found": found,
    }
