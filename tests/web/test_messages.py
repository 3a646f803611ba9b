"""The console words every error the domain raises in the page's language (issue 16, point 2): services raise a
reason with parameters, api/web/messages.py holds a Chinese and an English wording for each."""

import ast
import re
from pathlib import Path

import pytest

from api.web.i18n import Translator
from api.web.messages import MESSAGES, worded
from matcher import errors
from matcher.errors import Conflict, FieldProblem, Invalid, InvalidFields, NotFound, RateLimited, TooLarge

ROOT = Path(__file__).resolve().parents[2]
ERRORS = {
    name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, errors.TalentError)
}
# Modules only the CLI and batch jobs reach (their English message is the one shown); everything else can reach a
# console page.
CLI_ONLY = {
    "matcher/search/parity.py",
    "matcher/search/indexing.py",
    "matcher/ingest/export.py",
    "matcher/ingest/importer.py",
    "matcher/reference/evaluation.py",
    "matcher/identity/evaluation.py",
    "matcher/reference/leading_industries.py",
    "matcher/config_files.py",
    "matcher/people/accounts.py",
    "matcher/demo/load.py",
}
# Errors whose kind says it all: the server's configuration, the index being rebuilt.
DEFAULT_REASONS = {"ConfigurationError": "configuration", "IndexUnavailable": "index_unavailable"}
ZH = Translator("zh")
EN = Translator("en")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _raised() -> list[tuple[str, int, str | None]]:
    """(module, line, reason or None) for every TalentError made in matcher/."""
    found = []
    for path in sorted((ROOT / "matcher").rglob("*.py")):
        module = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS):
                continue
            if node.func.id in ("TalentError", "DatabaseBusy", "InvalidFields"):
                continue  # bases and the field-problem error (worded from its problems)
            position = 2 if node.func.id in ("RateLimited", "TooLarge") else 1
            reason: ast.expr | None = next((k.value for k in node.keywords if k.arg == "reason"), None)
            if reason is None and len(node.args) > position:
                reason = node.args[position]
            if reason is None and node.func.id in DEFAULT_REASONS:
                reason = ast.Constant(DEFAULT_REASONS[node.func.id])
            text = reason.value if isinstance(reason, ast.Constant) and isinstance(reason.value, str) else None
            if reason is not None and text is None:  # a reason chosen at run time: each of its strings
                text = "|".join(
                    n.value for n in ast.walk(reason) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                )
            found.append((module, node.lineno, text))
    return found


def test_every_error_a_console_page_can_meet_has_a_reason_the_console_words() -> None:
    raised = _raised()
    assert len(raised) > 100
    missing = [f"{m}:{line}" for m, line, reason in raised if reason is None and m not in CLI_ONLY]
    assert not missing, f"errors raised without a reason: {missing}"
    unworded = [
        f"{m}:{line} {part}"
        for m, line, reason in raised
        if reason
        for part in reason.split("|")
        if part not in MESSAGES
    ]
    assert not unworded, f"reasons with no wording in api/web/messages.py: {unworded}"


@pytest.mark.parametrize("reason", sorted(MESSAGES))
def test_each_wording_is_chinese_on_a_chinese_page_and_english_on_an_english_one(reason: str) -> None:
    zh, en = MESSAGES[reason]
    assert CJK.search(zh), reason
    assert not CJK.search(en), reason
    names = set(re.findall(r"{(\w+)}", zh))
    assert names == set(re.findall(r"{(\w+)}", en)), f"{reason}: both wordings take the same parameters"


def test_the_review_s_english_messages_now_read_in_chinese() -> None:
    duplicate = Conflict("you already referred this candidate to job 501 (referral 43)", "already_referred", job=501)
    assert worded(duplicate, ZH) == "您已把这位候选人推荐到职位 501。"
    assert worded(duplicate, EN) == "You have already referred this candidate to job 501."
    assert worded(NotFound("job 999999 not found", "job_not_found", job=999999), ZH) == "找不到编号为 999999 的职位。"
    order = Conflict("…", "stage_out_of_order", referral=7, stage="referred", next="contacted")
    assert worded(order, ZH) == "推荐 7 目前是「已推荐」，下一阶段应为「已联系」。"
    assert worded(order, EN) == "Referral 7 is “Referred”; the next stage is “Contacted”."
    limited = RateLimited("more than 600 requests …", 44, "rate_limited_address", limit=600)
    assert worded(limited, ZH) == "来自此地址的请求过于频繁（每分钟超过 600 次），请 44 秒后再试。"
    photo = Invalid("'me.png' is a PNG image; …", "resume_other_format", file="me.png", kind="image")
    assert worded(photo, ZH) == "文件「me.png」是图片，请以 PDF 或 Word .docx 格式上传简历。"
    assert worded(photo, EN) == "The file “me.png” is an image; upload the résumé as a PDF or a Word .docx file."
    big = TooLarge("…", 5 * 1024 * 1024, "resume_too_large", file="")
    assert worded(big, ZH).startswith("简历文件过大，超出 5 MB 的上限")


def test_field_problems_are_worded_with_the_field_s_label() -> None:
    problems = [
        FieldProblem(("education", 0, "end_year"), "less_than_equal", "Input should be ≤ 2100", {"le": 2100}),
        FieldProblem(("birth_year",), "birth_year", "not plausible", {"ge": 1940, "le": 2011}),
    ]
    error = InvalidFields("education.0.end_year: …", problems)
    assert worded(error, ZH) == "教育经历 1 · 毕业年份：不能大于 2100；出生年份：须在 1940 至 2011 之间。"
    assert (
        worded(error, EN)
        == "Education 1 · Graduation year: must be at most 2100; Birth year: must be between 1940 and 2011."
    )


def test_an_error_the_catalogue_does_not_know_is_never_english_on_a_chinese_page() -> None:
    stray = NotFound("some new thing 5 not found", "a_reason_nobody_worded")
    assert worded(stray, ZH) == "找不到所请求的内容。"
    assert worded(stray, EN) == "some new thing 5 not found"
    assert not re.search("[A-Za-z]", worded(Invalid("bad input"), ZH))
