"""The partner's console pages over plain HTTP: search with masked names, shortlists, saved searches, referrals
and their board, the rewards ledger; refused input, other roles and forged forms."""

import html
import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from api.web.auth import PREFIX
from matcher.partners import referrals
from matcher.people import accounts, privacy
from matcher.platform import Platform
from matcher.reference import english_names
from matcher.store import queries
from matcher.store.models import AuditEvent, Candidate, Job, Referral, SavedSearch, ShortlistEntry
from tests.api.conftest import Keys
from tests.web.conftest import SQLITE_ONLY, form_token, sign_in_client

pytestmark = SQLITE_ONLY

HOME = f"{PREFIX}/partner"
PAGES = ("", "/searches", "/shortlists", "/referrals", "/rewards")


def row_id(platform: Platform, model: type[Job] | type[Candidate], external_id: str) -> int:
    with platform.session() as session:
        row = queries.get_by_ref(model, session=session, source="test", external_id=external_id)
        assert row is not None
        return row.id


def secrets(platform: Platform) -> list[str]:
    """Every sample candidate's real name and e-mail (the test gives each an e-mail first)."""
    with platform.session() as session:
        people = session.scalars(select(Candidate)).all()
        for person in people:
            person.email = person.email or f"{person.external_id}@mail.example.org"
        return [s for p in people for s in (p.name, p.email or "")]


def flash(client: TestClient, response: Response) -> str:
    """The message the page a form redirected to shows (once)."""
    assert response.status_code == 303, response.text
    while response.status_code == 303:  # /console sends a partner on to their home
        response = client.get(response.headers["location"])
    page = response.text
    found = re.search(r'<div class="flash (\w+)"[^>]*>(.*?)</div>', page, re.S)
    assert found, f"no message on {response.url}"
    return f"{found.group(1)}: {html.unescape(found.group(2))}"


def post(client: TestClient, path: str, data: dict[str, object], back: str = HOME) -> Response:
    """A form posted from the page `back`, with that page's token."""
    token = form_token(client, back)
    form = {"back": back, **data, "csrf": token}
    return client.post(path, data=form, headers={"referer": f"http://testserver{back}"})


def count(platform: Platform, model: type[Referral] | type[ShortlistEntry] | type[SavedSearch]) -> int:
    with platform.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def partner(console: TestClient, keys: Keys) -> TestClient:
    sign_in_client(console, keys.partner)
    return console


def test_every_page_opens_for_a_partner_and_an_empty_search_shows_the_form(partner: TestClient) -> None:
    for path in PAGES:
        response = partner.get(HOME + path)
        assert response.status_code == 200, path
        assert 'lang="zh-CN"' in response.text and "partner.css" in response.text
    empty = partner.get(HOME, params={"q": "   "}).text
    assert 'name="q"' in empty and "还没有保存的搜索" in empty and "flash error" not in empty
    partner.cookies.set("tb_lang", "en")
    assert "Search candidates" in partner.get(HOME).text and "Referral board" in partner.get(HOME + "/referrals").text


@pytest.mark.parametrize("role", ["admin", "enterprise", "candidate"])
def test_other_roles_get_a_403_page(console: TestClient, keys: Keys, role: str) -> None:
    sign_in_client(console, getattr(keys, role))
    for path in PAGES:
        response = console.get(HOME + path)
        assert response.status_code == 403 and "text/html" in response.headers["content-type"], path


def shown_flash(page: str) -> str:
    found = re.search(r'<div class="flash error"[^>]*>(.*?)</div>', page, re.S)
    assert found, "no error message on the page"
    return html.unescape(found.group(1))


def test_an_unknown_degree_or_order_is_said_and_the_rest_of_the_search_kept(
    partner: TestClient, loaded: Platform
) -> None:
    """An old link or an edited address: the page again (422), why in the page's language, what was typed kept in
    the form and the rest of the search run."""
    gnss = row_id(loaded, Candidate, "c-gnss")
    asked = {"q": "satellite navigation", "location": "Zhengzhou 郑州", "min_degree": "grandmaster", "sort": "fame"}
    refused = partner.get(HOME, params=asked)
    assert refused.status_code == 422
    assert shown_flash(refused.text) == "没有「grandmaster」这个学历层次。 没有「fame」这种排序方式。"
    assert 'value="satellite navigation"' in refused.text and 'value="Zhengzhou 郑州"' in refused.text
    assert 'data-test="results"' in refused.text  # the words and the place still searched
    partner.cookies.set("tb_lang", "en")
    english = partner.get(HOME, params={"q": "satellite navigation", "min_degree": "grandmaster"})
    assert english.status_code == 422 and shown_flash(english.text) == "There is no degree level “grandmaster”."
    assert f'id="candidate-{gnss}"' in english.text  # the words still searched, without the unknown degree
    assert 'value="satellite navigation"' in english.text


def result_chips(page: str, candidate: int) -> tuple[list[str], str]:
    """One result's major chips and its "lives in" chip, as shown."""
    article = page.split(f'id="candidate-{candidate}"', 1)[1].split("</article>", 1)[0]
    majors = re.findall(r'<span class="chip" data-test="major">(.*?)</span>', article)
    lives = re.search(r'<span class="chip">(?:所在地：|Lives in: )(.*?)</span>', article)
    return [html.unescape(m) for m in majors], html.unescape(lives.group(1)) if lives else ""


def test_results_name_majors_and_places_in_the_pages_language(partner: TestClient, loaded: Platform) -> None:
    """Majors by their catalogue code and places by the place table, in the page's language; a person's own words
    stay when they are already in it."""
    gnss, sec = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Candidate, "c-sec")
    with loaded.session() as session:
        codes = {c.external_id: c.education[0].major_code for c in session.scalars(select(Candidate)) if c.education}
    assert codes["c-gnss"] and codes["c-sec"]  # 测绘工程 and Cyber Security were coded at import
    partner.cookies.set("tb_lang", "en")
    english = partner.get(HOME, params={"q": "satellite navigation surveying cyber security", "sort": "newest"}).text
    assert result_chips(english, gnss) == (
        [english_names.major_names()[codes["c-gnss"]]],
        "Calgary",
    )  # 测绘工程, 卡尔加里
    assert result_chips(english, sec) == (["Cyber Security"], "Oxford, UK")  # their own words
    partner.cookies.set("tb_lang", "zh")
    chinese = partner.get(HOME, params={"q": "satellite navigation surveying cyber security", "sort": "newest"}).text
    assert result_chips(chinese, gnss) == (["测绘工程"], "卡尔加里")
    assert result_chips(chinese, sec) == (
        [english_names.chinese_major_names()[codes["c-sec"]]],
        "英国牛津 (Oxford, UK)",
    )


def test_a_page_past_the_last_result_says_so_and_links_to_the_first(partner: TestClient) -> None:
    beyond = partner.get(HOME, params={"q": "battery", "offset": 5000, "sort": "newest"}).text
    assert 'data-test="past-the-end"' in beyond and "没有找到符合条件的候选人" not in beyond
    assert f'href="{HOME}?q=battery&amp;sort=newest"' in beyond  # the first page, in the same order


def test_search_masks_every_candidate_without_consent(partner: TestClient, loaded: Platform) -> None:
    hidden = secrets(loaded)
    gnss = row_id(loaded, Candidate, "c-gnss")
    page = partner.get(HOME, params={"q": "satellite navigation", "min_degree": "master"})
    assert page.status_code == 200
    assert f'id="candidate-{gnss}"' in page.text and "测****" in page.text  # 测试人员乙, masked
    assert "匹配原因" in page.text and 'formaction="/console/partner/refer"' in page.text
    assert "GNSS Positioning Algorithm Engineer" in page.text  # the closest open job, offered to refer to
    for secret in hidden:
        assert secret not in page.text, secret
    # A Chinese query finds the same person, and paging links keep the filters.
    chinese = partner.get(HOME, params={"q": "卫星导航 定位算法", "location": ""}).text
    assert f'id="candidate-{gnss}"' in chinese
    assert "offset=10" not in chinese  # the ten sample candidates fill one page: no empty next page
    second = partner.get(HOME, params={"q": "卫星导航 定位算法", "offset": 5}).text
    assert "q=%E5%8D%AB" in second and "offset=10" not in second  # back to the first page, filters kept
    assert partner.get(HOME, params={"q": "x", "offset": 10}).status_code == 200


def test_a_candidate_who_consented_to_the_firm_is_shown_by_name_and_the_view_audited(
    partner: TestClient, loaded: Platform, keys: Keys
) -> None:
    with loaded.session() as session:
        me = accounts.authenticate(session, keys.candidate)
        firm = accounts.authenticate(session, keys.partner)
        assert me is not None and firm is not None and firm.organization_id is not None
        privacy.grant(session, me, firm.organization_id)
        name = session.get(Candidate, keys.candidate_id).name  # type: ignore[union-attr]
    page = partner.get(HOME, params={"q": "satellite navigation"}).text
    assert name in page and "已授权" in page
    with loaded.session() as session:
        views = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "personal_data.view", AuditEvent.subject == f"candidate:{keys.candidate_id}"
            )
        ).all()
        assert [v.detail["where"] for v in views] == ["console /partner"]


def test_bad_filters_are_a_readable_error(partner: TestClient) -> None:
    response = partner.get(HOME, params={"q": "nurse", "min_degree": "wizard"})
    assert response.status_code == 422 and "学历层次" in response.text
    assert partner.get(HOME, params={"q": "nurse", "offset": -1}).status_code == 422


def test_shortlist_then_refer_from_the_shortlist(partner: TestClient, loaded: Platform) -> None:
    gnss, job = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Job, "j-gnss")
    back = f"{HOME}?q=satellite+navigation"
    added = post(partner, f"{HOME}/shortlists", {"candidate_id": gnss, "job_id": job, "note": "GNSS PhD"}, back)
    assert added.headers["location"] == back
    assert flash(partner, added) == "ok: 已加入「GNSS Positioning Algorithm Engineer」的候选名单。"
    again = post(partner, f"{HOME}/shortlists", {"candidate_id": gnss, "job_id": job}, back)
    assert flash(partner, again) == f"error: 候选人 {gnss} 已在职位 {job} 的候选名单中。"
    assert count(loaded, ShortlistEntry) == 1
    results = partner.get(back).text
    assert "已列入「GNSS Positioning Algorithm Engineer」的候选名单" in results  # what the firm already did

    listed = partner.get(f"{HOME}/shortlists").text  # the firm's only shortlisted job is picked
    assert "GNSS PhD" in listed and "测****" in listed and "测试人员乙" not in listed
    referred = post(partner, f"{HOME}/referrals", {"candidate_id": gnss, "job_id": job}, f"{HOME}/shortlists?job={job}")
    assert flash(partner, referred).startswith("ok: 已推荐到「GNSS Positioning Algorithm Engineer」")
    assert count(loaded, Referral) == 1
    assert "已推荐" in partner.get(f"{HOME}/shortlists", params={"job": job}).text

    removed = post(partner, f"{HOME}/shortlists/{job}/{gnss}/delete", {}, f"{HOME}/shortlists?job={job}")
    assert flash(partner, removed) == "ok: 已从候选名单移除。" and count(loaded, ShortlistEntry) == 0
    gone = post(partner, f"{HOME}/shortlists/{job}/{gnss}/delete", {}, f"{HOME}/shortlists?job={job}")
    assert gone.headers["location"] == f"{HOME}/shortlists?job={job}" and "不在职位" in flash(partner, gone)
    assert partner.get(f"{HOME}/shortlists", params={"job": 999999}).status_code == 404


def test_a_hidden_profile_leaves_the_shortlist_page(partner: TestClient, loaded: Platform) -> None:
    gnss, job = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Job, "j-gnss")
    post(partner, f"{HOME}/shortlists", {"candidate_id": gnss, "job_id": job, "note": "GNSS PhD"})
    assert "GNSS PhD" in partner.get(f"{HOME}/shortlists", params={"job": job}).text
    with loaded.session() as session:
        person = session.get(Candidate, gnss)
        assert person is not None
        person.visible = False
    hidden = partner.get(f"{HOME}/shortlists", params={"job": job}).text
    assert "GNSS PhD" not in hidden and f'id="candidate-{gnss}"' not in hidden and "测****" not in hidden
    assert "GNSS Positioning Algorithm Engineer" not in partner.get(f"{HOME}/shortlists").text  # no job to pick


def test_bad_form_input_changes_nothing(partner: TestClient, loaded: Platform) -> None:
    gnss = row_id(loaded, Candidate, "c-gnss")
    for data in ({"candidate_id": gnss, "job_id": "abc"}, {"candidate_id": gnss, "job_id": 999999}):
        response = post(partner, f"{HOME}/shortlists", data)
        assert response.headers["location"] == HOME and flash(partner, response).startswith("error: ")
        response = post(partner, f"{HOME}/referrals", data)
        assert flash(partner, response).startswith("error: ")
    blank = post(partner, f"{HOME}/searches", {"name": "  ", "q": "GNSS"})
    assert flash(partner, blank).startswith("error: ")
    wizard = post(partner, f"{HOME}/searches", {"name": "x", "q": "GNSS", "min_degree": "wizard"})
    assert "学历层次" in flash(partner, wizard)
    assert count(loaded, ShortlistEntry) == count(loaded, Referral) == count(loaded, SavedSearch) == 0


def test_save_run_and_delete_a_search(partner: TestClient, loaded: Platform) -> None:
    back = f"{HOME}?q=GNSS+%E5%8D%9A%E5%A3%AB&min_degree=doctorate"
    saved = post(partner, f"{HOME}/searches", {"name": "北斗博士", "q": "GNSS 博士", "min_degree": "doctorate"}, back)
    assert saved.headers["location"] == back and flash(partner, saved) == "ok: 已保存搜索「北斗博士」。"
    listing = partner.get(f"{HOME}/searches").text
    run = html.unescape(re.search(r'href="([^"]+)" data-test="run"', listing).group(1))  # type: ignore[union-attr]
    assert run == f"{HOME}?q=GNSS+%E5%8D%9A%E5%A3%AB&min_degree=doctorate" and "博士" in listing
    assert partner.get(run).status_code == 200
    assert "北斗博士" in partner.get(HOME).text  # the empty search page lists it
    with loaded.session() as session:
        search_id = session.scalars(select(SavedSearch.id)).one()
    deleted = post(partner, f"{HOME}/searches/{search_id}/delete", {}, f"{HOME}/searches")
    assert flash(partner, deleted) == "ok: 已删除搜索「北斗博士」。" and count(loaded, SavedSearch) == 0


def _refusal(response: Response) -> str:
    assert response.status_code == 409, response.text[:300]
    found = re.search(r'<div class="flash error"[^>]*>([^<]*)</div>', response.text)
    assert found is not None, response.text[:2000]
    return html.unescape(found.group(1))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_placement_another_firm_owns_is_refused_readably_and_stores_nothing(
    console: TestClient, loaded: Platform, keys: Keys, lang: str
) -> None:
    """The confirmation comes back (409) naming the job, with why in the page's language and the note as typed."""
    gnss, job = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Job, "j-gnss")
    sign_in_client(console, keys.partner)
    assert flash(console, post(console, f"{HOME}/referrals", {"candidate_id": gnss, "job_id": job})).startswith("ok")
    sign_in_client(console, keys.other_partner)
    console.cookies.set("tb_lang", lang)
    back = f"{HOME}?q=GNSS"
    note = "mine: 已电话沟通 <b>两次</b>"
    refused = post(console, f"{HOME}/referrals", {"candidate_id": gnss, "job_id": job, "note": note}, back)
    message = _refusal(refused)
    said = {"zh": "未能推荐：这位候选人已于", "en": "Not referred: "}[lang]
    assert message.startswith(said) and "Partner A" not in message and "甲" not in message
    with loaded.session() as session:
        title = queries.get(Job, session=session, row_id=job).title  # type: ignore[union-attr]
    page = refused.text
    assert f'data-test="job-title">{html.escape(title)}' in page
    assert f'name="note" rows="2" maxlength="2000">{html.escape(note)}</textarea>' in page
    assert f'value="{html.escape(back)}"' in page  # and where the partner came from
    with loaded.session() as session:
        assert [r.note for r in session.scalars(select(Referral))] == [""]  # only the first firm's
    assert ("还没有推荐" if lang == "zh" else "No referrals") in console.get(f"{HOME}/referrals").text


def test_a_second_referral_to_the_same_job_and_a_hidden_candidate_come_back_with_the_note(
    console: TestClient, loaded: Platform, keys: Keys
) -> None:
    gnss, job = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Job, "j-gnss")
    sign_in_client(console, keys.partner)
    assert flash(console, post(console, f"{HOME}/referrals", {"candidate_id": gnss, "job_id": job})).startswith("ok")
    again = post(console, f"{HOME}/referrals", {"candidate_id": gnss, "job_id": job, "note": "second try"})
    assert _refusal(again).startswith(f"未能推荐：您已把这位候选人推荐到职位 {job}")
    assert ">second try</textarea>" in again.text
    nlp = row_id(loaded, Candidate, "c-nlp")
    with loaded.session() as session:
        row = session.get(Candidate, nlp)
        assert row is not None
        row.visible = False
        name = row.name
    hidden = post(console, f"{HOME}/referrals", {"candidate_id": nlp, "job_id": job, "note": "still typed"})
    assert "未能推荐：" in _refusal(hidden) and ">still typed</textarea>" in hidden.text
    assert name not in hidden.text and privacy.mask_name(name) not in hidden.text  # hidden means not shown
    with loaded.session() as session:
        assert session.scalar(select(func.count()).select_from(Referral)) == 1


def test_the_board_moves_one_stage_at_a_time_and_says_why_not(
    console: TestClient, loaded: Platform, keys: Keys
) -> None:
    gnss, job = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Job, "j-gnss")
    sign_in_client(console, keys.partner)
    post(console, f"{HOME}/referrals", {"candidate_id": gnss, "job_id": job})
    with loaded.session() as session:
        rid = session.scalars(select(Referral.id)).one()
    board = console.get(f"{HOME}/referrals").text
    ticket = board[board.index(f'id="referral-{rid}"') :]
    ticket = ticket[: ticket.index("</article>")]
    assert 'draggable="true"' in ticket and "测****" in ticket and "测试人员乙" not in ticket
    assert re.findall(r'<option value="(\w+)"', ticket) == ["contacted", "declined"]
    assert 'data-stage="rewarded"' in board and 'data-stage="declined"' in board

    def move(stage: str) -> str:
        return flash(console, post(console, f"{HOME}/referrals/{rid}/stage", {"stage": stage}, f"{HOME}/referrals"))

    assert move("contacted") == f"ok: 推荐 #{rid} 已移至「已联系」。"
    assert "下一阶段应为「面试中」" in move("offered")
    for stage in ("interviewing", "offered", "hired"):
        assert move(stage).startswith("ok")
    assert "您的角色不能把推荐改为「已认定」" in move("certified")
    assert "不能再终止" in move("declined")
    assert "没有「nowhere」这个阶段" in move("nowhere")
    hired = console.get(f"{HOME}/referrals").text
    assert "待人才办认定" in hired
    sign_in_client(console, keys.other_partner)
    assert "找不到编号为" in move("declined")  # another firm's referral
    with loaded.session() as session:
        assert session.get(Referral, rid).stage == "hired"  # type: ignore[union-attr]


def test_the_rewards_ledger_totals_owed_and_paid(console: TestClient, loaded: Platform, keys: Keys) -> None:
    sign_in_client(console, keys.partner)
    job = row_id(loaded, Job, "j-gnss")
    for external_id in ("c-gnss", "c-ic"):
        post(console, f"{HOME}/referrals", {"candidate_id": row_id(loaded, Candidate, external_id), "job_id": job})
    with loaded.session() as session:
        office, firm = accounts.authenticate(session, keys.admin), accounts.authenticate(session, keys.partner)
        assert office is not None and firm is not None
        made = session.scalars(select(Referral).order_by(Referral.id)).all()
        for stage in ("contacted", "interviewing", "offered", "hired"):
            for referral in made:
                referrals.move(session, firm, referral.id, stage)
        for referral, reward in zip(made, (200_000, 50_000), strict=True):
            referrals.move(session, office, referral.id, "certified", tier="B", reward=reward)
        referrals.move(session, office, made[0].id, "rewarded")
    page = console.get(f"{HOME}/rewards").text
    assert "¥50,000" in page and "¥200,000" in page and "¥250,000" in page  # owed, paid, total
    assert "已支付" in page and "待支付" in page and "2 笔" in page
    assert "测试人员乙" not in page and "测****" in page
    with loaded.session() as session:  # c-gnss consents to the firm: named on its pages from then on, audited
        me = accounts.authenticate(session, keys.candidate)
        assert me is not None and firm.organization_id is not None
        privacy.grant(session, me, firm.organization_id)
    assert "测试人员乙" in console.get(f"{HOME}/rewards").text
    assert "测试人员乙" in console.get(f"{HOME}/referrals").text
    with loaded.session() as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.subject == f"candidate:{keys.candidate_id}"))
        seen = [v.detail["where"] for v in views if v.action == "personal_data.view"]
        assert seen == ["console /partner/rewards", "console /partner/referrals"]
    sign_in_client(console, keys.other_partner)
    assert "还没有奖励记录" in console.get(f"{HOME}/rewards").text


def test_a_forged_form_is_refused_and_changes_nothing(partner: TestClient, loaded: Platform) -> None:
    gnss, job = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Job, "j-gnss")
    for path in (f"{HOME}/referrals", f"{HOME}/shortlists"):
        refused = partner.post(
            path,
            data={"candidate_id": gnss, "job_id": job, "csrf": "forged"},
            headers={"referer": f"http://testserver{HOME}"},
        )
        assert "并非来自 TalentBridge" in flash(partner, refused)
    refused = partner.post(f"{HOME}/searches", data={"name": "x", "q": "GNSS"})  # no token at all
    assert "并非来自 TalentBridge" in flash(partner, refused)
    assert count(loaded, ShortlistEntry) == count(loaded, Referral) == count(loaded, SavedSearch) == 0
