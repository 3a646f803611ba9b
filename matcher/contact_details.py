"""Contact details people type into free text: found so that a masked view hides them (`redact`) and the indexes
never hold them (`strip`).

A candidate's e-mail is a column that masking leaves out, but people also write "Contact me: wang@example.com,
+86 138 0013 8000" into a summary, an experience or a résumé. What counts as a contact detail here:

- e-mail addresses, also written "wang [at] example [dot] com" or with a full-width ＠;
- phone numbers: Chinese mobiles (with or without +86 / 0086 / (+86), run together or grouped 3-4-4 by spaces,
  hyphens or dots), Chinese landlines with their area code ("010-1234 5678", "(0371) 6888 8888"), international
  numbers written with + or 00 ("+1 (415) 555-0123", "+44 20 7946 0958"), North American ones ("(415) 555-0123",
  "415-555-0123"), and any number of 7 to 15 digits right after a phone label ("Tel:", "电话", "手机号：");
- messenger and network handles after their label: "WeChat: wang_123", "微信号：abc123", "QQ 12345678",
  "LinkedIn: wang-li", "Telegram: @wang" (the label stays, the handle goes; without a colon the handle must hold a
  digit, an underscore or a leading @, so "WeChat Pay" and "QQ音乐" are words, not handles);
- links to personal pages: profiles on social, code-hosting and networking sites (linkedin.com/in/…, github.com/…,
  weibo.com/…, zhihu.com/people/…), personal sites (*.github.io, sites.google.com/…, blog.csdn.net/…), pages under
  "~user", "/people/<name>" or "/staff/<name>", .me and .name domains, and any link right after a homepage label
  ("Homepage:", "个人主页：", "博客").

What is kept, because it is not a way to reach a person: years and date ranges ("2019–2023", "2021.09-2024.06"),
salaries and other numbers ("15000-25000", "5G", "C++17"), catalogue codes ("080702"), ORCID iDs and DOIs (public
research identifiers), and links to organizations (a university's or a company's homepage, linkedin.com/company/…).

Masked text shows MARKER where a detail was: "[…]", the editorial sign of something left out, the same in Chinese
and English. Text with no contact detail comes back unchanged from both functions (so its hash, and with it its
cached embedding, stay the same).
"""

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

MARKER = "[…]"
Kind = Literal["email", "phone", "handle", "url"]


@dataclass(frozen=True)
class Found:
    """One contact detail in a text: text[start:end], of one kind."""

    start: int
    end: int
    kind: Kind


_SPACE = r"[ \t\u00a0\u3000]"  # never a line break: a detail is written on one line
_SEP = r"[ \t\u00a0\u3000.\-]"  # what people group the digits of a phone number with
_BEFORE = r"(?<![0-9A-Za-z０-９_+/@#])(?<![0-9０-９][.\-])"  # not inside a word, a number, a path or a version
_AFTER = r"(?![0-9A-Za-z０-９_])(?![.\-][0-9０-９])"

_AT = r"(?:@|＠|\s?[\[(（【]\s?(?:at|艾特)\s?[\])）】]\s?)"
_DOT = r"(?:\.|\s?[\[(（【]\s?(?:dot|点)\s?[\])）】]\s?)"
_EMAIL = re.compile(
    rf"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+{_AT}[A-Za-z0-9\-]+(?:{_DOT}[A-Za-z0-9\-]+)*{_DOT}[A-Za-z]{{2,24}}"
    r"(?![A-Za-z0-9\-])",
    re.IGNORECASE,
)

_PLUS = r"[+＋]"
_ONE, _MOBILE_2 = r"[1１]", r"[3-9３-９]"
_PHONES = [
    # Chinese mobiles: 11 digits from 13 to 19, run together or grouped 3-4-4 / 4-3-4, after an optional +86.
    re.compile(
        rf"{_BEFORE}(?:(?:(?:{_PLUS}|00){_SPACE}?86|\({_SPACE}?{_PLUS}?86{_SPACE}?\)|86(?={_SEP})){_SEP}?)?"
        rf"(?:{_ONE}{_MOBILE_2}\d(?:{_SEP}?\d{{4}}){{2}}|{_ONE}{_MOBILE_2}\d\d{_SEP}?\d{{3}}{_SEP}?\d{{4}}){_AFTER}"
    ),
    # International: + or 00, a country code, then groups of digits (8 to 15 digits in all: checked below).
    re.compile(
        rf"{_BEFORE}(?:{_PLUS}|00){_SPACE}?[1-9１-９]\d{{0,2}}(?:{_SEP}{{0,2}}(?:\(\d{{1,4}}\)|\d{{1,5}})){{1,6}}{_AFTER}"
    ),
    # Chinese landlines (and others that start with a trunk 0): the area code set apart, or 11-12 digits in a run.
    re.compile(rf"{_BEFORE}(?:\(0\d{{2,3}}\){_SPACE}?|0\d{{2,4}}{_SEP})\d{{3,4}}{_SEP}?\d{{4}}{_AFTER}"),
    re.compile(rf"{_BEFORE}0\d{{4}}{_SEP}\d{{6}}{_AFTER}"),
    re.compile(rf"{_BEFORE}0\d{{10,11}}{_AFTER}"),
    # North American: (415) 555-0123, 415-555-0123, 415.555.0123.
    re.compile(rf"{_BEFORE}(?:\(\d{{3}}\){_SPACE}?\d{{3}}[\-.]|\d{{3}}-\d{{3}}-|\d{{3}}\.\d{{3}}\.)\d{{4}}{_AFTER}"),
]
_PHONE_LABEL = re.compile(  # right before a number
    r"(?<![A-Za-z])(?:(?:tel|telephone|phone|mobile|cell|cellphone|whatsapp|fax)(?![A-Za-z])(?:\.|\s?(?:no\.?|number|#))?"
    r"|电话号码|联系电话|电话|手机号码|手机号|手机|座机|联系方式)"
    rf"{_SPACE}*(?P<colon>[:：]?){_SPACE}*$",
    re.IGNORECASE,
)
_PHONE_HINT = re.compile("tel|phone|mobile|cell|whatsapp|fax|电话|手机|座机|联系方式")
_STRONG_PHONE_LABELS = re.compile(r"^(?:tel|telephone|phone|whatsapp|fax|电话|手机|联系电话|座机)", re.IGNORECASE)
_LABELLED_NUMBER = re.compile(rf"(?:{_PLUS}{_SPACE}?)?[\d(（][\d \t\u00a0\u3000().（）\-]{{5,22}}\d{_AFTER}")
# Where a phone number may be: seven digits or more, grouped by spaces, dots, hyphens or brackets.
_NUMBER = re.compile(r"\d(?:[ \t\u00a0\u3000.\-()（）]{0,2}\d){6,}")
_YEARS = re.compile(r"^(?:19|20)\d\d(?:[.\-/]\d{1,2})?\s*[\-–—~]\s*(?:19|20)\d\d(?:[.\-/]\d{1,2})?$")

_AT_WORD = re.compile(r"[\[(（【]\s?(?:at|AT|At|艾特)\s?[\])）】]")
_HANDLE_HINT = re.compile(  # in a lower-cased text: a label a handle may follow, or WeChat's own wxid_
    "wechat|weixin|wx|vx|微信|v信|qq|linkedin|领英|telegram|skype|line ?id|twitter|github|gitee|gitlab|微博|weibo|钉钉"
    "|dingtalk|facebook|instagram|小红书|抖音|douyin|tiktok|知乎|zhihu|discord"
)
_HANDLE = re.compile(
    r"(?<![A-Za-z])(?P<label>wechat(?:\s?id)?|weixin|wx|vx|微信号?|v信|qq号?|linkedin|领英|telegram|skype|line\s?id"
    r"|twitter|github|gitee|gitlab|微博|weibo|钉钉号?|dingtalk|facebook|instagram|小红书号?|抖音号?|douyin|tiktok|知乎"
    r"|zhihu|discord)(?![A-Za-z])"
    rf"{_SPACE}*(?P<joint>(?:id|号|账号|account)?{_SPACE}*[:：]|是|为|){_SPACE}*[(（]?"
    r"(?P<value>@?[A-Za-z0-9][A-Za-z0-9_.\-]{2,38}[A-Za-z0-9_])(?![A-Za-z0-9_\-])"
    r"|(?<![A-Za-z0-9_])(?P<wxid>wxid_[A-Za-z0-9_\-]{4,40})",  # WeChat's own ids need no label
    re.IGNORECASE,
)

_URL_CHAR = r"[^\s<>\"'\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"  # CJK text and punctuation end a link
_URL = re.compile(
    r"(?<![A-Za-z0-9_@.\-/])"
    rf"(?:(?i:https?://|www\.){_URL_CHAR}+"
    r"|(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+"  # a bare domain: its top level in lower case, as people
    r"(?:com|cn|net|org|io|me|name|dev|app|page|site|blog|info|xyz|top|tech|ai|co|edu|ac|uk|de|jp|hk|tw|sg|ee)"
    rf"(?::\d+)?(?:/{_URL_CHAR}*)?(?![A-Za-z0-9\-]))"  # write links ("projects.Me and…" is a typo)
)
_URL_HINT = re.compile(
    r"://|www\.|\.(?:com|cn|net|org|io|me|name|dev|app|page|site|blog|info|xyz|top|tech|ai|co|edu|ac|uk|de|jp|hk|tw"
    r"|sg|ee)(?![A-Za-z0-9\-])",
    re.IGNORECASE,
)
_URL_TAIL = ".,;:!?)]}'\"…"
_HOMEPAGE_LABEL = re.compile(
    r"(?<!company )(?<!official )(?:homepage|home page|personal (?:web)?site|personal page|my (?:web)?site|blog"
    r"|portfolio|个人主页|(?<!公司)(?<!官方)(?<!学校)(?<!单位)主页|个人网站|个人博客|博客|作品集)"
    rf"{_SPACE}*(?:[:：]|is|at)?{_SPACE}*$",
    re.IGNORECASE,
)
# Hosts whose pages are people's own, and the paths (after the host) that make a link one of them.
_PROFILE_PATHS = {
    "linkedin.com": r"(?:in|pub|profile)/",
    "linkedin.cn": r"(?:in|pub|profile)/",
    "github.com": r"[^/?#]",
    "gitlab.com": r"[^/?#]",
    "gitee.com": r"[^/?#]",
    "bitbucket.org": r"[^/?#]",
    "twitter.com": r"[^/?#]",
    "x.com": r"[^/?#]",
    "facebook.com": r"[^/?#]",
    "instagram.com": r"[^/?#]",
    "weibo.com": r"[^/?#]",
    "weibo.cn": r"[^/?#]",
    "t.me": r"[^/?#]",
    "wa.me": r"[^/?#]",
    "about.me": r"[^/?#]",
    "linktr.ee": r"[^/?#]",
    "blog.csdn.net": r"[^/?#]",
    "cnblogs.com": r"[^/?#]",
    "space.bilibili.com": r"\d",
    "zhihu.com": r"people/",
    "douban.com": r"people/",
    "jianshu.com": r"u/",
    "juejin.cn": r"user/",
    "xiaohongshu.com": r"user/",
    "douyin.com": r"user/",
    "medium.com": r"@",
    "youtube.com": r"(?:@|c/|channel/|user/)",
    "researchgate.net": r"profile/",
    "scholar.google.com": r"citations",
    "leetcode.com": r"u/",
    "leetcode.cn": r"u/",
    "stackoverflow.com": r"users/",
    "sites.google.com": r"(?:view|site)/",
}
_PAGE_SUFFIXES = (
    ".github.io",
    ".gitlab.io",
    ".gitee.io",
    ".netlify.app",
    ".vercel.app",
    ".pages.dev",
    ".wordpress.com",
    ".blogspot.com",
    ".substack.com",
    ".medium.com",
    ".notion.site",
    ".wixsite.com",
    ".tumblr.com",
    ".me",
    ".name",
)
_PERSONAL_PATH = re.compile(r"~|(?:^|/)(?:people|person|staff|faculty|homepages?|personal)/[^/?#]", re.IGNORECASE)

# Public identifiers that look like numbers or links but are no way to reach anyone: never contact details.
_KEPT = re.compile(r"(?<![0-9])\d{4}-\d{4}-\d{4}-\d{3}[0-9X](?![0-9])|\b10\.\d{4,9}/[-._;()/:A-Za-z0-9]+")


def find(text: str) -> list[Found]:
    """Every contact detail in `text`, in order, none overlapping another (the longer wins where two would).

    Each kind is looked for only where a cheap sign of it is (an @, a run of seven digits, a label, a dot before a
    top-level domain): most texts have none, and a profile is checked every time it is imported or shown masked."""
    found: list[Found] = []
    if "@" in text or "＠" in text or _AT_WORD.search(text):
        found += [Found(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    if _URL_HINT.search(text):
        found += [Found(*span, "url") for span in _personal_links(text)]
    if _HANDLE_HINT.search(text.lower()):
        found += [Found(*_handle(m), "handle") for m in _HANDLE.finditer(text) if m.group("wxid") or _is_handle(m)]
    found += [Found(*span, "phone") for span in _phones(text)]
    if not found:
        return []
    kept = [m.span() for m in _KEPT.finditer(text)]
    chosen: list[Found] = []
    for item in sorted(found, key=lambda f: (f.start, -f.end)):
        if any(start < item.end and item.start < end for start, end in kept):
            continue
        if chosen and item.start < chosen[-1].end:
            if item.end - item.start > chosen[-1].end - chosen[-1].start:
                chosen[-1] = item
            continue
        chosen.append(item)
    return chosen


def redact(text: str, marker: str = MARKER) -> str:
    """`text` as a masked view shows it: every contact detail replaced by `marker`."""
    return _replace(text, find(text), marker, drop_after=False)


def strip(text: str) -> str:
    """`text` as it is indexed and embedded: every contact detail dropped, with the separators right after it
    ("wang@example.com, +86 …" leaves no stray comma)."""
    return _replace(text, find(text), "", drop_after=True)


def _replace(text: str, found: list[Found], marker: str, *, drop_after: bool) -> str:
    if not found:
        return text
    parts, at = [], 0
    for item in found:
        if item.start < at:  # a detail the previous one's separators already took
            continue
        parts += [text[at : item.start], marker]
        at = item.end
        if drop_after:
            while at < len(text) and text[at] in " \t,;，；、/|":
                at += 1
    parts.append(text[at:])
    return "".join(parts)


def _phones(text: str) -> list[tuple[int, int]]:
    """Phone numbers: the patterns, tried around each run of at least seven digits (with what may come before it:
    a +, 00 or a bracket), and any such run right after a phone label."""
    spans = []
    for run in _NUMBER.finditer(text):
        if _YEARS.match(run.group()):
            continue  # "2019-2023", "2019.09-2023.06": the commonest long run of digits in a profile
        low, high = max(0, run.start() - 8), min(len(text), run.end() + 2)
        for pattern in _PHONES:
            for match in pattern.finditer(text, low, high):
                digits = sum(ch.isdigit() for ch in match.group())
                if 8 <= digits <= 15 and not _YEARS.match(match.group()):
                    spans.append(match.span())
        start = run.start()
        while start > 0 and text[start - 1] in "+＋(（":
            start -= 1
        if not _PHONE_HINT.search(text[max(0, start - 30) : start].lower()):
            continue
        label = _PHONE_LABEL.search(text, max(0, start - 30), start)
        if label is None or not (label.group("colon") or _STRONG_PHONE_LABELS.match(label.group())):
            continue  # "mobile 2019-2022" is a time, "Mobile: 555 0123" a number
        number = _LABELLED_NUMBER.match(text, start)
        if number is None:
            continue
        value = number.group().rstrip(" \t\u00a0\u3000")
        if 7 <= sum(ch.isdigit() for ch in value) <= 15 and not _YEARS.match(value):
            spans.append((start, start + len(value)))
    return spans


def _handle(match: re.Match[str]) -> tuple[int, int]:
    return match.span("wxid") if match.group("wxid") else match.span("value")


def _is_handle(match: re.Match[str]) -> bool:
    """A handle after its label. For QQ: a number of 5 to 12 digits, or anything after a colon. For the others a
    value that starts with a letter or @ (a number there is a phone number, found as one), and without a colon one
    no word looks like: with a digit, an underscore or a leading @ ("WeChat wang_123", not "WeChat Pay")."""
    value, label = match.group("value"), match.group("label").lower()
    if label.startswith("qq"):
        return bool(match.group("joint")) or (value.isdigit() and 5 <= len(value) <= 12)
    if not (value[0].isalpha() or value[0] == "@"):
        return False
    return bool(match.group("joint")) or value[0] == "@" or any(ch.isdigit() or ch == "_" for ch in value)


def _personal_links(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _URL.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _URL_TAIL:
            end -= 1
        link = text[start:end]
        labelled = _HOMEPAGE_LABEL.search(text[max(0, start - 40) : start].rsplit("\n", 1)[-1]) is not None
        if labelled or is_personal_link(link):
            spans.append((start, end))
    return spans


def is_personal_link(link: str) -> bool:
    """Whether a link leads to one person's page (a profile, a personal site) rather than to an organization's."""
    try:
        parts = urlsplit(link if "://" in link else f"http://{link}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    host = re.sub(r"^(?:www|m|mobile)\.", "", host)
    if host.endswith(".linkedin.com"):  # cn.linkedin.com, uk.linkedin.com
        host = "linkedin.com"
    path = parts.path.lstrip("/")
    wanted = _PROFILE_PATHS.get(host)
    if wanted is not None:
        return re.match(wanted, path + ("?" + parts.query if parts.query else "")) is not None
    if host.endswith(_PAGE_SUFFIXES) or host.startswith("sites.google."):
        return True
    return _PERSONAL_PATH.search(parts.path) is not None
