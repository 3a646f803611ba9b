"""What issue 16 added to the partner's console, in a real browser: browse candidates by filters alone and read how
many meet them, change the order (best fit, newest, highest degree), export a shortlist as CSV and Excel, and filter
the referral board by job — in Chinese on a laptop, in English on a phone, names masked throughout."""

import csv
import io
import re
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from matcher.degrees import DegreeLevel
from matcher.partners import referrals
from matcher.people import accounts
from matcher.platform import Platform
from matcher.store.models import Candidate, Job
from tests.api.conftest import Keys
from tests.web.conftest import (
    SQLITE_ONLY,
    assert_not_shown,
    current_sort,
    listed_ids,
    shot,
    sign_in,
    sort_by,
    visit,
    within_screen,
)
from tests.web.test_partner_pages import HOME, row_id, secrets

pytestmark = SQLITE_ONLY

GNSS_JOB = "GNSS Positioning Algorithm Engineer"
IC_JOB = "Analog IC Design Engineer"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def degrees(platform: Platform, least: DegreeLevel) -> dict[int, int]:
    """Candidate id → highest degree, for every candidate with at least `least`."""
    with platform.session() as session:
        rows = session.execute(select(Candidate.id, Candidate.highest_degree).where(Candidate.highest_degree >= least))
        return {int(i): int(d) for i, d in rows}


def by_degree(ids: list[int], degree: dict[int, int]) -> list[int]:
    """The order "highest degree" promises: the highest first, the newest (larger id) first among equals."""
    return sorted(ids, key=lambda i: (-degree[i], -i))


def test_a_partner_browses_sorts_exports_a_shortlist_and_filters_the_board(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, loaded: Platform, keys: Keys, tmp_path: Path
) -> None:
    hidden = secrets(loaded)
    gnss, ic = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Candidate, "c-ic")
    gnss_job, ic_job = row_id(loaded, Job, "j-gnss"), row_id(loaded, Job, "j-ic")
    everyone = degrees(loaded, DegreeLevel.NONE)
    graduates = degrees(loaded, DegreeLevel.BACHELOR)
    doctors = degrees(loaded, DegreeLevel.DOCTORATE)
    assert len(set(graduates.values())) > 1 and doctors  # the samples mix degrees: the order can be seen
    sign_in(page, live_server, keys.partner)

    # Browse: no words, only a minimum degree; the count and the newest first.
    page.select_option("[data-test=search-form] select[name=min_degree]", "bachelor")
    with page.expect_navigation():
        page.click("[data-test=search-form] button[type=submit]")
    assert page.locator("[data-test=results] h2").inner_text() == "浏览候选人"
    assert page.locator("[data-test=total]").inner_text() == f"共 {len(graduates)} 位候选人符合筛选条件"
    assert listed_ids(page, "[data-test=result]") == sorted(graduates, reverse=True)
    assert current_sort(page) == "最新加入"
    assert page.locator("[data-test=sort] a").all_inner_texts() == ["学历从高到低"]  # no "best fit" without words
    assert page.locator("[data-test=why]").count() == 0 and page.locator(".match").count() == 0
    shot(page, "partner-browse-zh")
    assert_not_shown(page, *hidden)
    sort_by(page, "degree")
    assert current_sort(page) == "学历从高到低"
    assert listed_ids(page, "[data-test=result]") == by_degree(list(graduates), graduates)
    assert listed_ids(page, "[data-test=result]")[0] == gnss and page.locator("[data-test=result]").first.get_attribute(
        "data-degree"
    ) == ("doctorate")
    assert page.locator("select[name=min_degree]").input_value() == "bachelor"  # the filter stays with the order
    shot(page, "partner-browse-degree-zh")

    # Words: ranked by fit among all who meet the filters; newest and highest degree reorder the same people.
    visit(page, f"{live_server}{HOME}")
    page.fill("input[name=q]", "卫星导航 GNSS")
    with page.expect_navigation():
        page.click("[data-test=search-form] button[type=submit]")
    total = page.locator("[data-test=total]").inner_text()
    assert total == f"在符合筛选条件的 {len(everyone)} 位候选人中，按与搜索内容的匹配度排列"
    assert current_sort(page) == "匹配度"
    fit = listed_ids(page, "[data-test=result]")
    assert fit[0] == gnss and len(fit) > 2
    sort_by(page, "newest")
    assert current_sort(page) == "最新加入" and listed_ids(page, "[data-test=result]") == sorted(fit, reverse=True)
    assert "取匹配度最高的" in page.locator("[data-test=total]").inner_text()
    sort_by(page, "degree")
    assert current_sort(page) == "学历从高到低" and listed_ids(page, "[data-test=result]") == by_degree(fit, everyone)
    assert page.input_value("input[name=q]") == "卫星导航 GNSS"
    shot(page, "partner-search-sorted-degree-zh")
    sort_by(page, "fit")
    assert current_sort(page) == "匹配度" and listed_ids(page, "[data-test=result]") == fit

    # Shortlist two candidates for the GNSS job, then export the list.
    for candidate, note in ((gnss, "北斗博士，可尽快到岗"), (ic, "=1+1 备选")):
        result = page.locator(f"#candidate-{candidate}")
        result.locator("select[name=job_id]").select_option(str(gnss_job))
        result.locator("input[name=note]").fill(note)
        with page.expect_navigation():
            result.locator("[data-test=shortlist]").click()
        assert f"已加入「{GNSS_JOB}」的候选名单" in page.locator(".flash.ok").inner_text()
    visit(page, f"{live_server}{HOME}/shortlists?job={gnss_job}")
    listed = page.locator("[data-test=shortlist] tbody tr")
    assert listed.count() == 2
    names = {}  # candidate id → the name as the list shows it
    for row in listed.all():
        link = row.locator("[data-test=profile-link]")
        found = re.search(r"/candidates/(\d+)", link.get_attribute("href") or "")
        assert found
        names[int(found.group(1))] = link.inner_text()
    assert set(names) == {gnss, ic} and all("*" in name for name in names.values())
    shot(page, "partner-shortlist-export-zh")
    with page.expect_download() as download:
        page.click("[data-test=export-csv]")
    assert re.fullmatch(r"talentbridge-shortlist-\d+-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    saved = tmp_path / "shortlist.csv"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["候选人编号", "姓名（未授权已隐去）", "简介", "备注"]
    assert {int(r[0]): r[1] for r in rows[1:]} == names  # masked as the page shows them
    assert {r[3] for r in rows[1:]} == {"北斗博士，可尽快到岗", "'=1+1 备选"}  # a formula arrives as text
    assert {r[7] for r in rows[1:]} == {GNSS_JOB}
    assert not any(secret in text for secret in hidden)
    href = page.get_attribute("[data-test=export-xlsx]", "href")
    assert href is not None
    book = page.request.get(f"{live_server}{href}")  # with the page's session cookie
    assert book.status == 200 and book.headers["content-type"] == XLSX
    assert re.search(r'filename="talentbridge-shortlist-\d+-[\d-]+\.xlsx"', book.headers["content-disposition"])
    sheet = load_workbook(io.BytesIO(book.body())).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:2] == ["候选人编号", "姓名（未授权已隐去）"] and {row[0] for row in cells[1:]} == {gnss, ic}
    assert not any(secret in str(cells) for secret in hidden)
    with page.expect_navigation():
        page.click("text=English")
    assert page.locator("[data-test=export-xlsx]").inner_text() == "Export Excel"
    with page.expect_download() as download:
        page.click("[data-test=export-xlsx]")
    saved = tmp_path / "shortlist.xlsx"
    download.value.save_as(saved)
    english = load_workbook(saved).active
    assert english is not None
    assert [c.value for c in english[1]][:4] == ["Candidate id", "Name (hidden without consent)", "Headline", "Note"]
    assert english.max_row == 3
    shot(page, "partner-shortlist-export-en")
    with page.expect_navigation():
        page.click("text=中文")

    # The board, filtered by job.
    with loaded.session() as session:
        firm = accounts.authenticate(session, keys.partner)
        assert firm is not None
        for candidate, job in ((gnss, gnss_job), (ic, ic_job)):
            referrals.refer(session, firm, candidate, job, window_days=loaded.settings.attribution_days)
    visit(page, f"{live_server}{HOME}/referrals")
    assert page.locator("[data-test=board-total]").inner_text() == "共 2 条推荐"
    assert page.locator("[data-test=ticket]").count() == 2
    with page.expect_navigation():
        page.select_option("[data-test=board-filter] select[name=job]", str(gnss_job))  # sends itself
    assert page.locator("[data-test=board-total]").inner_text() == "共 1 条推荐"
    assert page.locator("[data-test=ticket] .title").all_inner_texts() == [GNSS_JOB]
    assert page.locator("[data-test=board-filter] select[name=job]").input_value() == str(gnss_job)
    shot(page, "partner-board-filtered-zh")
    assert_not_shown(page, *hidden)
    with page.expect_navigation():
        page.select_option("[data-test=board-filter] select[name=job]", "0")
    assert page.locator("[data-test=ticket]").count() == 2

    # On a phone, in English: browse the doctorates, then the board for the IC job.
    sign_in(phone, live_server, keys.partner)
    with phone.expect_navigation():
        phone.click("text=English")
    visit(phone, f"{live_server}{HOME}?min_degree=doctorate")
    said = "1 candidate meets" if len(doctors) == 1 else f"{len(doctors)} candidates meet"
    assert phone.locator("[data-test=total]").inner_text() == f"{said} the filters"
    assert phone.locator("[data-test=results] h2").inner_text() == "Browse candidates"
    assert listed_ids(phone, "[data-test=result]") == sorted(doctors, reverse=True) and current_sort(phone) == "Newest"
    assert within_screen(phone)
    shot(phone, "partner-browse-phone-en")
    assert_not_shown(phone, *hidden)
    visit(phone, f"{live_server}{HOME}/referrals")
    assert phone.locator("[data-test=board-total]").inner_text() == "2 referrals"
    with phone.expect_navigation():
        phone.select_option("[data-test=board-filter] select[name=job]", str(ic_job))
    assert phone.locator("[data-test=board-total]").inner_text() == "1 referral"
    assert phone.locator("[data-test=ticket] .title").all_inner_texts() == [IC_JOB]
    assert within_screen(phone)
    shot(phone, "partner-board-filtered-phone-en")
    assert_not_shown(phone, *hidden)
