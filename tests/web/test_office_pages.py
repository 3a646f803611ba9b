"""The talent office's console pages over plain HTTP: the priority-major list with its evidence and CSV, the talent
catalogue, the funnel and its reports, certifying hired referrals and paying rewards, looking up a candidate's
certification, the feedback inbox; refused input, other roles and forged forms."""

import csv
import html
import io
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from api.web.auth import PREFIX
from matcher.office import decisions as talent_office
from matcher.office import feedback, priority
from matcher.partners import referrals
from matcher.people import accounts
from matcher.platform import Platform
from matcher.reference import english_names, leading_industries
from matcher.store import queries
from matcher.store.models import AuditEvent, Candidate, Feedback, Job, Referral, ReferralEvent, utcnow
from tests.api.conftest import PARTNER_A, Keys
from tests.web.conftest import SQLITE_ONLY, form_token, sign_in_client

CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = SQLITE_ONLY

HOME = f"{PREFIX}/office"
QUEUE = f"{HOME}/certification"
INBOX = f"{HOME}/feedback"
PAGES = ("", "/catalogue", "/funnel", "/certification", "/feedback", "/people")


def row_id(platform: Platform, model: type[Job] | type[Candidate], external_id: str) -> int:
    with platform.session() as session:
        row = queries.get_by_ref(model, session=session, source="test", external_id=external_id)
        assert row is not None
        return row.id


def hired_referral(platform: Platform, keys: Keys, candidate: str = "c-gnss", job: str = "j-gnss") -> int:
    """A referral by partner A moved on to `hired` through the referral service, as a partner would."""
    candidate_id, job_id = row_id(platform, Candidate, candidate), row_id(platform, Job, job)
    with platform.session() as session:
        partner = accounts.authenticate(session, keys.partner)
        assert partner is not None
        referral = referrals.refer(session, partner, candidate_id, job_id, window_days=180)
        for stage in ("contacted", "interviewing", "offered", "hired"):
            referrals.move(session, partner, referral.id, stage)
        return referral.id


def filed(platform: Platform, key: str, message: str) -> int:
    """Feedback on a policy, filed through the feedback service."""
    with platform.session() as session:
        author = accounts.authenticate(session, key)
        assert author is not None
        return feedback.file_feedback(session, author, message, policy_key="living_subsidy").id


def referral(platform: Platform, referral_id: int) -> tuple[str, str | None, int | None, int]:
    """A referral's stage, tier, reward and number of events."""
    with platform.session() as session:
        row = session.get(Referral, referral_id)
        assert row is not None
        events = session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == referral_id)).all()
        return row.stage, row.tier, row.reward, len(events)


def flash(client: TestClient, response: Response) -> str:
    """The message the page a form redirected to shows (once)."""
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    found = re.search(r'<div class="flash (\w+)"[^>]*>(.*?)</div>', page.text, re.S)
    assert found, f"no message on {response.headers['location']}"
    return f"{found.group(1)}: {html.unescape(found.group(2))}"


def post(client: TestClient, path: str, data: dict[str, object] | None = None, back: str = QUEUE) -> Response:
    """A form posted from the page `back`, with that page's token."""
    form = {**(data or {}), "csrf": form_token(client, back)}
    return client.post(path, data=form, headers={"referer": f"http://testserver{back}"})


def text(response: Response) -> str:
    """The page's text without tags, entities resolved, spaces squeezed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_office_page_renders_in_both_languages(console: TestClient, keys: Keys, lang: str) -> None:
    sign_in_client(console, keys.admin)
    console.cookies.set("tb_lang", lang)
    titles = {
        "": ("重点专业清单", "Priority-major list"),
        "/catalogue": ("引进海归青年人才目录", "Talent catalogue for returnees"),
        "/funnel": ("推荐漏斗与入职认定", "Referral funnel and placements"),
        "/certification": ("人才认定", "Talent certification"),
        "/feedback": ("监督反馈", "Feedback inbox"),
        "/people": ("同一人核对", "Duplicate review"),
    }
    for path in PAGES:
        response = console.get(HOME + path)
        assert response.status_code == 200, (path, response.text[:500])
        assert f"<h1>{titles[path][0 if lang == 'zh' else 1]}</h1>" in response.text
        assert 'href="/console/static/office.css"' in response.text


def test_the_priority_list_shows_every_major_with_its_evidence(
    console: TestClient, loaded: Platform, keys: Keys
) -> None:
    sign_in_client(console, keys.admin)
    response = console.get(HOME)
    page = response.text
    assert '<svg class="chart"' in page and "紧缺度最高的" in page
    with loaded.session() as session:
        config, config_hash = leading_industries.load_config(loaded.settings.priority_config)
        expected = priority.compute_priority(session, config, config_hash, date.today()).entries
    assert expected, "the sample jobs name majors: the list cannot be empty"
    rows = re.findall(r'<tr data-code="([^"]+)">', page)
    assert rows == [e.code for e in expected[:50]]
    first = expected[0]
    evidence = page[page.index(f'<tr data-code="{first.code}">') :].split("</tr>", 1)[0]
    assert first.name in evidence and "★" * first.stars in evidence and "<details" in evidence
    for job in first.example_jobs:
        assert html.escape(job["title"]) in evidence
    for industry in first.top_industries:
        assert f"{industry['industry']} {industry['share'] * 100:.0f}%" in evidence
    assert len(re.findall(r"<tr data-code=", console.get(HOME, params={"limit": 3}).text)) == min(3, len(expected))
    # The whole list as CSV (UTF-8 with a BOM for spreadsheets), every row with its evidence.
    download = console.get(f"{HOME}/priority.csv")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    assert download.text.startswith("\ufeffrank,code,name")
    table = list(csv.DictReader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert [r["code"] for r in table] == [e.code for e in expected]
    assert first.example_jobs[0]["title"] in table[0]["example_jobs"]
    # Bad input is a readable page, not a crash.
    refused = console.get(HOME, params={"as_of": "not-a-day"})
    assert refused.status_code == 422 and "计算日期：不是有效的日期" in refused.text


def test_in_english_the_priority_list_names_majors_and_industries_in_english(
    console: TestClient, loaded: Platform, keys: Keys
) -> None:
    sign_in_client(console, keys.admin)
    console.cookies.set("tb_lang", "en")
    page = console.get(HOME).text
    with loaded.session() as session:
        config, config_hash = leading_industries.load_config(loaded.settings.priority_config)
        expected = priority.compute_priority(session, config, config_hash, date.today()).entries
    shown = re.findall(r'<strong data-test="major-name">([^<]+)</strong>', page)
    assert shown == [html.escape(english_names.major_name(e.code, e.name, "en")) for e in expected[:50]]
    assert shown and not any(CJK.search(name) for name in shown)
    chart = page[page.index('<svg class="chart"') : page.index("</svg>")]
    assert html.escape(english_names.major_name(expected[0].code, "", "en")) in chart and not CJK.search(chart)
    assert 'href="/console/office/priority.csv?lang=en"' in page
    table = list(
        csv.DictReader(io.StringIO(console.get(f"{HOME}/priority.csv", params={"lang": "en"}).text.lstrip("\ufeff")))
    )
    assert [r["name"] for r in table] == [english_names.major_name(e.code, e.name, "en") for e in expected]
    assert not any(CJK.search(r["name"] + r["class_name"] + r["top_industries"]) for r in table)
    chinese = list(csv.DictReader(io.StringIO(console.get(f"{HOME}/priority.csv").text.lstrip("\ufeff"))))
    assert [r["name"] for r in chinese] == [e.name for e in expected]


def test_the_catalogue_has_a_card_per_leading_industry(console: TestClient, keys: Keys) -> None:
    sign_in_client(console, keys.admin)
    page = console.get(f"{HOME}/catalogue").text
    cards = re.findall(r'data-industry="([^"]+)"', page)
    assert "北斗导航与卫星应用" in cards and "网络安全" in cards
    assert "Test Enterprise Seven" in page  # the GNSS job's employer, hiring in 北斗导航与卫星应用
    console.cookies.set("tb_lang", "en")
    assert "BeiDou Navigation and Satellite Applications" in console.get(f"{HOME}/catalogue").text
    for path in ("/catalogue", "/catalogue.csv", "", "/priority.csv"):  # a day too early for the job window
        early = console.get(HOME + path, params={"as_of": "0001-01-02"})
        assert early.status_code == 422 and "out of range" in early.text, path
    download = console.get(f"{HOME}/catalogue.csv")
    assert download.status_code == 200 and download.text.startswith("\ufeffindustry,kind,rank,code,name,value")
    assert "Test Enterprise Seven" in download.text


def test_certifying_a_hired_referral_stores_its_tier_and_reward(
    console: TestClient, loaded: Platform, keys: Keys
) -> None:
    rid = hired_referral(loaded, keys)
    with loaded.session() as session:
        decision = talent_office.assess(session, loaded.settings, keys.candidate_id, utcnow().date()).decision
        reward = talent_office.reward_for(decision, loaded.settings)
        name = session.get(Candidate, keys.candidate_id).name  # type: ignore[union-attr]
    assert decision.tier is not None and reward > 0
    sign_in_client(console, keys.admin)
    queue = console.get(QUEUE)
    item = queue.text[queue.text.index(f'data-referral="{rid}"') :]
    assert name in item and decision.tier_name_zh in item and f"认定为 {decision.tier} 类" in item
    assert decision.criteria[0].reason_zh in html.unescape(item)  # each criterion with its reason
    with loaded.session() as session:  # the office's view of the candidate is on record
        views = session.scalars(select(AuditEvent).where(AuditEvent.subject == f"candidate:{keys.candidate_id}"))
        assert any(v.action == "personal_data.view" for v in views)

    message = flash(console, post(console, f"{HOME}/referrals/{rid}/certify"))
    assert message.startswith("ok:") and f"{reward:,}" in message
    assert referral(loaded, rid)[:3] == ("certified", decision.tier, reward)
    funnel = text(console.get(f"{HOME}/funnel"))
    assert f"¥{reward:,}" in funnel and PARTNER_A in funnel
    placements = console.get(f"{HOME}/reports/placements.csv").text
    assert f"tier,{decision.tier},,,1" in placements
    # Certified twice: refused, nothing changes.
    again = flash(console, post(console, f"{HOME}/referrals/{rid}/certify"))
    assert again.startswith("error:") and "已认定" in again
    assert referral(loaded, rid)[0] == "certified"
    # The reward paid: the referral is rewarded.
    assert 'data-test="paid"' in console.get(QUEUE).text
    paid = flash(console, post(console, f"{HOME}/referrals/{rid}/paid"))
    assert paid.startswith("ok:") and f"{reward:,}" in paid
    assert referral(loaded, rid)[:3] == ("rewarded", decision.tier, reward)
    rewards = console.get(f"{HOME}/reports/rewards.csv").text
    assert f"all,all partners,0,0,{reward},1" in rewards


def test_a_candidate_meeting_no_tier_is_not_certified(console: TestClient, loaded: Platform, keys: Keys) -> None:
    rid = hired_referral(loaded, keys, candidate="c-sec", job="j-sec")  # no birth year: the age cannot be checked
    before = referral(loaded, rid)
    sign_in_client(console, keys.admin)
    assert "未达到任何认定类别，暂不能认定" in console.get(QUEUE).text
    message = flash(console, post(console, f"{HOME}/referrals/{rid}/certify"))
    assert message.startswith("error:") and "未达到任何人才认定类别" in message and "出生年份" in message
    assert referral(loaded, rid) == before == ("hired", None, None, 5)
    console.cookies.set("tb_lang", "en")
    message = flash(console, post(console, f"{HOME}/referrals/{rid}/certify"))
    assert "meets no certification tier" in message and "birth year unknown" in message
    # Paying a reward that was never certified is refused too.
    assert flash(console, post(console, f"{HOME}/referrals/{rid}/paid")).startswith("error:")
    assert referral(loaded, rid) == before


HAN = re.compile(r"[\u4e00-\u9fff]")


def seen_values(page: str, label: str) -> list[str]:
    """The criteria table's "what it saw" column, as the page shows it."""
    return [v.strip() for v in re.findall(rf'<td data-label="{label}" class="small">(.*?)</td>', page, re.S)]


def test_looking_up_a_candidate_shows_criteria_and_policies(console: TestClient, loaded: Platform, keys: Keys) -> None:
    sign_in_client(console, keys.admin)
    response = console.get(QUEUE, params={"candidate": keys.candidate_id})
    assert response.status_code == 200
    with loaded.session() as session:
        found = talent_office.assess(session, loaded.settings, keys.candidate_id, utcnow().date())
    page = html.unescape(response.text)
    for criterion in found.decision.criteria:
        assert criterion.name_zh in page and criterion.reason_zh in page
    assert seen_values(page, "情况") == [c.value_zh for c in found.decision.criteria]
    granted = [p for p in found.policies if p.eligible]
    assert granted and all(p.name_zh in page and p.rule_zh in page for p in granted)
    console.cookies.set("tb_lang", "en")
    page = html.unescape(console.get(QUEUE, params={"candidate": keys.candidate_id}).text)
    assert all(p.name_en in page and p.rule in page for p in granted)
    assert all(c.reason in page for c in found.decision.criteria)
    values = seen_values(page, "Value")
    assert values == [c.value for c in found.decision.criteria] and not any(HAN.search(v) for v in values)
    missing = console.get(QUEUE, params={"candidate": 2**40})
    assert missing.status_code == 404 and f"There is no candidate {2**40}" in missing.text


def test_the_queue_decides_exactly_as_the_talent_office_service(loaded: Platform, keys: Keys) -> None:
    """The page assesses many candidates with one Assessor (one reading of the priority list and the YAML files);
    its decisions are those of a fresh assess for each."""
    day = utcnow().date()
    with loaded.session() as session:
        assessor = talent_office.Assessor(session, loaded.settings, day)
        for person in session.scalars(select(Candidate)):
            expected = talent_office.assess(session, loaded.settings, person.id, day)
            assert assessor.assess(person) == expected
            assert assessor.reward(expected.decision) == talent_office.reward_for(expected.decision, loaded.settings)


def test_the_office_answers_and_closes_feedback(console: TestClient, loaded: Platform, keys: Keys) -> None:
    first = filed(loaded, keys.candidate, "生活补贴什么时候发放？")
    second = filed(loaded, keys.partner, "Reward rules unclear")
    sign_in_client(console, keys.admin)
    inbox = console.get(INBOX).text
    assert "生活补贴什么时候发放？" in inbox and "Reward rules unclear" in inbox
    assert inbox.index(f'data-feedback="{second}"') < inbox.index(f'data-feedback="{first}"')  # newest first

    # An empty answer is refused with a message, and nothing changes.
    refused = flash(console, post(console, f"{INBOX}/{first}/answer", {"answer": "   "}, back=INBOX))
    assert refused.startswith("error:") and "内容须为 1 至" in refused
    answered = flash(console, post(console, f"{INBOX}/{first}/answer", {"answer": "下月初发放。"}, back=INBOX))
    assert answered.startswith("ok:") and f"#{first}" in answered
    # Answering twice is refused, keeping the first answer.
    twice = flash(console, post(console, f"{INBOX}/{first}/answer", {"answer": "changed"}, back=INBOX))
    assert twice.startswith("error:") and "只有待处理的反馈可以答复" in twice
    with loaded.session() as session:
        row = session.get(Feedback, first)
        assert row is not None and (row.status, row.answer) == ("answered", "下月初发放。")

    # The filter, then closing (once).
    only_open = console.get(INBOX, params={"status": "open"}).text
    assert f'data-feedback="{second}"' in only_open and f'data-feedback="{first}"' not in only_open
    closing = post(console, f"{INBOX}/{first}/close", {"status": "answered"}, back=f"{INBOX}?status=answered")
    assert closing.headers["location"] == f"{INBOX}?status=answered"
    assert flash(console, closing).startswith("ok:")
    again = flash(console, post(console, f"{INBOX}/{first}/close", back=INBOX))
    assert again.startswith("error:") and "已关闭" in again
    closed = console.get(INBOX, params={"status": "closed"}).text
    assert f'data-feedback="{first}"' in closed and "下月初发放。" in closed
    assert console.get(INBOX, params={"status": "lost"}).status_code == 422


@pytest.mark.parametrize("role", ["partner", "enterprise", "candidate"])
def test_other_roles_get_a_403_and_cannot_post(console: TestClient, loaded: Platform, keys: Keys, role: str) -> None:
    rid = hired_referral(loaded, keys)
    question = filed(loaded, keys.candidate, "何时发放？")
    sign_in_client(console, getattr(keys, role))
    for path in (*PAGES, "/priority.csv", "/catalogue.csv", "/reports/rewards.csv"):
        response = console.get(HOME + path)
        assert response.status_code == 403, path
    token = form_token(console, f"{PREFIX}/login")  # a genuine token of this browser (its sign-out form)
    for path, data in (
        (f"{HOME}/referrals/{rid}/certify", {}),
        (f"{HOME}/referrals/{rid}/paid", {}),
        (f"{INBOX}/{question}/answer", {"answer": "ok"}),
        (f"{INBOX}/{question}/close", {}),
    ):
        refused = console.post(path, data={**data, "csrf": token})
        assert refused.status_code == 303 and refused.headers["location"] == PREFIX, path
    assert referral(loaded, rid)[0] == "hired"
    with loaded.session() as session:
        assert session.get(Feedback, question).status == "open"  # type: ignore[union-attr]


def test_a_forged_form_changes_nothing(console: TestClient, loaded: Platform, keys: Keys) -> None:
    rid = hired_referral(loaded, keys)
    question = filed(loaded, keys.candidate, "何时发放？")
    sign_in_client(console, keys.admin)
    for path, data in ((f"{HOME}/referrals/{rid}/certify", {}), (f"{INBOX}/{question}/answer", {"answer": "x"})):
        refused = console.post(path, data={**data, "csrf": "forged"}, headers={"referer": f"http://testserver{QUEUE}"})
        assert "并非来自 TalentBridge" in flash(console, refused)
        no_token = console.post(path, data=data, headers={"referer": f"http://testserver{QUEUE}"})
        assert flash(console, no_token).startswith("error:")
    assert referral(loaded, rid)[0] == "hired"
    with loaded.session() as session:
        assert session.get(Feedback, question).status == "open"  # type: ignore[union-attr]


def test_the_catalogue_names_occupations_in_the_page_language(console: TestClient, keys: Keys) -> None:
    sign_in_client(console, keys.admin)
    chinese = list(csv.DictReader(io.StringIO(console.get(f"{HOME}/catalogue.csv").text.lstrip("\ufeff"))))
    occupations = [(r["code"], r["name"]) for r in chinese if r["kind"] == "occupation"]
    assert occupations and all(CJK.search(name) for _, name in occupations)
    assert all(name in console.get(f"{HOME}/catalogue").text for _, name in occupations)
    console.cookies.set("tb_lang", "en")
    page = console.get(f"{HOME}/catalogue").text
    assert 'href="/console/office/catalogue.csv?lang=en"' in page
    english = [english_names.occupation_name(code, name, "en") for code, name in occupations]
    assert not any(CJK.search(name) for name in english)
    assert all(name in page for name in english) and not any(name in page for _, name in occupations)
    table = list(csv.DictReader(io.StringIO(console.get(f"{HOME}/catalogue.csv").text.lstrip("\ufeff"))))
    assert [r["name"] for r in table if r["kind"] == "occupation"] == english  # the page's language by default
    asked = console.get(f"{HOME}/catalogue.csv", params={"lang": "zh"}).text.lstrip("\ufeff")
    assert [r["name"] for r in csv.DictReader(io.StringIO(asked)) if r["kind"] == "occupation"] == [
        name for _, name in occupations
    ]
    refused = console.get(f"{HOME}/catalogue.csv", params={"lang": "fr"})
    assert refused.status_code == 422 and "lang" in refused.text
