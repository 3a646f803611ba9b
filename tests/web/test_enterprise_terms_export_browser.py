"""What issue 16 added to the employer's console, in a real browser: a job posted with its terms (openings, years of
experience, job type, the last day to apply) shows them on its page and in the job list; its ranked candidates are
sorted newest or highest degree first and exported in the order shown — in Chinese on a laptop, in English on a
phone, names masked throughout."""

import csv
import io
import re
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from api.web.auth import PREFIX
from matcher.platform import Platform
from matcher.store.models import Candidate
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
from tests.web.test_enterprise_pages import personal_data

pytestmark = SQLITE_ONLY

HOME = f"{PREFIX}/enterprise"
TITLE = "北斗高精度定位算法工程师"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_job_posted_with_terms_shows_them_and_its_candidates_sort_and_export(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, loaded: Platform, keys: Keys, tmp_path: Path
) -> None:
    hidden = personal_data(loaded)
    with loaded.session() as session:
        degree = {int(i): int(d) for i, d in session.execute(select(Candidate.id, Candidate.highest_degree))}
    sign_in(page, live_server, keys.enterprise)

    # Post a job with its terms.
    visit(page, f"{live_server}{HOME}/jobs/new")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=industry]", "北斗导航与卫星应用")
    page.fill("input[name=location]", "郑州市高新区")
    page.select_option("select[name=min_degree]", "master")
    page.fill("input[name=salary_min]", "20000")
    page.fill("input[name=salary_max]", "40000")
    page.fill("textarea[name=description]", "负责北斗/GNSS 高精度定位算法研发，包括 RTK、PPP 与多传感器组合导航。")
    page.fill("[data-test=openings]", "3")
    page.fill("[data-test=experience-years]", "2")
    page.select_option("[data-test=employment-type]", "full_time")
    page.fill("[data-test=valid-through]", "2099-06-30")
    shot(page, "enterprise-post-job-terms-zh")
    with page.expect_navigation(url=re.compile(rf".*{HOME}/jobs/\d+$")):
        page.click("[data-test=save]")
    assert f"已发布「{TITLE}」" in page.locator(".flash.ok").inner_text()
    job_url = page.url
    terms = "招聘 3 人 · 2 年以上经验 · 全职 · 申请截止 2099-06-30"
    assert page.locator("[data-test=job-head] [data-test=terms]").inner_text() == terms
    visit(page, f"{live_server}{HOME}")
    posted = page.locator("[data-test=job]", has_text=TITLE)
    assert posted.locator("[data-test=terms]").inner_text() == terms
    shot(page, "enterprise-jobs-terms-zh")

    # The ranked candidates: best fit, then newest, then highest degree first (the newest first among equals).
    visit(page, job_url)
    assert current_sort(page) == "匹配度"
    fit = listed_ids(page, "[data-test=candidate]")
    assert len(fit) > 2 and fit[0] == keys.candidate_id
    sort_by(page, "newest")
    assert current_sort(page) == "最新加入" and listed_ids(page, "[data-test=candidate]") == sorted(fit, reverse=True)
    sort_by(page, "degree")
    by_degree = sorted(fit, key=lambda i: (-degree[i], -i))
    assert current_sort(page) == "学历从高到低" and listed_ids(page, "[data-test=candidate]") == by_degree
    chips = [c.locator("p.small .chip").first.inner_text() for c in page.locator("[data-test=candidate]").all()]
    assert chips[0] == "博士" and "硕士" in chips and chips.index("博士") < chips.index("硕士")
    assert [int(r.rstrip(".")) for r in page.locator("[data-test=candidate] .rank").all_inner_texts()] == list(
        range(1, len(fit) + 1)
    )
    shot(page, "enterprise-candidates-by-degree-zh")
    assert_not_shown(page, *hidden)

    # Export in the order shown: the CSV the link downloads, ranked as the page ranks them, names masked.
    with page.expect_download() as download:
        page.click("[data-test=export-csv]")
    assert re.fullmatch(r"talentbridge-job-\d+-candidates-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    saved = tmp_path / "candidates.csv"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["排名", "候选人编号", "姓名（未授权已隐去）"] and rows[0][5] == "最高学历"
    assert [int(r[1]) for r in rows[1:]] == by_degree and [r[0] for r in rows[1:]] == [
        str(n) for n in range(1, len(rows))
    ]
    assert rows[1][5] == "博士" and all("*" in r[2] for r in rows[1:])
    assert not any(secret in text for secret in hidden)

    # In English: the terms, and the Excel export fetched with the page's session cookie, newest first.
    with page.expect_navigation():
        page.click("text=English")
    assert page.locator("[data-test=job-head] [data-test=terms]").inner_text() == (
        "3 openings · 2+ years' experience · Full-time · apply by 2099-06-30"
    )
    assert current_sort(page) == "Highest degree"  # the order stays with the language
    sort_by(page, "newest")
    href = page.get_attribute("[data-test=export-xlsx]", "href")
    assert href is not None and "sort=newest" in href
    book = page.request.get(f"{live_server}{href}")
    assert book.status == 200 and book.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(book.body())).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:2] == ["Rank", "Candidate id"] and [row[1] for row in cells[1:]] == sorted(fit, reverse=True)
    assert not any(secret in str(cells) for secret in hidden)
    shot(page, "enterprise-candidates-newest-en")

    # On a phone, in English: the job's terms in the list and on its page, nothing wider than the screen.
    sign_in(phone, live_server, keys.enterprise)
    with phone.expect_navigation():
        phone.click("text=English")
    posted = phone.locator("[data-test=job]", has_text=TITLE)
    assert "3 openings · 2+ years' experience · Full-time · apply by 2099-06-30" in posted.inner_text()
    assert within_screen(phone)
    shot(phone, "enterprise-jobs-terms-phone-en")
    visit(phone, f"{job_url}?sort=degree")
    assert current_sort(phone) == "Highest degree" and listed_ids(phone, "[data-test=candidate]") == by_degree
    assert phone.locator("[data-test=candidate] p.small .chip").first.inner_text() == "Doctorate"
    assert within_screen(phone)
    shot(phone, "enterprise-candidates-phone-en")
    assert_not_shown(phone, *hidden)
