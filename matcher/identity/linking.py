"""People in the database: candidate records linked into one person, and the office's review of the unsure pairs.

Each candidate record is filed under its identity keys (`identity_keys`: identifiers, name keys, name keys with a
school or an employer; resolution.block_keys). Linking a set of records (an import, a sign-up, or every record)
files them, finds the records sharing a key with them, scores each such pair (resolution.score_pair: an identifier
in common links at once; otherwise names across scripts, school and year, employer and the profiles' meaning) and
stores the verdict in `person_links`: linked, for review, or nothing. Kept-apart pairs and the office's own
verdicts are never scored again. A person is a group of records joined by linked pairs; each record's
`person_id` is the smallest id of its group (None when alone), so every process reads the same people from the
database, and search shows a group once.

Linking never deletes or changes a source record: the records stay as they were imported; an unlink marks the
record's links "apart" and gives each side back its own person.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from matcher.errors import Conflict, Invalid, NotFound
from matcher.identity.evidence import Evidence, evidence_of
from matcher.identity.resolution import (
    COMMON_NAME_BLOCK,
    Decision,
    PairScore,
    block_keys,
    candidate_pairs,
    score_pair,
)
from matcher.progress import Progress, no_progress
from matcher.reference.universities import UniversityResolver, default_resolver
from matcher.store import queries
from matcher.store.changes import note_changed
from matcher.store.models import Candidate, IdentityKey, PersonLink, utcnow

LINKED, REVIEW, APART = "linked", "review", "apart"
BY_IDENTIFIER, BY_SCORE, BY_OFFICE = "identifier", "score", "office"
BATCH = 500
# The profile similarity can move a score by at most resolution.SIMILARITY_CAP: only pairs within that of a
# threshold need their profiles embedded.
Embed = Callable[[Session, list[str]], np.ndarray]


@dataclass
class LinkReport:
    """What one linking run did."""

    records: int = 0  # records filed (the ones asked for)
    compared: int = 0  # pairs scored
    linked: int = 0  # pairs newly linked
    review: int = 0  # pairs newly put up for review
    regrouped: int = 0  # records whose person changed

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


def candidate_evidence(row: Candidate, resolver: UniversityResolver | None = None) -> Evidence:
    """What a stored candidate record says about who it is."""
    return evidence_of(
        name=row.name,
        email=row.email,
        url=row.url,
        texts=[row.headline, row.summary, row.resume_text, *(e.description for e in row.experience)],
        extras=row.extras or {},
        education=[(e.school, e.degree, e.country, e.end_year) for e in row.education],
        employers=[e.organization for e in row.experience],
        resolver=resolver,
    )


def candidate_profile(row: Candidate) -> str:
    """What a record says about the person's work, for comparing two profiles' meaning (as evaluation.profile_text)."""
    parts = [row.headline, ", ".join(row.skills)]
    parts += [f"{e.degree} {e.major}" for e in row.education]
    parts += [e.title for e in row.experience]
    return "\n".join(p for p in parts if p.strip()) or row.summary[:300]


def _pair(a: int, b: int) -> tuple[int, int]:
    if a == b:
        raise Invalid(f"records {a} and {b} are the same record", "same_record", candidate=a)
    return (a, b) if a < b else (b, a)


UNVERIFIED = "unverified: the record's own word"  # the reason an automatic link went to review instead


class PeopleLinker:
    """Links candidate records into people; `embed` gives profile vectors (None: names, schools and identifiers
    only). A record from one of `unverified_sources` (a sign-up: anyone may type anyone's e-mail or ORCID iD) is
    never linked automatically: what would link it goes to the office's review, so that no one reaches another
    person's records (their export, their erasure) by claiming their identifiers."""

    def __init__(
        self,
        embed: Embed | None = None,
        resolver: UniversityResolver | None = None,
        unverified_sources: frozenset[str] = frozenset(),
    ) -> None:
        self.embed = embed
        self.resolver = resolver or default_resolver()
        self.unverified_sources = unverified_sources

    def link(self, session: Session, ids: Iterable[int] | None = None, progress: Progress = no_progress) -> LinkReport:
        """File records `ids` (every record when None) and link them with the records they share a key with."""
        report = LinkReport()
        focus = sorted(set(ids)) if ids is not None else None
        if focus is None:
            session.execute(delete(IdentityKey))
            evidence = self._file_all(session, progress)
        else:
            evidence = self._file(session, focus)
        report.records = len(evidence)
        if not evidence:
            return report
        neighbours = self._neighbours(session, set(evidence)) if focus is not None else {}
        everyone = {**neighbours, **evidence}
        pairs = sorted(
            (a, b)
            for a, b in candidate_pairs(sorted(everyone.items()))
            if focus is None or a in evidence or b in evidence
        )
        stored = self._stored(session, pairs)
        pairs = [pair for pair in pairs if pair not in stored or stored[pair].decided_by != BY_OFFICE]
        report.compared = len(pairs)
        verdicts = self._unverified_to_review(session, self._score(session, pairs, everyone, progress))
        touched: set[int] = set()
        for (a, b), verdict in verdicts.items():
            status = (
                LINKED if verdict.decision is Decision.LINK else REVIEW if verdict.decision is Decision.REVIEW else None
            )
            existing = stored.get((a, b))
            if status is None:
                if existing is not None:  # a pair no longer alike (a record changed): its old verdict goes
                    touched |= {a, b}
                    session.delete(existing)
                continue
            score = verdict.score if np.isfinite(verdict.score) else None
            method = BY_IDENTIFIER if score is None else BY_SCORE
            if existing is None:
                session.add(PersonLink(first_id=a, second_id=b, status=status, score=score,
                                       reasons=list(verdict.reasons), decided_by=method))  # fmt: skip
            elif existing.status != status or existing.score != score:
                existing.status, existing.score, existing.reasons = status, score, list(verdict.reasons)
                existing.decided_by, existing.decided_at = method, utcnow()
            else:
                continue
            report.linked += status == LINKED
            report.review += status == REVIEW
            touched |= {a, b}
        session.flush()
        report.regrouped = regroup(session, touched if focus is not None else None)
        return report

    # -- internals ---------------------------------------------------------------------------------------

    def _unverified_to_review(
        self, session: Session, verdicts: dict[tuple[int, int], PairScore]
    ) -> dict[tuple[int, int], PairScore]:
        """`verdicts`, with the automatic links of a record from an unverified source put up for review."""
        links = [pair for pair, verdict in verdicts.items() if verdict.decision is Decision.LINK]
        if not self.unverified_sources or not links:
            return verdicts
        ids = sorted({i for pair in links for i in pair})
        unverified: set[int] = set()
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            statement = select(Candidate.id).where(
                Candidate.id.in_(chunk), Candidate.source.in_(sorted(self.unverified_sources))
            )
            unverified |= set(session.scalars(statement))
        for pair in links:
            if unverified & set(pair):
                verdict = verdicts[pair]
                verdicts[pair] = PairScore(Decision.REVIEW, verdict.score, (*verdict.reasons, UNVERIFIED))
        return verdicts

    def _file(self, session: Session, ids: Sequence[int]) -> dict[int, Evidence]:
        """Evidence of records `ids`, their keys (re)filed."""
        evidence: dict[int, Evidence] = {}
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            rows = queries.get_many(Candidate, session=session, ids=chunk)
            session.execute(delete(IdentityKey).where(IdentityKey.candidate_id.in_(chunk)))
            for row_id in chunk:
                if row_id in rows:
                    evidence[row_id] = candidate_evidence(rows[row_id], self.resolver)
            _file_keys(session, {i: evidence[i] for i in chunk if i in evidence})
        return evidence

    def _file_all(self, session: Session, progress: Progress) -> dict[int, Evidence]:
        total = session.scalar(select(func.count()).select_from(Candidate)) or 0
        evidence: dict[int, Evidence] = {}
        batch: dict[int, Evidence] = {}
        for row in queries.iterate(Candidate, session=session, batch_size=BATCH):
            batch[row.id] = evidence[row.id] = candidate_evidence(row, self.resolver)
            if len(batch) == BATCH:
                _file_keys(session, batch)
                batch = {}
                session.expunge_all()
                progress("filing", len(evidence), total)
        _file_keys(session, batch)
        progress("filing", len(evidence), total)
        return evidence

    def _neighbours(self, session: Session, ids: set[int]) -> dict[int, Evidence]:
        """Evidence of the other records sharing a key with records `ids` (not a whole common name's records)."""
        keys = list(session.scalars(select(IdentityKey.key).where(IdentityKey.candidate_id.in_(ids)).distinct()))
        found: set[int] = set()
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            sizes = dict(
                session.execute(
                    select(IdentityKey.key, func.count()).where(IdentityKey.key.in_(chunk)).group_by(IdentityKey.key)
                ).all()
            )
            wanted = [k for k in chunk if not (k.startswith("name:") and sizes.get(k, 0) > COMMON_NAME_BLOCK)]
            found |= set(session.scalars(select(IdentityKey.candidate_id).where(IdentityKey.key.in_(wanted))))
        others = sorted(found - ids)
        rows = queries.get_many(Candidate, session=session, ids=others)
        return {i: candidate_evidence(rows[i], self.resolver) for i in others if i in rows}

    @staticmethod
    def _stored(session: Session, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], PersonLink]:
        """The stored verdicts of `pairs`, by pair."""
        found: dict[tuple[int, int], PersonLink] = {}
        firsts = sorted({a for a, _ in pairs})
        wanted = set(pairs)
        for start in range(0, len(firsts), BATCH):
            chunk = firsts[start : start + BATCH]
            for link in session.scalars(select(PersonLink).where(PersonLink.first_id.in_(chunk))):
                if (link.first_id, link.second_id) in wanted:
                    found[(link.first_id, link.second_id)] = link
        return found

    def _score(
        self, session: Session, pairs: list[tuple[int, int]], evidence: dict[int, Evidence], progress: Progress
    ) -> dict[tuple[int, int], PairScore]:
        first = {pair: score_pair(evidence[pair[0]], evidence[pair[1]]) for pair in pairs}
        unsure = [pair for pair, v in first.items() if np.isfinite(v.score)]
        if not unsure or self.embed is None:
            progress("linking", len(pairs), len(pairs))
            return first
        ids = sorted({i for pair in unsure for i in pair})
        vectors: dict[int, np.ndarray] = {}
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            rows = queries.get_many(Candidate, session=session, ids=chunk)
            kept = [i for i in chunk if i in rows]
            found = self.embed(session, [candidate_profile(rows[i]) for i in kept])
            found = found / np.maximum(np.linalg.norm(found, axis=1, keepdims=True), 1e-12)
            vectors.update(zip(kept, found, strict=True))
            progress("comparing profiles", min(start + BATCH, len(ids)), len(ids))
        for done, (a, b) in enumerate(unsure, 1):
            if a in vectors and b in vectors:
                first[(a, b)] = score_pair(evidence[a], evidence[b], float(vectors[a] @ vectors[b]))
            if done % 10_000 == 0 or done == len(unsure):
                progress("linking", done, len(unsure))
        return first


def _file_keys(session: Session, evidence: dict[int, Evidence]) -> None:
    rows = [
        {"candidate_id": i, "key": k[:400]}
        for i, item in evidence.items()
        for k in sorted({k[:400] for k in block_keys(item)})
    ]
    if rows:
        session.execute(insert(IdentityKey), rows)


def regroup(session: Session, touched: set[int] | None) -> int:
    """Set `person_id` on the records of every group that holds a record of `touched` (every group when None):
    the smallest id of the group, None for a record alone. Returns how many records changed person."""
    if touched is not None and not touched:
        return 0
    edges: dict[int, set[int]] = defaultdict(set)
    if touched is None:
        links = session.execute(select(PersonLink.first_id, PersonLink.second_id).where(PersonLink.status == LINKED))
        for a, b in links:
            edges[a].add(b)
            edges[b].add(a)
        members = set(session.scalars(select(Candidate.id).where(Candidate.person_id.is_not(None))))
        members |= set(edges)
    else:
        members = set(touched)
        frontier = set(touched)
        while frontier:  # walk the linked pairs out from the touched records
            chunk = sorted(frontier)
            frontier = set()
            for start in range(0, len(chunk), BATCH):
                part = chunk[start : start + BATCH]
                links = session.execute(
                    select(PersonLink.first_id, PersonLink.second_id).where(
                        PersonLink.status == LINKED,
                        or_(PersonLink.first_id.in_(part), PersonLink.second_id.in_(part)),
                    )
                )
                for a, b in links:
                    edges[a].add(b)
                    edges[b].add(a)
                    frontier |= {a, b} - members
                    members |= {a, b}
    person: dict[int, int | None] = {}
    seen: set[int] = set()
    for start_id in sorted(members):
        if start_id in seen:
            continue
        group, stack = {start_id}, [start_id]
        while stack:
            for other in edges[stack.pop()]:
                if other not in group:
                    group.add(other)
                    stack.append(other)
        seen |= group
        key = min(group) if len(group) > 1 else None
        person.update(dict.fromkeys(group, key))
    changed: list[int] = []
    ids = sorted(person)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        now = dict(session.execute(select(Candidate.id, Candidate.person_id).where(Candidate.id.in_(chunk))).all())
        for row_id, old in now.items():
            if old != person[row_id]:
                session.execute(update(Candidate).where(Candidate.id == row_id).values(person_id=person[row_id]))
                changed.append(row_id)
    note_changed(session, "candidates", changed)
    return len(changed)


# -- the office's word ---------------------------------------------------------------------------------------


def records_of(session: Session, candidate_id: int) -> list[Candidate]:
    """Every record of the person record `candidate_id` belongs to, smallest id first."""
    row = session.get(Candidate, candidate_id)
    if row is None:
        raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
    if row.person_id is None:
        return [row]
    ids = queries.same_person_ids(session=session, candidate_id=candidate_id)
    found = queries.get_many(Candidate, session=session, ids=ids, experience=False)
    return [found[i] for i in ids if i in found]


def decide(
    session: Session,
    first: int,
    second: int,
    status: str,
    actor_account_id: int | None,
    expected: str | None = None,
) -> PersonLink:
    """The office's verdict on two records: linked (one person) or apart (never linked again); regroups both.
    `expected`: the pair's status the verdict was given on (`review` from the queue; `undecided` for no verdict yet):
    Conflict when it has changed since (someone else decided it meanwhile), so no verdict reverses another unseen."""
    if status not in (LINKED, APART):
        raise Invalid(f"a verdict is {LINKED} or {APART}, not {status!r}", "bad_link_verdict")
    a, b = _pair(first, second)
    for row_id in (a, b):
        if session.get(Candidate, row_id) is None:
            raise NotFound(f"candidate {row_id} not found", "candidate_not_found", candidate=row_id)
    link = session.scalar(select(PersonLink).where(PersonLink.first_id == a, PersonLink.second_id == b))
    now = link.status if link is not None else "undecided"
    if expected is not None and expected != now:
        raise Conflict(
            f"records {a} and {b} were decided meanwhile ({now}): reload and decide again",
            "verdict_changed",
            first=a,
            second=b,
            status=now,
        )
    with session.begin_nested():  # a refused verdict leaves nothing behind, even when the caller goes on
        if link is None:
            link = PersonLink(first_id=a, second_id=b, reasons=[])
            session.add(link)
        link.status, link.decided_by, link.actor_account_id = status, BY_OFFICE, actor_account_id
        link.decided_at = utcnow()
        session.flush()
        if status == APART and _same_person(session, a, b):
            raise Conflict(
                f"records {a} and {b} are still one person through other links: unlink one of them instead",
                "still_linked",
                first=a,
                second=b,
            )
        regroup(session, {a, b})
    return link


def _same_person(session: Session, a: int, b: int) -> bool:
    regroup(session, {a, b})
    people = dict(session.execute(select(Candidate.id, Candidate.person_id).where(Candidate.id.in_([a, b]))).all())
    return people[a] is not None and people[a] == people[b]


def unlink(session: Session, candidate_id: int, actor_account_id: int | None) -> list[int]:
    """Take record `candidate_id` out of its person: each of its links becomes the office's "apart" (the office can
    link a pair again with `decide`); the other records keep the links among themselves (a record joined to the
    person only through this one stands alone too). Returns the records it was linked with."""
    row = session.get(Candidate, candidate_id)
    if row is None:
        raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
    links = list(
        session.scalars(
            select(PersonLink).where(
                PersonLink.status == LINKED,
                or_(PersonLink.first_id == candidate_id, PersonLink.second_id == candidate_id),
            )
        )
    )
    if not links:
        raise Conflict(f"candidate {candidate_id} is linked with no other record", "not_linked", candidate=candidate_id)
    others = sorted({link.first_id if link.second_id == candidate_id else link.second_id for link in links})
    for link in links:
        link.status, link.decided_by, link.actor_account_id, link.decided_at = (
            APART,
            BY_OFFICE,
            actor_account_id,
            utcnow(),
        )
    session.flush()
    regroup(session, {candidate_id, *others})
    return others


def links_of(session: Session, ids: list[int]) -> list[PersonLink]:
    """The stored verdicts on pairs with a record of `ids` (linked, for review or apart; the other record may be
    outside them), by pair."""
    found: dict[int, PersonLink] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        statement = select(PersonLink).where(or_(PersonLink.first_id.in_(chunk), PersonLink.second_id.in_(chunk)))
        found.update((link.id, link) for link in session.scalars(statement))
    return sorted(found.values(), key=lambda link: (link.first_id, link.second_id))


def review_queue(session: Session, limit: int = 50, offset: int = 0) -> tuple[int, list[PersonLink]]:
    """The pairs waiting for the office's verdict, surest first, and how many there are."""
    waiting = select(PersonLink).where(PersonLink.status == REVIEW)
    total = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
    surest = PersonLink.score.desc().nulls_first()  # no score: an identifier in common
    rows = session.scalars(waiting.order_by(surest, PersonLink.id).limit(limit).offset(offset))
    return total, list(rows)
