"""A candidate's interest in a job, called directly: told only with consent, recorded in the one consent store
(purpose "interest") and audited; seen by the employer unmasked; refused twice, for a closed or unknown job and for
an employer not on the platform; withdrawn with the consent given with it — or the consent kept, and why, when it
backs something else; listed in the candidate's export and gone with their erasure."""

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.errors import Conflict, Invalid, NotFound
from matcher.partners import interests
from matcher.people import audit, personal_data, privacy
from matcher.people.accounts import Caller
from matcher.store.models import Candidate, Consent, Interest, Job, utcnow
from tests import factories


@dataclass
class Scene:
    person: Candidate
    own: Caller
    hr: Caller
    job: Job
    other_job: Job  # another job of the same employer


def _scene(session: Session) -> Scene:
    person = factories.candidate(session, name="王芳 Wang Fang", email="wang.fang@example.org")
    own = factories.candidate_account(session, person).caller
    employer = factories.enterprise(session)
    hr = factories.enterprise_account(session, employer).caller
    job, other = factories.job(session, enterprise=employer), factories.job(session, enterprise=employer, title="测绘")
    return Scene(person, own, hr, job, other)


def _consent(session: Session, scene: Scene) -> Consent | None:
    return session.scalars(
        select(Consent).where(
            Consent.candidate_id == scene.person.id, Consent.organization_id == scene.hr.organization_id
        )
    ).first()


def test_telling_an_employer_records_the_consent_and_shows_them_the_candidate(session: Session) -> None:
    scene = _scene(session)
    masked = interests.for_job(session, scene.hr, scene.job.id, "test")
    assert masked == []

    interest = interests.express(session, scene.own, scene.job.id, consent=True)

    assert (interest.candidate_id, interest.job_id, interest.organization_id) == (
        scene.person.id,
        scene.job.id,
        scene.hr.organization_id,
    )
    consent = _consent(session, scene)
    assert consent is not None and consent.purpose == "interest" and consent.withdrawn_at is None
    [seen] = interests.for_job(session, scene.hr, scene.job.id, "console test")
    assert (seen.name, seen.email, seen.masked) == ("王芳 Wang Fang", "wang.fang@example.org", False)
    actions = [(e.action, e.detail) for e in audit.entries(session, subject=f"candidate:{scene.person.id}")]
    assert ("interest.express", {"job": scene.job.id, "organization": scene.hr.organization_id}) in actions
    assert ("consent.grant", {"organization": scene.hr.organization_id, "purpose": "interest"}) in actions
    assert ("personal_data.view", {"where": "console test"}) in actions  # the employer's unmasked view
    assert [row.job_id for row in interests.mine(session, scene.own)] == [scene.job.id]


def test_without_consent_twice_closed_unknown_or_off_the_platform_nothing_is_told(session: Session) -> None:
    scene = _scene(session)
    with pytest.raises(Invalid) as refused:
        interests.express(session, scene.own, scene.job.id, consent=False)
    assert refused.value.reason == "interest_needs_consent" and refused.value.params["employer"]
    assert _consent(session, scene) is None
    assert session.scalar(select(func.count()).select_from(Interest)) == 0

    interests.express(session, scene.own, scene.job.id, consent=True)
    with pytest.raises(Conflict) as twice:
        interests.express(session, scene.own, scene.job.id, consent=True)
    assert twice.value.reason == "already_interested" and twice.value.params["job"] == scene.job.id
    assert session.scalar(select(func.count()).select_from(Interest)) == 1

    scene.other_job.closed_at = utcnow()
    with pytest.raises(NotFound) as closed:
        interests.express(session, scene.own, scene.other_job.id, consent=True)
    assert closed.value.reason == "job_closed"
    with pytest.raises(NotFound) as unknown:
        interests.open_job(session, scene.job.id + 10_000)
    assert unknown.value.reason == "job_not_found"
    crawled = factories.job(session, enterprise=factories.enterprise(session))  # its employer has no account
    with pytest.raises(Conflict) as nobody:
        interests.express(session, scene.own, crawled.id, consent=True)
    assert nobody.value.reason == "employer_not_on_platform"


def test_withdrawing_withdraws_the_consent_given_with_it(session: Session) -> None:
    scene = _scene(session)
    interests.express(session, scene.own, scene.job.id, consent=True)

    done = interests.withdraw(session, scene.own, scene.job.id)

    assert done.consent_withdrawn and done.kept is None
    consent = _consent(session, scene)
    assert consent is not None and consent.withdrawn_at is not None
    assert interests.for_job(session, scene.hr, scene.job.id, "test") == []
    assert scene.person.id not in privacy.unmasked_ids(session, scene.hr, [scene.person.id])
    with pytest.raises(NotFound) as again:
        interests.withdraw(session, scene.own, scene.job.id)
    assert again.value.reason == "not_interested"
    actions = [e.action for e in audit.entries(session, subject=f"candidate:{scene.person.id}")]
    assert actions[:2] == ["consent.withdraw", "interest.withdraw"]

    told_again = interests.express(session, scene.own, scene.job.id, consent=True)  # the same row, in force again
    assert told_again.withdrawn_at is None and session.scalar(select(func.count()).select_from(Interest)) == 1
    assert _consent(session, scene).withdrawn_at is None  # type: ignore[union-attr]


def test_a_consent_that_backs_something_else_stays_and_the_withdrawal_says_why(session: Session) -> None:
    scene = _scene(session)
    interests.express(session, scene.own, scene.job.id, consent=True)
    interests.express(session, scene.own, scene.other_job.id, consent=True)
    first = interests.withdraw(session, scene.own, scene.job.id)
    assert (first.consent_withdrawn, first.kept, first.other_jobs) == (False, "other_interests", ["测绘"])
    assert scene.person.id in privacy.unmasked_ids(session, scene.hr, [scene.person.id])
    assert interests.withdraw(session, scene.own, scene.other_job.id).consent_withdrawn

    assert scene.hr.organization_id is not None
    privacy.grant(session, scene.own, scene.hr.organization_id)  # consented directly, as PUT /me/consents does
    interests.express(session, scene.own, scene.job.id, consent=True)
    assert _consent(session, scene).purpose == "contact"  # type: ignore[union-attr]  # not overwritten
    kept = interests.withdraw(session, scene.own, scene.job.id)
    assert (kept.consent_withdrawn, kept.kept) == (False, "given_otherwise")
    assert _consent(session, scene).withdrawn_at is None  # type: ignore[union-attr]


def test_the_export_lists_interests_and_erasure_deletes_them(session: Session) -> None:
    scene = _scene(session)
    interests.express(session, scene.own, scene.job.id, consent=True)
    interests.express(session, scene.own, scene.other_job.id, consent=True)
    interests.withdraw(session, scene.own, scene.other_job.id)

    data = personal_data.export(session, scene.own, scene.person.id)

    employer = session.get(Job, scene.job.id).enterprise_row.name  # type: ignore[union-attr]
    assert [(i["job_id"], i["employer"], i["withdrawn_at"] is None) for i in data["interests"]] == [
        (scene.job.id, employer, True),
        (scene.other_job.id, employer, False),
    ]
    personal_data.erase(session, scene.own, scene.person.id)
    remaining = select(func.count()).select_from(Interest).where(Interest.candidate_id == scene.person.id)
    assert session.scalar(remaining) == 0
