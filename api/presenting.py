"""Candidate data as each caller may see it: masked for enterprises and partners without consent (the name, the
identifiers, the e-mail, and the contact details typed into any free-text field: privacy.mask_free_text), audited
(with the request's own unit of work) when shown unmasked to anyone but the candidate. (Hidden profiles never reach
here in other people's results: the search leaves them out, see privacy.candidate_filters.)"""

from api.deps import SessionDep
from api.schemas import CandidateOut, MatchOut
from matcher.errors import NotFound
from matcher.people import privacy
from matcher.people.accounts import Caller, Role
from matcher.search.matching import Match
from matcher.store.models import Candidate

HIDDEN = "hidden"  # what a masked identifier reads


def candidate_for(session: SessionDep, caller: Caller, row: Candidate, where: str) -> CandidateOut:
    """One profile as `caller` may see it."""
    if caller.role is Role.candidate and row.id != caller.candidate_id:
        raise NotFound(f"candidate {row.id} not found", "candidate_not_found", candidate=row.id)
    if not row.visible and caller.role in (Role.partner, Role.enterprise):
        raise NotFound(f"candidate {row.id} not found", "candidate_not_found", candidate=row.id)
    out = CandidateOut.model_validate(row)
    if row.id in privacy.unmasked_ids(session, caller, [row.id]):
        privacy.audit_candidate_views(session, caller, [row.id], where)
        return out.model_copy(update={"contact": row.email, "masked": False})
    shown = CandidateOut.model_validate(privacy.mask_free_text(out.model_dump()))
    return shown.model_copy(
        update={"name": privacy.mask_name(row.name), "external_id": HIDDEN, "url": None, "contact": None}
    )


def candidate_matches(session: SessionDep, caller: Caller | None, matches: list[Match], where: str) -> list[MatchOut]:
    """Candidate results as `caller` may see them: masked, or shown whole and audited."""
    if caller is None or not matches:
        return []
    unmasked = privacy.unmasked_ids(session, caller, [m.id for m in matches])
    privacy.audit_candidate_views(session, caller, unmasked, where)
    out = []
    for match in matches:
        item = MatchOut(**vars(match))
        if match.id not in unmasked:
            name = privacy.mask_name(str(item.summary.get("name", "")))
            summary = dict(privacy.mask_free_text(item.summary), name=name)
            explanation = {k: v for k, v in item.explanation.items() if k != "matched_terms"}  # may name them
            explanation = privacy.mask_free_text(explanation)  # matched skills are the candidate's words
            item = item.model_copy(
                update={
                    "external_id": HIDDEN,
                    "summary": summary,
                    "explanation": explanation,
                    "masked": True,
                    "records": [dict(r, external_id=HIDDEN) for r in item.records],
                }
            )
        out.append(item)
    return out
