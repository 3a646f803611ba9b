"""The office's review of records that may be one person (同一人核对): the pairs the linker was unsure of, side by
side with the reasons, each answered "same person" or "not the same person"; and a look-up of any record's person,
where a record can be taken out of it. As /office/people does in the API (matcher.office.person_records), audited.

This router is included by office.py: its paths are under /console/office.
"""

import re
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.web.auth import PREFIX, CheckedForm, OfficeViewer
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.messages import worded
from api.web.render import page, redirect
from matcher.errors import NotFound, TalentError
from matcher.identity.resolution import REVIEW as REVIEW_FROM
from matcher.identity.resolution import SURE
from matcher.office import person_records

router = APIRouter(route_class=FormRoute, prefix="/office", include_in_schema=False)
REVIEW = f"{PREFIX}/office/people"
PAGE = 20  # pairs per page of the queue
CandidateId = Path(ge=1, le=2**63 - 1)
Offset = Annotated[int, Form(ge=0, le=1_000_000)]

# Sources the platform's own crawlers and forms write, in words; other sources are shown as they are stored.
SOURCES: dict[str, tuple[str, str]] = {
    "orcid": ("ORCID 抓取", "ORCID crawl"),
    "self-signup": ("本人注册", "own sign-up"),
}


def source_words(source: str, t: Translator) -> str:
    """Where a record came from, in words: the platform's own sources named, a crawled site or an imported file's
    source as stored."""
    if source in SOURCES:
        return t(*SOURCES[source])
    partner = re.fullmatch(r"partner-(\d+)", source)
    if partner:
        return t(
            f"合伙人登记（机构 #{partner.group(1)}）", f"registered by a partner (organization #{partner.group(1)})"
        )
    return t(f"导入：{source}", f"imported: {source}")


# The linker's reasons (matcher.identity.resolution) in both languages: (pattern, Chinese, English).
REASONS: list[tuple[str, str, str]] = [
    (r"same e-mail", "电子邮箱相同", "same e-mail"),
    (r"same phone", "电话相同", "same phone"),
    (r"same ORCID iD", "ORCID iD 相同", "same ORCID iD"),
    (r"same profile link", "个人主页链接相同", "same profile link"),
    (r"different ORCID iDs", "ORCID iD 不同", "different ORCID iDs"),
    (r"name: same characters", "姓名汉字相同", "the same name in characters"),
    (r"name: pinyin", "姓名拼音一致", "the name matches in pinyin"),
    (r"name: homophone", "姓名同音不同字", "names that sound alike, written differently"),
    (r"same school and year: (.+) (\d{4})", "同校同年毕业：{0} {1}", "same school and year: {0} {1}"),
    (r"same school: (.+)", "同一学校：{0}", "same school: {0}"),
    (r"same employer: (.+)", "同一雇主：{0}", "same employer: {0}"),
    (r"profiles alike: ([\d.]+)", "履历相似度 {0}", "profiles alike: {0}"),
    (r"other e-mails", "电子邮箱不同", "different e-mails"),
    (r"unverified: the record's own word", "注册时本人自填，未经核实", "given at sign-up, not verified"),
    (
        r"a degree of the same level ending in (\d{4}) and in (\d{4})",
        "同级学位毕业年份不同（{0} 与 {1}）",
        "a degree of the same level ending in {0} and in {1}",
    ),
]


def reason_words(reason: str, t: Translator) -> str:
    """One of the linker's reasons in the reader's language (as given, when it is not one of REASONS)."""
    for pattern, chinese, english in REASONS:
        found = re.fullmatch(pattern, reason)
        if found:
            return t(chinese.format(*found.groups()), english.format(*found.groups()))
    return reason


def _back(offset: int, candidate: int | None = None) -> str:
    query = {k: v for k, v in (("offset", offset), ("candidate", candidate)) if v}
    return f"{REVIEW}?{urlencode(query)}" if query else REVIEW


@router.get("/people", response_class=HTMLResponse)
def review(
    request: Request,
    session: SessionDep,
    caller: OfficeViewer,
    candidate: Annotated[str | None, Query(max_length=40)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """The pairs waiting for a verdict (likeliest first), and the person of record `candidate` when asked (an id
    that is not one is said on this page, beside the look-up, rather than on an error page)."""
    t = Translator(lang_of(request))
    total, pairs = person_records.duplicates(session, caller, PAGE, offset)
    person, missing, status, asked = None, None, 200, (candidate or "").strip()
    if asked and not (asked.isdigit() and 1 <= int(asked) < 2**63):
        zh = f"「{asked}」不是记录编号：请输入正整数，如 2001。"
        missing, status = t(zh, f"“{asked}” is not a record id: enter a whole number, e.g. 2001."), 422
    elif asked:
        try:
            person = person_records.person(session, caller, int(asked))
        except NotFound as error:
            missing, status = worded(error, t), 404
    return page(
        request,
        "office/people.html",
        status_code=status,
        pairs=pairs,
        total=total,
        offset=offset,
        page_size=PAGE,
        asked=asked,
        person=person,
        missing=missing,
        reason_words=lambda reason: reason_words(reason, t),
        source_words=lambda source: source_words(source, t),
        sure=SURE,
        review_from=REVIEW_FROM,
        previous=_back(max(offset - PAGE, 0)) if offset else None,
        next=_back(offset + PAGE) if offset + PAGE < total else None,
    )


@router.post("/people/decide", dependencies=[CheckedForm])
def decide(
    request: Request,
    session: SessionDep,
    caller: OfficeViewer,
    first: Annotated[int, Form(ge=1, le=2**63 - 1)],
    second: Annotated[int, Form(ge=1, le=2**63 - 1)],
    decision: Annotated[Literal["linked", "apart"], Form()],
    expected: Annotated[Literal["review", "linked", "apart", "undecided"], Form()] = "review",
    offset: Offset = 0,
    candidate: Annotated[int | None, Form(ge=1, le=2**63 - 1)] = None,
) -> Response:
    """The office's verdict on a pair, given on the status the page showed (`expected`: a pair decided meanwhile is
    refused, never silently reversed); refused, the page says why."""
    t = Translator(lang_of(request))
    try:
        person_records.decide(session, caller, first, second, decision, expected)
    except TalentError as refused:
        return redirect(_back(offset, candidate), worded(refused, t), error=True)
    said = (
        t(f"已确认记录 #{first} 与 #{second} 为同一人。", f"Records #{first} and #{second} are now one person.")
        if decision == "linked"
        else t(f"已确认记录 #{first} 与 #{second} 不是同一人。", f"Records #{first} and #{second} are kept apart.")
    )
    return redirect(_back(offset, candidate), said)


@router.post("/people/{candidate_id}/unlink", dependencies=[CheckedForm])
def unlink(request: Request, session: SessionDep, caller: OfficeViewer, candidate_id: int = CandidateId) -> Response:
    """Take a record out of its person: it stands alone again."""
    t = Translator(lang_of(request))
    try:
        others = person_records.unlink(session, caller, candidate_id)
    except TalentError as refused:
        return redirect(_back(0, candidate_id), worded(refused, t), error=True)
    listed_zh, listed_en = "、".join(f"#{i}" for i in others), ", ".join(f"#{i}" for i in others)
    said = t(
        f"记录 #{candidate_id} 已与记录 {listed_zh} 解除合并，不再与其他记录合并；"
        "如有误，可在下方把它们重新判定为同一人。",
        f"Record #{candidate_id} is no longer linked with record(s) {listed_en}: it stands alone. If that was a "
        "mistake, link them again below.",
    )
    return redirect(_back(0, candidate_id), said)
