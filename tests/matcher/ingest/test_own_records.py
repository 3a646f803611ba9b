"""A candidate's own profile and visibility, and an enterprise's own jobs, called directly."""

from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from matcher.errors import NotFound
from matcher.ingest import postings, registration
from matcher.store.models import utcnow
from tests import factories


def test_a_candidates_own_profile_and_visibility(session: Session) -> None:
    person = factories.candidate(session)
    me = factories.candidate_account(session, person).caller

    own = registration.own_profile(session, me)
    assert own is person and [e.school for e in own.education] and [x.title for x in own.experience]
    assert registration.set_visibility(session, me, False) is person and person.visible is False
    registration.set_visibility(session, me, True)
    assert person.visible is True

    gone = replace(me, candidate_id=None)  # a key checked before its profile was erased
    with pytest.raises(NotFound, match="your profile no longer exists"):
        registration.own_profile(session, gone)
    with pytest.raises(NotFound, match="your profile no longer exists"):
        registration.set_visibility(session, gone, True)


def test_an_enterprises_own_jobs_open_first_newest_first(session: Session) -> None:
    employer = factories.enterprise(session)
    hr = factories.enterprise_account(session, employer).caller
    first, second, third = (factories.job(session, enterprise=employer) for _ in range(3))
    factories.job(session, enterprise=factories.enterprise(session))  # another employer's
    second.closed_at = utcnow()

    assert postings.own_jobs(session, hr, 10) == [third, first, second]
    assert postings.own_jobs(session, hr, 1) == [third]
    assert postings.own_jobs(session, factories.partner(session).caller, 10) == []
