"""A talent partner's day in a real browser: search, read why a candidate matches, shortlist, refer, move the
referral on the board by dragging and by clicking, and read the rewards ledger — never seeing a name or e-mail of a
candidate who did not consent to the firm."""

from sqlalchemy import select

from api.web.auth import PREFIX
from matcher.partners import referrals
from matcher.people import accounts
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import Candidate, Job, Referral
from tests.api.conftest import Keys
from tests.web.conftest import SQLITE_ONLY, assert_not_shown, shot, sign_in, visit, within_screen

pytestmark = SQLITE_ONLY

HOME = f"{PREFIX}/partner"


def _ids(platform: Platform, model: type[Job] | type[Candidate], *external_ids: str) -> list[int]:
    with platform.session() as session:
        rows = [queries.get_by_ref(model, session=session, source="test", external_id=e) for e in external_ids]
        return [row.id for row in rows if row is not None]


def _secrets(platform: Platform) -> list[str]:
    """The real names and e-mails of every sample candidate (none consented to the firm); each gets an e-mail."""
    with platform.session() as session:
        people = session.scalars(select(Candidate)).all()
        for person in people:
            person.email = f"{person.external_id}@mail.example.org"
        return [s for p in people for s in (p.name, p.email or "")]


def _to_the_ledger(platform: Platform, keys: Keys, referral_id: int, other_job: int, other_candidate: int) -> None:
    """What happens off the partner's pages: the employer hires, the office certifies and pays (through the
    services, as the API would); a second referral is already paid."""
    with platform.session() as session:
        firm, office = accounts.authenticate(session, keys.partner), accounts.authenticate(session, keys.admin)
        assert firm is not None and office is not None
        window = platform.settings.attribution_days
        second = referrals.refer(session, firm, other_candidate, other_job, window_days=window).id
        for stage in ("contacted", "interviewing", "offered", "hired"):
            referrals.move(session, firm, second, stage)
        for stage in ("offered", "hired"):  # the board left it at interviewing
            referrals.move(session, firm, referral_id, stage)
        referrals.move(session, office, referral_id, "certified", tier="B", reward=100_000)
        referrals.move(session, office, second, "certified", tier="C", reward=30_000)
        referrals.move(session, office, second, "rewarded")


def test_search_shortlist_refer_move_and_rewards(page, phone, live_server: str, loaded: Platform, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    secrets = _secrets(loaded)
    gnss, ic, alloy = _ids(loaded, Candidate, "c-gnss", "c-ic", "c-alloy")
    gnss_job, ic_job, alloy_job = _ids(loaded, Job, "j-gnss", "j-ic", "j-alloy")
    sign_in(page, live_server, keys.partner)
    assert page.url.endswith(HOME)

    # Search in Chinese; the result says why it matches, with the name masked.
    page.fill("input[name=q]", "卫星导航 定位算法")
    page.select_option("select[name=min_degree]", "master")
    page.click("[data-test=search-form] button[type=submit]")
    page.wait_for_load_state()
    result = page.locator(f"#candidate-{gnss}")
    assert result.locator("h3").inner_text().startswith("测****")
    result.locator("[data-test=why] summary").click()
    assert result.locator("[data-test=why] .parts").is_visible()
    shot(page, "partner-search-zh")
    assert_not_shown(page, *secrets)

    # Shortlist for the GNSS job, save the search, then refer.
    result.locator("select[name=job_id]").select_option(str(gnss_job))
    result.locator("input[name=note]").fill("北斗/GNSS 博士，可尽快到岗")
    result.locator("[data-test=shortlist]").click()
    page.wait_for_load_state()
    assert "已加入「GNSS Positioning Algorithm Engineer」的候选名单" in page.locator(".flash.ok").inner_text()
    page.click("[data-test=save-search] button[type=submit]")
    assert "已保存搜索" in page.locator(".flash.ok").inner_text()
    result = page.locator(f"#candidate-{gnss}")
    result.locator("select[name=job_id]").select_option(str(gnss_job))
    result.locator("[data-test=refer]").click()
    page.wait_for_load_state()
    assert "推荐到「GNSS Positioning Algorithm Engineer」？" in page.locator("[data-test=question]").inner_text()
    assert page.locator("textarea[name=note]").input_value() == ""  # the shortlist's note went with the shortlist
    page.click("[data-test=confirm]")
    page.wait_for_load_state()
    assert "已推荐到「GNSS Positioning Algorithm Engineer」" in page.locator(".flash.ok").inner_text()
    assert "已推荐到" in page.locator(f"#candidate-{gnss}").inner_text()

    for path, name in (("/searches", "partner-searches-zh"), ("/shortlists", "partner-shortlists-zh")):
        visit(page, f"{live_server}{HOME}{path}")
        shot(page, name)
        assert_not_shown(page, *secrets)
    assert "北斗/GNSS 博士" in page.locator("[data-test=shortlist]").inner_text()

    # The board: drag the ticket one column on, then move it once more by choosing and clicking.
    visit(page, f"{live_server}{HOME}/referrals")
    with loaded.session() as session:
        rid = session.scalars(select(Referral.id)).one()
    ticket = f"#referral-{rid}"
    assert page.locator(f"[data-stage=referred] {ticket}").count() == 1
    with page.expect_navigation():
        page.drag_and_drop(ticket, "[data-stage=contacted]")
    assert page.locator(f"[data-stage=contacted] {ticket}").count() == 1
    assert f"推荐 #{rid} 已移至「已联系」" in page.locator(".flash.ok").inner_text()
    page.locator(f"{ticket} .move select[name=stage]").select_option("interviewing")
    page.locator(f"{ticket} [data-test=move]").click()
    page.wait_for_load_state()
    assert page.locator(f"[data-stage=interviewing] {ticket}").count() == 1
    shot(page, "partner-board-zh")
    assert_not_shown(page, *secrets)

    _to_the_ledger(loaded, keys, rid, ic_job, ic)
    visit(page, f"{live_server}{HOME}/rewards")
    assert page.locator("[data-test=rewards] tbody tr").count() == 2
    totals = page.locator("[data-test=totals]").inner_text()
    assert "¥100,000" in totals and "¥30,000" in totals and "¥130,000" in totals
    shot(page, "partner-rewards-zh")
    assert_not_shown(page, *secrets)

    # The same pages in English.
    visit(page, f"{live_server}{HOME}?q=satellite+navigation")
    page.click("text=English")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Search candidates"
    page.locator(f"#candidate-{gnss} [data-test=why] summary").click()
    shot(page, "partner-search-en")
    assert_not_shown(page, *secrets)
    for path in ("/referrals", "/rewards"):
        visit(page, f"{live_server}{HOME}{path}")
        shot(page, f"partner-{path.strip('/')}-en")
        assert_not_shown(page, *secrets)

    # On a phone: the board one column under another; a new referral moved on by choosing and clicking.
    with loaded.session() as session:
        firm = accounts.authenticate(session, keys.partner)
        assert firm is not None
        window = loaded.settings.attribution_days
        third = referrals.refer(session, firm, alloy, alloy_job, window_days=window).id
    sign_in(phone, live_server, keys.partner)
    visit(phone, f"{live_server}{HOME}/referrals")
    assert phone.locator(f"[data-stage=certified] {ticket}").count() == 1
    phone.locator(f"#referral-{third} .move select[name=stage]").select_option("contacted")
    phone.locator(f"#referral-{third} [data-test=move]").click()
    phone.wait_for_load_state()
    assert phone.locator(f"[data-stage=contacted] #referral-{third}").count() == 1
    assert phone.locator("[data-test=board-filter]").is_visible()  # three jobs: the board filters by job
    assert within_screen(phone)  # and stays phone-wide
    shot(phone, "partner-board-phone")
    assert_not_shown(phone, *secrets)
    visit(phone, f"{live_server}{HOME}?q=卫星导航")
    shot(phone, "partner-search-phone")
    assert_not_shown(phone, *secrets)


def test_a_profile_opened_from_the_results_then_a_confirmed_referral(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, loaded: Platform, keys: Keys
) -> None:
    secrets = _secrets(loaded)
    (gnss,) = _ids(loaded, Candidate, "c-gnss")
    (gnss_job,) = _ids(loaded, Job, "j-gnss")
    for browser, name in ((page, "laptop"), (phone, "phone")):
        sign_in(browser, live_server, keys.partner)
        visit(browser, f"{live_server}{HOME}?q=卫星导航+定位算法")
        browser.locator(f"#candidate-{gnss} [data-test=profile-link]").click()
        browser.wait_for_load_state()
        assert browser.url.split("?")[0].endswith(f"{HOME}/candidates/{gnss}")
        for section in ("profile", "education", "experience", "fitting-jobs"):
            assert browser.locator(f"[data-test={section}]").is_visible()
        assert "未授权" in browser.inner_text("body")
        fitting = browser.locator("[data-test=fitting-job]", has_text="GNSS Positioning Algorithm Engineer")
        fitting.locator("[data-test=why] summary").click()
        shot(browser, f"partner-profile-{name}-zh")
        assert_not_shown(browser, *secrets)
        assert within_screen(browser)
        if browser is phone:  # the laptop referred already: the profile says so, and cancelling stores nothing
            assert "已推荐到「GNSS Positioning Algorithm Engineer」" in browser.locator(".progress").inner_text()
            continue
        fitting.locator("[data-test=refer]").click()
        browser.wait_for_load_state()
        assert "GNSS Positioning Algorithm Engineer" in browser.locator("[data-test=job-title]").inner_text()
        assert browser.locator("[data-test=employer]").inner_text().strip() != ""
        shot(browser, f"partner-refer-confirm-{name}-zh")
        with loaded.session() as session:
            assert session.scalars(select(Referral)).all() == []  # nothing stored before the confirmation
        browser.fill("textarea[name=note]", "看过档案，方向吻合")
        browser.click("[data-test=confirm]")
        browser.wait_for_load_state()
        assert "已推荐到「GNSS Positioning Algorithm Engineer」" in browser.locator(".flash.ok").inner_text()
        assert browser.url.split("?")[0].endswith(f"{HOME}/candidates/{gnss}")  # back to where it started
    with loaded.session() as session:
        stored = session.scalars(select(Referral)).one()
        assert (stored.candidate_id, stored.job_id, stored.note) == (gnss, gnss_job, "看过档案，方向吻合")


def test_a_mistaken_move_is_corrected_on_the_board_with_a_reason(  # type: ignore[no-untyped-def]
    page, live_server: str, loaded: Platform, keys: Keys
) -> None:
    (gnss,) = _ids(loaded, Candidate, "c-gnss")
    (gnss_job,) = _ids(loaded, Job, "j-gnss")
    with loaded.session() as session:
        firm = accounts.authenticate(session, keys.partner)
        assert firm is not None
        rid = referrals.refer(session, firm, gnss, gnss_job, window_days=loaded.settings.attribution_days).id
        for stage in ("contacted", "interviewing"):
            referrals.move(session, firm, rid, stage)
    sign_in(page, live_server, keys.partner)
    visit(page, f"{live_server}{HOME}/referrals")
    ticket = page.locator(f"#referral-{rid}")
    ticket.locator("[data-test=correct] summary").click()
    ticket.locator("[data-test=correct] select[name=stage]").select_option("contacted")
    ticket.locator("[data-test=correct] input[name=reason]").fill("面试尚未安排，误点")
    shot(page, "partner-board-correct-zh")
    ticket.locator("[data-test=correct-stage]").click()
    page.wait_for_load_state()
    assert page.locator(f"[data-stage=contacted] #referral-{rid}").count() == 1
    assert f"推荐 #{rid} 已更正为「已联系」" in page.locator(".flash.ok").inner_text()
