"""Candidate data as each caller may see it: masked for enterprises and partners without consent, audited when
shown unmasked to anyone but the candidate, and hidden profiles left out of other people's results."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.schemas import CandidateOut, MatchOut
from matcher.errors import NotFound
from matcher.people import privacy
from matcher.people.accounts import Caller, Role
from matcher.platform import Platform
from matcher.search.matching import Match
from matcher.store.models import Candidate

HIDDEN = "hidden"  # what a masked identifier reads


def _audit(platform: Platform, caller: Caller, ids: set[int], where: str) -> None:
    """Write the views down in their own unit of work, before anything is shown: no view goes unrecorded, and a
    read request does not hold the write lock while it ranks."""
    if ids:
        with platform.session(write=True) as session:
            privacy.audit_views(session, caller, ids, where)


def candidate_for(platform: Platform, session: Session, caller: Caller, row: Candidate, where: str) -> CandidateOut:
    """One profile as `caller` may see it."""
    if caller.role is Role.candidate and row.id != caller.candidate_id:
        raise NotFound(f"candidate {row.id} not found")
    if not row.visible and caller.role in (Role.partner, Role.enterprise):
        raise NotFound(f"candidate {row.id} not found")
    out = CandidateOut.of(row)
    if row.id in privacy.unmasked_ids(session, caller, [row.id]):
        _audit(platform, caller, {row.id}, where)
        return out.model_copy(update={"contact": row.email, "masked": False})
    return out.model_copy(
        update={"name": privacy.mask_name(row.name), "external_id": HIDDEN, "url": None, "contact": None}
    )


def candidate_matches(
    platform: Platform, session: Session, caller: Caller | None, matches: list[Match], where: str
) -> list[MatchOut]:
    """Candidate results as `caller` may see them: hidden profiles dropped, the others masked or audited."""
    if caller is None or not matches:
        return []
    ids = [m.id for m in matches]
    hidden = set()
    if caller.role is not Role.admin:
        hidden = set(session.scalars(select(Candidate.id).where(Candidate.id.in_(ids), Candidate.visible.is_(False))))
    shown = [m for m in matches if m.id not in hidden]
    unmasked = privacy.unmasked_ids(session, caller, [m.id for m in shown])
    _audit(platform, caller, unmasked, where)
    out = []
    for match in shown:
        item = MatchOut(**vars(match))
        if match.id not in unmasked:
            summary = dict(item.summary, name=privacy.mask_name(str(item.summary.get("name", ""))))
            explanation = {k: v for k, v in item.explanation.items() if k != "matched_terms"}  # may name them
            item = item.model_copy(
                update={"external_id": HIDDEN, "summary": summary, "explanation": explanation, "masked": True}
            )
        out.append(item)
    return out
