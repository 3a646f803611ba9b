"""A student replaces their résumé and deletes it in a real browser (issue 16): each time the page asks first, in its
language, naming how much is deleted; "cancel" changes nothing; "OK" says what changed and leaves the typed profile
as it is — in Chinese on a laptop and in English on a phone."""

import re

from api.web.auth import PREFIX
from tests.api.conftest import Keys
from tests.web.candidate_portal import RESUME, docx_resume, profile
from tests.web.conftest import SQLITE_ONLY, shot, sign_in, visit, within_screen

pytestmark = SQLITE_ONLY

ME = f"{PREFIX}/me"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NEWER = docx_resume("新简历", "研究方向：低轨卫星增强定位与星基增强系统（SBAS），多源融合导航。" * 3)


class Dialogs:
    """Answers the page's questions (window.confirm) in the order given, and keeps what was asked."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.asked: list[str] = []
        self.answers: list[bool] = []
        page.on("dialog", self._answer)

    def _answer(self, dialog) -> None:  # type: ignore[no-untyped-def]
        self.asked.append(dialog.message)
        dialog.accept() if self.answers.pop(0) else dialog.dismiss()


def flash(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(".flash").inner_text())


def characters(text: str, pattern: str) -> int:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text!r}"
    return int(found.group(1))


def upload(page, name: str, content: bytes, *, navigates: bool = True) -> None:  # type: ignore[no-untyped-def]
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": DOCX, "buffer": content}])
    if navigates:
        with page.expect_navigation():
            page.click("[data-test=upload-resume]")
    else:
        page.click("[data-test=upload-resume]")


def delete(page, *, navigates: bool = True) -> None:  # type: ignore[no-untyped-def]
    if navigates:
        with page.expect_navigation():
            page.click("[data-test=delete-resume] button")
    else:
        page.click("[data-test=delete-resume] button")


def resume_text(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator("[data-test=resume-text]").text_content())


def test_a_student_replaces_then_deletes_the_resume_asked_first_in_chinese(  # type: ignore[no-untyped-def]
    page, live_server: str, keys: Keys, loaded
) -> None:
    dialogs = Dialogs(page)
    sign_in(page, live_server, keys.candidate)
    headline = page.input_value("input[name=headline]")
    assert page.locator("[data-test=upload-resume]").inner_text() == "上传简历"
    upload(page, "cv.docx", RESUME)  # the first: nothing to replace, nothing asked
    assert dialogs.asked == []
    assert re.match(r"已读取简历（DOCX，\d+ 字）", flash(page))
    old = characters(page.locator("[data-test=resume-on-file]").inner_text(), r"已存简历文字 (\d+) 字")
    assert page.locator("[data-test=upload-resume]").inner_text() == "替换简历"

    # Replace: asked with the size of what goes; "cancel" keeps the old one.
    dialogs.answers, before = [False], flash(page)
    upload(page, "new.docx", NEWER, navigates=False)
    assert dialogs.asked[-1].startswith(f"用新文件替换现有简历？原简历的 {old} 字将被删除")
    assert "PPP-RTK" in resume_text(page) and flash(page) == before  # nothing new said: nothing done
    assert "PPP-RTK" in profile(loaded, keys.candidate_id).resume_text
    dialogs.answers = [True]
    upload(page, "new.docx", NEWER)
    said = flash(page)
    new = characters(said, r"简历已替换：新简历（DOCX，(\d+) 字）")
    assert f"取代了原简历（{old} 字）" in said and "您填写的档案内容不变" in said and new != old
    assert page.url.endswith(f"{ME}#resume")
    assert f"已存简历文字 {new} 字" in page.locator("[data-test=resume-on-file]").inner_text()
    assert "SBAS" in resume_text(page) and "PPP-RTK" not in resume_text(page)
    assert page.input_value("input[name=headline]") == headline
    shot(page, "candidate-resume-replaced-asked-zh")

    # Delete: asked again; "cancel" keeps it, "OK" deletes it and says how much went.
    dialogs.answers = [False]
    delete(page, navigates=False)
    assert dialogs.asked[-1].startswith(f"删除简历？读取到的 {new} 字简历文字将被删除")
    assert "SBAS" in resume_text(page)
    dialogs.answers = [True]
    delete(page)
    assert flash(page) == f"简历已删除（{new} 字），不再用于职位匹配；您填写的档案内容不变。"
    assert page.locator("[data-test=resume-text]").count() == 0
    assert page.locator("[data-test=resume-on-file]").count() == 0
    assert page.locator("[data-test=delete-resume]").count() == 0
    assert page.locator("[data-test=upload-resume]").inner_text() == "上传简历"
    assert page.input_value("input[name=headline]") == headline
    shot(page, "candidate-resume-deleted-asked-zh")
    assert profile(loaded, keys.candidate_id).resume_text == ""
    assert len(dialogs.asked) == 4


def test_a_student_replaces_then_deletes_the_resume_asked_first_in_english_on_a_phone(  # type: ignore[no-untyped-def]
    phone, live_server: str, keys: Keys, loaded
) -> None:
    dialogs = Dialogs(phone)
    sign_in(phone, live_server, keys.candidate)
    with phone.expect_navigation():
        phone.click("text=English")
    visit(phone, f"{live_server}{ME}")
    upload(phone, "cv.docx", RESUME)
    assert re.match(r"Résumé read \(DOCX, \d+ characters\)", flash(phone))
    old = characters(phone.locator("[data-test=resume-on-file]").inner_text(), r"(\d+) characters of résumé text")
    assert phone.locator("[data-test=upload-resume]").inner_text() == "Replace résumé"

    dialogs.answers, before = [False, True], flash(phone)
    upload(phone, "new.docx", NEWER, navigates=False)
    assert dialogs.asked[-1].startswith(
        f"Replace your résumé with the new file? The {old} characters read from the old one are deleted"
    )
    assert "PPP-RTK" in resume_text(phone) and flash(phone) == before
    upload(phone, "new.docx", NEWER)
    said = flash(phone)
    new = characters(said, r"Résumé replaced: the new one \(DOCX, (\d+) characters\)")
    assert f"takes the place of the old one ({old} characters)" in said
    assert "SBAS" in resume_text(phone) and "PPP-RTK" not in resume_text(phone)
    assert within_screen(phone)
    shot(phone, "candidate-resume-replaced-phone-en")

    dialogs.answers = [False, True]
    delete(phone, navigates=False)
    assert dialogs.asked[-1].startswith(f"Delete your résumé? The {new} characters read from it are deleted")
    assert "SBAS" in resume_text(phone)
    delete(phone)
    assert flash(phone) == (
        f"Résumé deleted ({new} characters): it is no longer used for matching; the profile you typed stays."
    )
    assert phone.locator("[data-test=resume-text]").count() == 0
    assert phone.locator("[data-test=upload-resume]").inner_text() == "Upload résumé"
    assert within_screen(phone)
    shot(phone, "candidate-resume-deleted-phone-en")
    assert profile(loaded, keys.candidate_id).resume_text == ""
