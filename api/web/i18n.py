"""Two languages, Chinese by default: templates say `t("中文", "English")`, so each text stands beside its
translation; domain words (stages, degrees, roles) have one table here."""

from dataclasses import dataclass
from typing import Literal

from fastapi import Request

Lang = Literal["zh", "en"]
LANG_COOKIE = "tb_lang"

# Words the domain stores in English and the console shows in the reader's language.
WORDS: dict[str, tuple[str, str]] = {
    # roles
    "admin": ("人才办", "Talent office"),
    "partner": ("引才合伙人", "Talent partner"),
    "enterprise": ("用人单位", "Enterprise"),
    "candidate": ("海外学子", "Overseas candidate"),
    # referral stages
    "referred": ("已推荐", "Referred"),
    "contacted": ("已联系", "Contacted"),
    "interviewing": ("面试中", "Interviewing"),
    "offered": ("已发录用", "Offered"),
    "hired": ("已入职", "Hired"),
    "certified": ("已认定", "Certified"),
    "rewarded": ("已奖励", "Rewarded"),
    "declined": ("已终止", "Declined"),
    # degree levels
    "none": ("不限", "Any"),
    "associate": ("专科", "Associate"),
    "bachelor": ("本科", "Bachelor"),
    "master": ("硕士", "Master"),
    "doctorate": ("博士", "Doctorate"),
    # job types
    "full_time": ("全职", "Full-time"),
    "part_time": ("兼职", "Part-time"),
    "internship": ("实习", "Internship"),
    "contract": ("合同制", "Contract"),
    # feedback and rewards
    "open": ("待处理", "Open"),
    "answered": ("已答复", "Answered"),
    "closed": ("已关闭", "Closed"),
    "owed": ("待支付", "Owed"),
    "paid": ("已支付", "Paid"),
    "pending": ("待回复", "Pending"),
    "accepted": ("已同意", "Accepted"),
    # match explanation parts
    "dense": ("语义相似", "Meaning"),
    "lexical": ("关键词", "Keywords"),
    "structured": ("条件匹配", "Requirements"),
    "degree": ("学历", "Degree"),
    "major": ("专业", "Major"),
    "location": ("地点", "Location"),
    # one person's records: a pair's verdict and who gave it (matcher.identity.linking)
    "linked": ("同一人", "one person"),
    "review": ("待核对", "to review"),
    "apart": ("不是同一人", "not the same person"),
    "undecided": ("尚无判定", "no verdict yet"),
    "identifier": ("标识相同，自动合并", "linked by an identifier"),
    "score": ("按相似度自动判断", "decided on the score"),
    "office": ("人才办判定", "decided by the office"),
}


def lang_of(request: Request) -> Lang:
    """The reader's language: the toggle's cookie, else Chinese."""
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh"


@dataclass(frozen=True)
class Translator:
    lang: Lang

    def __call__(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def word(self, key: object) -> str:
        """A stored domain word (a stage, a degree level, a role) in the reader's language; unknown words as they
        are."""
        pair = WORDS.get(str(key))
        if pair is None:
            return str(key)
        return self(*pair)
