"""What the candidate-portal tests share (the HTTP tests here and the browser test): the portal's paths, a real
résumé, a partner's referral and a contact request made through the use cases, the profile read back from the
store, and forms posted with their page's token."""

import io
import json
from urllib.parse import unquote

import docx
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.web.auth import PREFIX
from matcher.partners import contact_requests, referrals
from matcher.people import accounts
from matcher.people.accounts import Caller
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import Candidate, Job
from tests.api.conftest import Keys
from tests.web.conftest import form_token

ME = f"{PREFIX}/me"
PAGES = [ME, f"{ME}/openings", f"{ME}/policies", f"{ME}/privacy"]


def docx_resume(*lines: str) -> bytes:
    """A small real Word document with these paragraphs."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


RESUME = docx_resume(
    "测试人员乙 · 简历",
    "邮箱：gnss.person@example.invalid",
    "研究方向：北斗/GPS 精密单点定位（PPP）、RTK 与惯性组合导航，多频多系统 GNSS 数据处理。",
    "Experience: developed a real-time PPP-RTK engine in C++ for autonomous driving at a Calgary start-up.",
)


def caller_of(platform: Platform, key: str) -> Caller:
    with platform.session() as session:
        caller = accounts.authenticate(session, key)
        assert caller is not None
        return caller


def job_id(platform: Platform, external_id: str) -> int:
    with platform.session() as session:
        row = queries.get_by_ref(Job, session=session, source="test", external_id=external_id)
        assert row is not None
        return row.id


def refer(platform: Platform, keys: Keys, external_id: str = "j-gnss") -> int:
    """The test partner refers the test candidate to a job; the referral's id."""
    with platform.session() as session:
        made = referrals.refer(
            session, caller_of(platform, keys.partner), keys.candidate_id, job_id(platform, external_id), window_days=90
        )
        session.flush()
        return made.id


def ask(platform: Platform, key: str, candidate_id: int, message: str, job: int | None = None) -> int:
    """An enterprise or partner firm asks the candidate for their contact details; the request's id."""
    with platform.session() as session:
        return contact_requests.request_contact(session, caller_of(platform, key), candidate_id, job, message).id


def other_candidates(platform: Platform, candidate_id: int) -> list[str]:
    """The names of every other candidate (what the candidate must never see)."""
    with platform.session() as session:
        return [c.name for c in session.scalars(select(Candidate).where(Candidate.id != candidate_id)) if c.name]


def flash_of(response) -> str:  # type: ignore[no-untyped-def]
    """The one-time message a redirect leaves for the next page."""
    raw = response.cookies.get("tb_flash")
    assert raw, f"no message on {response.status_code} {response.headers.get('location')}"
    return str(json.loads(unquote(raw))["text"])


def post(client: TestClient, path: str, back: str, **kwargs) -> object:  # type: ignore[no-untyped-def]
    """A form posted from the page `back`, with that page's token."""
    data = {"csrf": form_token(client, back), **kwargs.pop("data", {})}
    return client.post(path, data=data, headers={"referer": f"http://testserver{back}"}, **kwargs)


def profile(platform: Platform, candidate_id: int) -> Candidate:
    with platform.session() as session:
        row = session.get(Candidate, candidate_id)
        assert row is not None
        _ = row.education, row.experience
        session.expunge(row)
        return row


def profile_form(row: Candidate, **changes: object) -> dict[str, object]:
    """What the profile page's form posts for `row`, with `changes`."""
    data: dict[str, object] = {
        "name": row.name,
        "headline": row.headline,
        "summary": row.summary,
        "skills": "、".join(row.skills),
        "location": row.location,
        "preferred_locations": ", ".join(row.preferred_locations),
        "industries": "",
        "languages": "",
        "email": row.email or "",
        "birth_year": str(row.birth_year or ""),
        "edu_school": [e.school for e in row.education] + [""],
        "edu_degree": [e.degree for e in row.education] + [""],
        "edu_major": [e.major for e in row.education] + [""],
        "edu_country": [e.country for e in row.education] + [""],
        "edu_end_year": [str(e.end_year or "") for e in row.education] + [""],
        "exp_title": [""],
        "exp_organization": [""],
        "exp_start": [""],
        "exp_end": [""],
        "exp_description": [""],
    }
    return {**data, **changes}


def openings(html: str) -> str:
    """The list of openings of the openings page (without the side card and the referrals)."""
    start = html.index('data-test="openings"')
    return html[start : html.index("</section>", start)]


def top_opening(client: TestClient) -> str:
    html = openings(client.get(f"{ME}/openings").text)
    marker = '<span class="job-title">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)]
