"""The demo accounts' synthetic activity: made through the real services, once, with histories that make sense."""

from sqlalchemy import func, select

from matcher.demo.load import demo_accounts, load_demo
from matcher.partners import referrals
from matcher.platform import Platform
from matcher.store.models import Candidate, ContactRequest, Education, Feedback, Referral, SavedSearch, utcnow


def test_activity_reaches_every_page_and_is_made_once(platform: Platform) -> None:
    load_demo(platform, candidates=40, jobs=16, enterprises=3, seed=2026)
    keys_file, activity = demo_accounts(platform)
    assert activity is not None and activity.referrals >= 8
    assert {"referred", "hired"} <= set(activity.by_stage) and activity.saved_searches == 2 and activity.feedback >= 1
    with platform.session() as session:
        made = session.scalars(select(Referral)).all()
        assert len(made) == activity.referrals
        for referral in made:
            stages = [event.stage for event in referral.events]
            if referral.stage == referrals.CLOSED:
                assert stages[-1] == referrals.CLOSED and stages[:-1] == list(referrals.STAGES[: len(stages) - 1])
            else:
                assert stages == list(referrals.STAGES[: referrals.STAGES.index(referral.stage) + 1])
            times = [event.at for event in referral.events]
            assert times == sorted(times) and referral.created_at <= times[0] and times[-1] < utcnow()
            if referral.stage in ("certified", "rewarded"):
                assert referral.tier and referral.reward
        # Every candidate with a finished degree has a plausible birth year (the criteria have an age limit).
        latest = select(Education.candidate_id, func.max(Education.end_year)).group_by(Education.candidate_id)
        ends = {candidate_id: end for candidate_id, end in session.execute(latest)}
        for candidate in session.scalars(select(Candidate)):
            if ends.get(candidate.id):
                assert candidate.birth_year is not None and 19 <= ends[candidate.id] - candidate.birth_year <= 31
        counts = [session.scalar(select(func.count()).select_from(m)) for m in (ContactRequest, Feedback, SavedSearch)]
    again_file, again = demo_accounts(platform)
    assert again_file == keys_file and again is None
    with platform.session() as session:
        assert session.scalar(select(func.count()).select_from(Referral)) == activity.referrals
        assert [
            session.scalar(select(func.count()).select_from(m)) for m in (ContactRequest, Feedback, SavedSearch)
        ] == (counts)
