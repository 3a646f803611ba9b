"""Whether two candidate records are one person, and which records form one person.

Exact identifiers decide at once: a shared e-mail, phone, ORCID iD or personal link links two records ("same
e-mail"); two different ORCID iDs keep them apart whatever else they share. Otherwise the records are scored, each
piece of evidence adding or taking away (roughly a log-likelihood ratio, in points):

| evidence | points |
|---|---|
| the same name in characters / the same name across scripts (李文静 ~ Wenjing Li) | +3 / +2.5 |
| the same pinyin from other characters (张伟 ~ 章伟), or names with no key in common | −6 |
| a degree at the same university ending within a year (same level when both known) / same university only | +3 / +1 |
| both list schools, all known to the ranking, and share none | −2 |
| both give a degree of one level, ending more than a year apart (two timelines) | −3 |
| an employer in common | +1.5 |
| how alike the profiles read (cosine of their embeddings, when known) | 8 × (cosine − 0.55), within ±3 |
| both give e-mails and share none | −0.5 |

A pair at or over SURE is linked; between REVIEW and SURE it goes to the office's review queue; below, the records
stay apart. The thresholds were chosen on the dev half of eval/people-pairs.jsonl (precision of automatic links ≥
0.99 first, then recall) and are reported on its test half (docs/evaluation.md, `talent eval people`).

`resolve` finds the pairs worth scoring without comparing every record with every other (blocking): records meet
when they share an identifier, or a name key together with a school, an employer or, for names that are not
common in the population, the name key alone.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import combinations

from matcher.identity.evidence import Evidence, Schooling
from matcher.identity.names import NameMatch, compare_names

SURE = 5.5
REVIEW = 2.0
NAME_POINTS = {
    NameMatch.SAME_CHARACTERS: 3.0,
    NameMatch.PINYIN: 2.5,
    NameMatch.HOMOPHONE: -6.0,
    NameMatch.DIFFERENT: -6.0,
}
SCHOOL_AND_YEAR, SCHOOL_ONLY, NO_SCHOOL_IN_COMMON = 3.0, 1.0, -2.0
CONFLICTING_DEGREE = -3.0
EMPLOYER_IN_COMMON = 1.5
OTHER_EMAILS = -0.5
SIMILARITY_SCALE, SIMILARITY_CENTRE, SIMILARITY_CAP = 8.0, 0.55, 3.0
_GENERIC_SCHOOL_WORDS = frozenset(
    {"the", "of", "university", "college", "institute", "school", "technology", "science", "sciences", "and", "at"}
)
# A name key shared by more records than this is too common to block on alone (王伟, "wei zhang").
COMMON_NAME_BLOCK = 30
_IDENTIFIER_REASONS = {
    "email": "same e-mail",
    "phone": "same phone",
    "orcid": "same ORCID iD",
    "link": "same profile link",
}


class Decision(StrEnum):
    LINK = "link"
    REVIEW = "review"
    APART = "apart"


@dataclass(frozen=True)
class PairScore:
    """The verdict on two records, with what it rests on."""

    decision: Decision
    score: float  # +inf when an identifier decided, -inf when conflicting ORCID iDs did
    reasons: tuple[str, ...]


def _words(school: str) -> set[str]:
    return set(re.sub(r"[^a-z0-9]+", " ", school.lower().replace("'s", " s")).split())


def same_school(a: str, b: str) -> bool:
    """One school written two ways: the same name (a university of the ranking resolves to its name), or a short
    form whose distinctive words are all in the other ("Monash" ~ "Monash University", "King's College" ~
    "King's College London")."""
    if a == b:
        return True
    short, full = sorted((_words(a), _words(b)), key=len)
    distinctive = short - _GENERIC_SCHOOL_WORDS
    return bool(distinctive) and len(short) < len(full) and short <= full


def _close(x: Schooling, y: Schooling) -> bool:
    return x.end_year is not None and y.end_year is not None and abs(x.end_year - y.end_year) <= 1


def _school_points(a: Evidence, b: Evidence) -> tuple[float, str | None]:
    if not a.schooling or not b.schooling:
        return 0.0, None
    # "No school in common" counts only between universities the ranking knows: a short form it does not know
    # ("uom", 东大) may be the same school.
    known = any(x.known for x in a.schooling) and any(y.known for y in b.schooling)
    unknown = not all(x.known for x in a.schooling) or not all(y.known for y in b.schooling)
    best, reason = (NO_SCHOOL_IN_COMMON, "no school in common") if known and not unknown else (0.0, None)
    for x in a.schooling:
        for y in b.schooling:
            if not same_school(x.school, y.school):
                continue
            same_level = x.level is None or y.level is None or x.level == y.level
            if _close(x, y) and same_level:
                return SCHOOL_AND_YEAR, f"same school and year: {x.school} {x.end_year}"
            if best < SCHOOL_ONLY:
                best, reason = SCHOOL_ONLY, f"same school: {x.school}"
    return best, reason


def _conflicting_degree(a: Evidence, b: Evidence) -> str | None:
    """A degree of one level that both records give, ending years apart: two people's timelines. (Years, not
    schools: a school written in a short form the ranking does not know would look like another school.)"""
    for level in {x.level for x in a.schooling} & {y.level for y in b.schooling} - {None}:
        ours = [x for x in a.schooling if x.level == level and x.end_year is not None]
        theirs = [y for y in b.schooling if y.level == level and y.end_year is not None]
        if ours and theirs and not any(_close(x, y) for x in ours for y in theirs):
            return f"a degree of the same level ending in {ours[0].end_year} and in {theirs[0].end_year}"
    return None


def score_pair(a: Evidence, b: Evidence, similarity: float | None = None) -> PairScore:
    """Link, review or apart for two records' evidence; `similarity` is the cosine of their profile embeddings."""
    if a.orcids and b.orcids and not a.orcids & b.orcids:
        return PairScore(Decision.APART, float("-inf"), ("different ORCID iDs",))
    shared = a.identifiers & b.identifiers
    if shared:
        kinds = sorted({_IDENTIFIER_REASONS[item.split(":", 1)[0]] for item in shared})
        return PairScore(Decision.LINK, float("inf"), tuple(kinds))
    score = 0.0
    reasons: list[str] = []
    if a.name.keys and b.name.keys:
        match = compare_names(a.name, b.name)
        score += NAME_POINTS[match]
        reasons.append(f"name: {match.name.lower().replace('_', ' ')}")
    points, reason = _school_points(a, b)
    if reason:
        score += points
        reasons.append(reason)
    conflict = _conflicting_degree(a, b)
    if conflict:
        score += CONFLICTING_DEGREE
        reasons.append(conflict)
    common = a.employers & b.employers
    if common:
        score += EMPLOYER_IN_COMMON
        reasons.append(f"same employer: {sorted(common)[0]}")
    if similarity is not None:
        points = max(-SIMILARITY_CAP, min(SIMILARITY_CAP, SIMILARITY_SCALE * (similarity - SIMILARITY_CENTRE)))
        score += points
        reasons.append(f"profiles alike: {similarity:.2f}")
    if a.emails and b.emails:
        score += OTHER_EMAILS
        reasons.append("other e-mails")
    decision = Decision.LINK if score >= SURE else Decision.REVIEW if score >= REVIEW else Decision.APART
    return PairScore(decision, score, tuple(reasons))


def block_keys(evidence: Evidence) -> set[str]:
    """The keys a record is filed under for blocking (identifiers, name keys alone and with school or employer)."""
    keys = set(evidence.identifiers)
    for name in evidence.name.keys:
        keys.add(f"name:{name}")
        keys |= {f"name+school:{name}|{s.school}" for s in evidence.schooling}
        keys |= {f"name+employer:{name}|{e}" for e in evidence.employers}
    return keys


@dataclass
class Resolution:
    """Which records are one person: groups (each a sorted list of record ids), the linked pairs with their
    verdicts, the pairs for review, and how many pairs were scored."""

    groups: list[list[int]]
    links: list[tuple[int, int, PairScore]] = field(default_factory=list)
    review: list[tuple[int, int, PairScore]] = field(default_factory=list)
    compared: int = 0


def candidate_pairs(evidence: Sequence[tuple[int, Evidence]]) -> set[tuple[int, int]]:
    """The pairs of record ids worth scoring: those sharing a block, never a whole common-name block."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for record_id, item in evidence:
        for key in block_keys(item):
            blocks[key].append(record_id)
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if key.startswith("name:") and len(members) > COMMON_NAME_BLOCK:
            continue  # a common name: its records meet through a school, an employer or an identifier instead
        pairs.update(combinations(sorted(set(members)), 2))
    return pairs


def resolve(
    evidence: Sequence[tuple[int, Evidence]],
    similarity: Callable[[int, int], float | None] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    kept_apart: Iterable[tuple[int, int]] = (),
) -> Resolution:
    """Group records into people. `kept_apart` are pairs a person decided are different people (never linked)."""
    by_id = dict(evidence)
    parent = {record_id: record_id for record_id in by_id}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    apart = {tuple(sorted(pair)) for pair in kept_apart}
    result = Resolution(groups=[])
    pairs = sorted(candidate_pairs(evidence))
    for done, (a, b) in enumerate(pairs, 1):
        if (a, b) in apart:
            continue
        verdict = score_pair(by_id[a], by_id[b], similarity(a, b) if similarity else None)
        if verdict.decision is Decision.LINK:
            result.links.append((a, b, verdict))
            parent[root(a)] = root(b)
        elif verdict.decision is Decision.REVIEW:
            result.review.append((a, b, verdict))
        if progress and (done % 10_000 == 0 or done == len(pairs)):
            progress("linking", done, len(pairs))
    result.compared = len(pairs)
    groups: dict[int, list[int]] = defaultdict(list)
    for record_id in by_id:
        groups[root(record_id)].append(record_id)
    result.groups = sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])
    result.review = [(a, b, v) for a, b, v in result.review if root(a) != root(b)]
    return result
