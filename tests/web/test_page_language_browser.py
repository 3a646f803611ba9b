"""Issue 16 in a real browser, for what the later rounds added: result lists name majors and places in the page's
language, an old link's unknown degree is said while the search keeps what was typed, the certification criteria say
what they saw in the page's language, a made-up currency is refused and a bad id in an address reads as a sentence —
on a laptop in Chinese and a phone in English, with screenshots."""

import re

from matcher.platform import Platform
from matcher.reference import english_names
from matcher.store.models import Candidate
from tests.api.conftest import Keys
from tests.web.conftest import SQLITE_ONLY, shot, sign_in, visit, within_screen
from tests.web.test_partner_pages import HOME, row_id

pytestmark = SQLITE_ONLY

HAN = re.compile(r"[\u4e00-\u9fff]")
WORDS = "satellite navigation surveying cyber security"


def chips(page, candidate: int) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]
    """One result's major chips and where the person lives, as shown."""
    result = page.locator(f"#candidate-{candidate}")
    lives = result.locator("span.chip", has_text=re.compile("所在地：|Lives in: ")).inner_text()
    return result.locator("[data-test=major]").all_inner_texts(), re.sub(r"^(所在地：|Lives in: )", "", lives)


def test_results_in_the_pages_language_and_an_old_links_unknown_degree(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, loaded: Platform, keys: Keys
) -> None:
    gnss, sec = row_id(loaded, Candidate, "c-gnss"), row_id(loaded, Candidate, "c-sec")
    with loaded.session() as session:
        person = session.get(Candidate, gnss)
        gnss_major = person.education[0].major_code if person else None
    assert gnss_major  # 测绘工程, coded at import
    # A laptop in Chinese, following an old link whose degree no longer exists.
    sign_in(page, live_server, keys.partner)
    visit(page, f"{live_server}{HOME}?q={WORDS.replace(' ', '+')}&min_degree=grandmaster")
    assert page.locator(".flash.error").inner_text() == "没有「grandmaster」这个学历层次。"
    assert page.input_value("input[name=q]") == WORDS  # what was typed stays, and was searched
    assert chips(page, gnss) == (["测绘工程"], "卡尔加里")
    assert chips(page, sec)[1] == "英国牛津 (Oxford, UK)"
    shot(page, "partner-results-language-zh-laptop")
    # A phone in English: the same results, majors and places in English.
    sign_in(phone, live_server, keys.partner)
    with phone.expect_navigation():
        phone.click("text=English")
    visit(phone, f"{live_server}{HOME}?q={WORDS.replace(' ', '+')}")
    assert chips(phone, gnss) == ([english_names.major_names()[gnss_major]], "Calgary")
    assert chips(phone, sec) == (["Cyber Security"], "Oxford, UK")  # the person's own words
    assert within_screen(phone)
    shot(phone, "partner-results-language-en-phone")


def test_certification_criteria_and_errors_in_the_pages_language(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, keys: Keys
) -> None:
    criteria = f"{live_server}/console/office/certification?candidate={keys.candidate_id}"
    for screen, lang, name in ((page, "zh", "laptop"), (phone, "en", "phone")):
        sign_in(screen, live_server, keys.admin)
        if lang == "en":
            with screen.expect_navigation():
                screen.click("text=English")
        visit(screen, criteria)
        label = "情况" if lang == "zh" else "Value"
        seen = screen.locator(f"[data-test=criteria] td[data-label={label}]").all_inner_texts()
        assert len(seen) == 6
        if lang == "en":
            assert not any(HAN.search(value) for value in seen), seen
        else:
            assert any(value.endswith("年") for value in seen) and "境外" in " ".join(seen)
        shot(screen, f"office-criteria-{lang}-{name}")
        visit(screen, f"{live_server}/console/office/certification?candidate=abc")
        said = screen.locator("main").inner_text()
        assert "Input should" not in said and "candidate:" not in said
        assert ("候选人编号" in said) if lang == "zh" else ("Candidate" in said)
        shot(screen, f"bad-id-{lang}-{name}")


def test_a_made_up_currency_is_refused_as_typed(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, keys: Keys
) -> None:
    for screen, lang, name in ((page, "zh", "laptop"), (phone, "en", "phone")):
        sign_in(screen, live_server, keys.enterprise)
        if lang == "en":
            with screen.expect_navigation():
                screen.click("text=English")
        visit(screen, f"{live_server}/console/enterprise/jobs/new")
        screen.fill("input[name=title]", "嵌入式软件工程师")
        screen.fill("input[name=salary_min]", "20000")
        screen.fill("input[name=currency]", "XYZ")
        screen.fill("textarea[name=description]", "RTOS 驱动开发。")
        screen.evaluate("() => { document.querySelector('[data-test=job-form]').noValidate = true; }")
        with screen.expect_navigation():
            screen.click("[data-test=save]")
        message = screen.locator(".flash.error").inner_text()
        assert ("币种" in message) if lang == "zh" else ("Currency" in message), message
        assert screen.input_value("input[name=currency]") == "XYZ" and screen.input_value("input[name=title]")
        assert screen.locator("input[name=currency][aria-invalid=true]").count() == 1
        shot(screen, f"enterprise-currency-refused-{lang}-{name}")
