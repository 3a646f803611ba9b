"""The candidate portal in Chromium, as an overseas doctorate would use it: edit the profile, upload a résumé, look
at the openings and why they fit, accept a referral, read the policies, accept a contact request, download their
data and erase the account — with screenshots in Chinese, in English and on a phone."""

import json
from pathlib import Path

from sqlalchemy import select

from api.web.auth import PREFIX
from matcher.platform import Platform
from matcher.store.models import Candidate
from tests.api.conftest import ENTERPRISE, PARTNER_A, Keys
from tests.web.candidate_portal import RESUME, ask, job_id, refer
from tests.web.conftest import SQLITE_ONLY, assert_not_shown, shot, sign_in, visit

pytestmark = SQLITE_ONLY

ME = f"{PREFIX}/me"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def others_with_emails(platform: Platform, candidate_id: int) -> list[str]:
    """Give every other candidate an e-mail; their names and e-mails (what the candidate must never see)."""
    secrets = []
    with platform.session() as session:
        for row in session.scalars(select(Candidate).where(Candidate.id != candidate_id)):
            row.email = f"{row.external_id}@example.invalid"
            secrets += [row.name, row.email]
    return secrets


def flash(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(".flash").inner_text())


def go(page, target) -> None:  # type: ignore[no-untyped-def]
    """Click a form's button or a link (a selector or a locator) and wait for the page it leads to."""
    with page.expect_navigation():
        (page.locator(target) if isinstance(target, str) else target).click()


def test_a_candidate_goes_through_the_portal(page, phone, live_server: str, keys: Keys, loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secrets = others_with_emails(loaded, keys.candidate_id)
    refer(loaded, keys)
    ask(loaded, keys.enterprise, keys.candidate_id, "您好，我们想请您来面谈渗透测试岗位。", job_id(loaded, "j-sec"))

    # My profile: edit it and upload a résumé.
    sign_in(page, live_server, keys.candidate)
    assert page.url.endswith(ME)
    shot(page, "candidate-profile-zh")
    page.fill("input[name=headline]", "卫星导航定位算法博士，GNSS/INS 组合导航")
    page.fill("input[name=languages]", "中文、English")
    go(page, "[data-test=save-profile]")
    assert "档案已保存" in flash(page)
    assert page.input_value("input[name=languages]") == "中文、English"
    page.set_input_files("input[name=file]", files=[{"name": "cv.docx", "mimeType": DOCX, "buffer": RESUME}])
    go(page, "[data-test=resume-form] button[type=submit]")
    assert "已读取简历（DOCX" in flash(page)
    page.click("#resume summary")
    assert "PPP-RTK" in page.locator("[data-test=resume-text]").inner_text()

    # The same profile on a phone.
    sign_in(phone, live_server, keys.candidate)
    phone.click(".menu-toggle")
    assert phone.locator("#nav").is_visible()
    shot(phone, "candidate-profile-phone")

    # Openings with why, the industries that fit, and the referral to accept.
    visit(page, f"{live_server}{ME}/openings")
    first = page.locator("[data-test=openings] .result").first
    assert "GNSS Positioning Algorithm Engineer" in first.locator(".job-title").inner_text()
    first.locator("details.why summary").click()
    assert first.locator("details.why .parts").is_visible()
    assert page.locator("[data-test=industries]").get_by_text("北斗导航与卫星应用").count() >= 1
    assert_not_shown(page, *secrets)
    shot(page, "candidate-openings-zh")
    referral = page.locator("[data-test=referrals] tbody tr").first
    assert PARTNER_A in referral.inner_text() and "已推荐" in referral.inner_text()
    go(page, referral.locator("[data-test=accept-referral] button"))
    assert page.url.endswith(f"{ME}/openings#referrals")
    assert "已同意推荐" in flash(page)
    assert page.locator("[data-test=referrals] [data-test=accepted]").count() == 1

    # Policies, in Chinese and in English.
    visit(page, f"{live_server}{ME}/policies")
    assert "B类 优秀青年人才" in page.locator("[data-test=decision] h2").inner_text()
    assert page.locator("[data-test=granted] .policy").count() >= 2
    shot(page, "candidate-policies-zh")
    go(page, "text=English")
    assert "Tier B, excellent young talent" in page.locator("[data-test=decision] h2").inner_text()
    page.click("[data-test=better-tiers] summary")
    shot(page, "candidate-policies-en")
    go(page, "text=中文")

    # Privacy: accept the contact request, download my data.
    visit(page, f"{live_server}{ME}/privacy")
    assert ENTERPRISE in page.locator("[data-test=requests]").inner_text()
    shot(page, "candidate-privacy-zh")
    go(page, "[data-test=accept-request]")
    assert page.url.endswith(f"{ME}/privacy#requests")
    assert "已同意「测试企业一」的联系请求" in flash(page)
    assert ENTERPRISE in page.locator("[data-test=consents]").inner_text()
    with page.expect_download() as download:
        page.click("[data-test=export]")
    assert download.value.suggested_filename == "talentbridge-my-data.json"
    saved = tmp_path / "my-data.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["profile"]["headline"] == "卫星导航定位算法博士，GNSS/INS 组合导航"
    assert [r["status"] for r in data["contact_requests"]] == ["accepted"]

    # Erase the account: a wrong word keeps it; the right one, confirmed, erases it and signs out.
    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.fill("[data-test=erase-word]", "好的")
    go(page, "[data-test=erase]")
    assert "未删除" in flash(page)
    page.fill("[data-test=erase-word]", "删除")
    go(page, "[data-test=erase]")
    assert page.url.endswith(f"{PREFIX}/login")
    assert "账户与档案已全部删除" in flash(page)
    assert questions and "永久删除" in questions[-1]
    shot(page, "candidate-erased-zh")
    visit(page, f"{live_server}{ME}")
    assert page.url.endswith(f"{PREFIX}/login?next=/console/me")
    with loaded.session() as session:
        assert session.get(Candidate, keys.candidate_id) is None


def test_a_refused_profile_keeps_what_was_typed_on_a_laptop_and_a_phone(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, keys: Keys, loaded
) -> None:
    """Issue 16, point 1: a birth year of 1850 and a new experience entry typed; the form comes back with both, the
    year marked and why in Chinese; nothing is stored."""
    for screen, name in ((page, "laptop"), (phone, "phone")):
        sign_in(screen, live_server, keys.candidate)
        visit(screen, f"{live_server}{ME}")
        form = screen.locator("[data-test=profile-form]")
        form.locator("input[name=headline]").fill("电池材料博士 · typed")
        form.locator("input[name=birth_year]").fill("1850")
        blank = form.locator("fieldset.entry.blank").last  # the dashed "add experience" entry
        blank.locator("input[name=exp_title]").fill("研究助理")
        blank.locator("input[name=exp_organization]").fill("University of Calgary")
        blank.locator("textarea[name=exp_description]").fill("RTK 定位算法")
        go(screen, "[data-test=save-profile]")
        assert "出生年份：须在 1940 至" in flash(screen)
        assert form.locator("input[name=headline]").input_value() == "电池材料博士 · typed"
        assert form.locator("input[name=birth_year][aria-invalid=true]").input_value() == "1850"
        titles = form.locator("input[name=exp_title]")
        assert [titles.nth(i).input_value() for i in range(titles.count())] == ["研究助理", ""]
        shot(screen, f"candidate-profile-refused-zh-{name}")
        with loaded.session() as session:
            row = session.get(Candidate, keys.candidate_id)
            assert row is not None and row.birth_year == 1996 and not row.experience
