"""What people of search tools expect (issue 16, "Missing"): partners browse by filters without words, see how many
candidates meet them and sort; export a shortlist; filter the referral board by job; an enterprise sorts and exports
the candidates ranked for its job — masked as the pages mask them."""

import csv
import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from matcher.partners import referrals
from matcher.people import accounts
from matcher.platform import Platform
from matcher.store.models import Candidate, Job
from tests.api.conftest import Keys
from tests.web.conftest import SQLITE_ONLY, sign_in_client
from tests.web.test_partner_pages import HOME, post, row_id, secrets

pytestmark = SQLITE_ONLY
ENTERPRISE_HOME = "/console/enterprise"


def shown_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="candidate-(\d+)"', page)]


def test_filters_without_words_browse_every_candidate_they_admit(
    console: TestClient, keys: Keys, loaded: Platform
) -> None:
    hidden = secrets(loaded)
    sign_in_client(console, keys.partner)
    doctors = console.get(HOME, params={"min_degree": "doctorate"})
    assert doctors.status_code == 200 and "浏览候选人" in doctors.text and "还没有保存的搜索" not in doctors.text
    with loaded.session() as session:
        wanted = session.scalars(select(Candidate.id).where(Candidate.highest_degree >= 4)).all()
    assert sorted(shown_ids(doctors.text)) == sorted(wanted) and wanted
    assert f"共 {len(wanted)} 位候选人符合筛选条件" in doctors.text
    assert shown_ids(doctors.text) == sorted(wanted, reverse=True)  # newest first
    assert not any(secret in doctors.text for secret in hidden) and 'data-test="why"' not in doctors.text
    everyone = console.get(HOME, params={"location": "海外", "sort": "degree"}).text
    order = ["doctorate", "master", "bachelor", "associate", "none"]
    levels = [order.index(level) for level in re.findall(r'data-degree="(\w+)"', everyone)]
    assert levels == sorted(levels) and len(set(levels)) > 1
    console.cookies.set("tb_lang", "en")
    english = console.get(HOME, params={"min_degree": "doctorate"}).text
    said = f"{len(wanted)} candidate meets" if len(wanted) == 1 else f"{len(wanted)} candidates meet"
    assert f"{said} the filters" in english and "Browse candidates" in english


def test_a_search_says_how_many_meet_the_filters_and_sorts_the_best(console: TestClient, keys: Keys) -> None:
    sign_in_client(console, keys.partner)
    fit = console.get(HOME, params={"q": "卫星导航 GNSS"}).text
    assert "在符合筛选条件的 10 位候选人中，按与搜索内容的匹配度排列" in fit
    newest = console.get(HOME, params={"q": "卫星导航 GNSS", "sort": "newest"}).text
    assert shown_ids(newest) == sorted(shown_ids(newest), reverse=True) and set(shown_ids(newest)) == set(
        shown_ids(fit)
    )
    assert "在符合筛选条件的 10 位候选人中，取匹配度最高的 100 位，按所选方式排列" in newest
    assert 'name="sort" value="newest"' in newest  # the form keeps the order
    refused = console.get(HOME, params={"q": "GNSS", "sort": "salary"})
    assert refused.status_code == 422 and "没有「salary」这种排序方式" in refused.text


def test_a_shortlist_exports_as_csv_and_excel_masked(console: TestClient, keys: Keys, loaded: Platform) -> None:
    hidden = secrets(loaded)
    gnss, gnss_job = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Job, "j-gnss")
    sign_in_client(console, keys.partner)
    post(console, f"{HOME}/shortlists", {"candidate_id": gnss, "job_id": gnss_job, "note": "=HYPERLINK(1)"})
    page = console.get(f"{HOME}/shortlists", params={"job": gnss_job}).text
    assert f"/shortlists/{gnss_job}/export?format=xlsx" in page
    got = console.get(f"{HOME}/shortlists/{gnss_job}/export", params={"format": "csv"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert re.match(
        r'attachment; filename="talentbridge-shortlist-\d+-\d{4}-\d{2}-\d{2}\.csv"', got.headers["content-disposition"]
    )
    rows = list(csv.reader(io.StringIO(got.text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["候选人编号", "姓名（未授权已隐去）", "简介"] and rows[1][0] == str(gnss)
    assert rows[1][3] == "'=HYPERLINK(1)" and rows[1][7] == "GNSS Positioning Algorithm Engineer"  # formulas defused
    assert rows[0][4] == "加入时间（北京时间 UTC+8）" and re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", rows[1][4])
    assert not any(secret in got.text for secret in hidden)
    console.cookies.set("tb_lang", "en")
    book = console.get(f"{HOME}/shortlists/{gnss_job}/export", params={"format": "xlsx"})
    assert book.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "Candidate id" and cells[1][0] == gnss and not any(secret in str(cells) for secret in hidden)
    assert console.get(f"{HOME}/shortlists/{gnss_job}/export", params={"format": "pdf"}).status_code == 422
    assert console.get(f"{HOME}/shortlists/999999/export").status_code == 404


def test_the_board_shows_one_jobs_referrals(console: TestClient, keys: Keys, loaded: Platform) -> None:
    gnss, ic = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Candidate, "c-ic")
    gnss_job, ic_job = row_id(loaded, Job, "j-gnss"), row_id(loaded, Job, "j-ic")
    with loaded.session() as session:
        firm = accounts.authenticate(session, keys.partner)
        assert firm is not None
        for candidate, job in ((gnss, gnss_job), (ic, ic_job)):
            referrals.refer(session, firm, candidate, job, window_days=loaded.settings.attribution_days)
    sign_in_client(console, keys.partner)
    board = console.get(f"{HOME}/referrals").text
    assert board.count('data-test="ticket"') == 2 and 'data-test="board-filter"' in board
    one = console.get(f"{HOME}/referrals", params={"job": gnss_job}).text
    assert one.count('data-test="ticket"') == 1 and "GNSS Positioning Algorithm Engineer" in one
    assert f'<option value="{gnss_job}" selected>' in one and "共 1 条推荐" in one


def test_an_enterprise_sorts_and_exports_its_jobs_candidates(console: TestClient, keys: Keys, loaded: Platform) -> None:
    hidden = secrets(loaded)
    sign_in_client(console, keys.enterprise)
    with loaded.session() as session:
        own = session.scalars(select(Job.id).where(Job.enterprise_name == "测试企业一")).first()
    page = f"{ENTERPRISE_HOME}/jobs/{own}"
    fit = shown_ids(console.get(page).text)
    newest = console.get(page, params={"sort": "newest"}).text
    assert shown_ids(newest) == sorted(fit, reverse=True) and '<strong aria-current="true">最新加入</strong>' in newest
    assert f"/jobs/{own}/export.xlsx?sort=newest" in newest  # the export follows the order shown
    got = console.get(f"{page}/export.csv", params={"sort": "degree", "min_degree": "master"})
    assert got.status_code == 200 and not any(secret in got.text for secret in hidden)
    rows = list(csv.reader(io.StringIO(got.text.lstrip("\ufeff"))))
    assert rows[0][0] == "排名" and [r[0] for r in rows[1:]] == [str(n) for n in range(1, len(rows))]
    degrees = [r[5] for r in rows[1:]]
    assert degrees and set(degrees) <= {"博士", "硕士"} and degrees == sorted(degrees, key=["博士", "硕士"].index)
    book = load_workbook(io.BytesIO(console.get(f"{page}/export.xlsx").content)).active
    assert book is not None and book.max_row == len(fit) + 1
    assert console.get(f"{ENTERPRISE_HOME}/jobs/{own}/export.pdf").status_code in (404, 422)
