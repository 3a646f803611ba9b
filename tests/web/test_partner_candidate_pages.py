"""A partner looks at a candidate before referring (issue 16, point 3): the profile masked as the API masks it, the
jobs they fit with why, and a referral that names the job and asks before storing anything."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.web.i18n import LANG_COOKIE
from matcher.platform import Platform
from matcher.store.models import AuditEvent, Candidate, Job, Referral, utcnow
from tests.web.conftest import SQLITE_ONLY
from tests.web.test_partner_pages import HOME, count, flash, partner, post, row_id, secrets

pytestmark = SQLITE_ONLY
__all__ = ["partner"]  # the fixture, used by name


def test_the_profile_shows_education_experience_skills_and_fitting_jobs_masked(
    partner: TestClient, loaded: Platform
) -> None:
    hidden = secrets(loaded)
    gnss, gnss_job = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Job, "j-gnss")
    with loaded.session() as session:
        row = session.get(Candidate, gnss)
        assert row is not None
        school, skill = row.education[0].school, row.skills[0]
    results = partner.get(HOME, params={"q": "卫星导航 定位算法"}).text
    assert f'href="/console/partner/candidates/{gnss}?' in results  # each result links to the profile
    page = partner.get(f"{HOME}/candidates/{gnss}").text
    assert school in page and skill in page and "教育经历" in page and "工作经历" in page
    assert "GNSS Positioning Algorithm Engineer" in page and 'data-test="why"' in page  # why they fit, in full
    assert f'name="job_id" value="{gnss_job}"' in page
    assert not any(secret in page for secret in hidden)  # name and e-mail masked, as GET /candidates/{id}
    assert "未授权" in page
    partner.cookies.set(LANG_COOKIE, "en")
    english = partner.get(f"{HOME}/candidates/{gnss}").text
    assert "Jobs they fit best" in english and "Catalogue major: " in english
    assert partner.get(f"{HOME}/candidates/999999").status_code == 404
    bad = partner.get(f"{HOME}/candidates/0")
    assert bad.status_code == 422 and "Candidate id: must be at least 1" in bad.text


def test_a_hidden_candidate_has_no_profile_page(partner: TestClient, loaded: Platform) -> None:
    gnss = row_id(loaded, Candidate, "c-gnss")
    with loaded.session() as session:
        row = session.get(Candidate, gnss)
        assert row is not None
        row.visible = False
    missing = partner.get(f"{HOME}/candidates/{gnss}")
    assert missing.status_code == 404 and f"找不到编号为 {gnss} 的候选人" in missing.text


def test_referring_names_the_job_and_asks_before_storing(partner: TestClient, loaded: Platform) -> None:
    gnss, gnss_job = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Job, "j-gnss")
    profile = f"{HOME}/candidates/{gnss}"
    asked = partner.get(f"{HOME}/refer", params={"candidate_id": gnss, "job_id": gnss_job, "back": profile})
    assert asked.status_code == 200
    question = re.search(r'data-test="question">([^<]+)<', asked.text)
    assert question and "推荐到「GNSS Positioning Algorithm Engineer」？" in question.group(1)
    assert 'data-test="employer">Test Enterprise Seven' in asked.text
    assert count(loaded, Referral) == 0  # asking stores nothing
    # From a search result the choice is posted (the form's token stays out of the URL), the note carried on.
    results = f"{HOME}?q=GNSS"
    posted = post(partner, f"{HOME}/refer", {"candidate_id": gnss, "job_id": gnss_job, "note": "可尽快到岗"}, results)
    assert posted.status_code == 200 and "可尽快到岗</textarea>" in posted.text and count(loaded, Referral) == 0
    confirmed = post(partner, f"{HOME}/referrals", {"candidate_id": gnss, "job_id": gnss_job, "back": profile}, profile)
    assert "已推荐到「GNSS Positioning Algorithm Engineer」" in flash(partner, confirmed)
    assert count(loaded, Referral) == 1
    assert "已推荐到「GNSS Positioning Algorithm Engineer」" in partner.get(profile).text
    closed = row_id(loaded, Job, "j-ic")
    with loaded.session() as session:
        job = session.get(Job, closed)
        assert job is not None
        job.closed_at = utcnow()
    refused = partner.get(f"{HOME}/refer", params={"candidate_id": gnss, "job_id": closed})
    assert refused.status_code == 422 and f"职位 {closed} 已关闭" in refused.text
    with loaded.session() as session:
        seen = session.scalars(select(AuditEvent.action)).all()
    assert seen.count("referral.create") == 1


def test_a_mistaken_move_on_the_board_is_corrected_with_a_reason(partner: TestClient, loaded: Platform) -> None:
    gnss, gnss_job = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Job, "j-gnss")
    board = f"{HOME}/referrals"
    post(partner, f"{HOME}/referrals", {"candidate_id": gnss, "job_id": gnss_job}, board)
    with loaded.session() as session:
        rid = session.scalars(select(Referral.id)).one()
    for stage in ("contacted", "interviewing", "offered"):  # one click too many: offered was a mistake
        post(partner, f"{board}/{rid}/stage", {"stage": stage}, board)
    page = partner.get(board).text
    ticket = page[page.index(f'id="referral-{rid}"') :].split("</article>", 1)[0]
    assert f'action="/console/partner/referrals/{rid}/correct"' in ticket
    assert re.findall(r'<option value="(\w+)">', ticket.split('data-test="correct"', 1)[1]) == [
        "interviewing",
        "contacted",
        "referred",
    ]
    blank = post(partner, f"{board}/{rid}/correct", {"stage": "interviewing", "reason": "  "}, board)
    assert "请写明更正的原因" in flash(partner, blank)
    done = post(partner, f"{board}/{rid}/correct", {"stage": "interviewing", "reason": "误点了“已发录用”"}, board)
    assert f"推荐 #{rid} 已更正为「面试中」" in flash(partner, done)
    with loaded.session() as session:
        assert session.get(Referral, rid).stage == "interviewing"  # type: ignore[union-attr]
        audited = session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.correct")).one()
        assert audited.detail == {"from": "offered", "to": "interviewing", "reason": "误点了“已发录用”"}


def test_the_profile_names_the_candidates_industries_in_the_pages_language(
    partner: TestClient, loaded: Platform
) -> None:
    gnss = row_id(loaded, Candidate, "c-gnss")
    with loaded.session() as session:
        row = session.get(Candidate, gnss)
        assert row is not None
        row.industries = ["电子信息", "人工智能"]
    page = partner.get(f"{HOME}/candidates/{gnss}")
    assert page.status_code == 200 and "意向行业" in page.text and "电子信息、人工智能" in page.text
    partner.cookies.set(LANG_COOKIE, "en")
    english = partner.get(f"{HOME}/candidates/{gnss}")
    assert english.status_code == 200 and "Electronic Information, Artificial Intelligence" in english.text
