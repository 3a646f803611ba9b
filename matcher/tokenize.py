"""Words for lexical matching: jieba for Chinese, lower-cased words for English and code-like terms, and the
bilingual concepts the text names (matcher.concepts), which are the same tokens in either language."""

import logging
import re
from functools import lru_cache

import jieba

from matcher.concepts import concept_tokens, is_concept_token

jieba.setLogLevel(logging.WARNING)

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Stored lexical tokens were made by this version of `tokenize`; a new version re-tokenizes every row (Platform.init).
TOKENIZER_VERSION = "2-concepts"
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "we",
        "with",
        "you",
        "your",
        "will",
        "i",
        "my",
        "me",
        "this",
        "that",
        "who",
        "what",
        "which",
        "all",
        "any",
        "can",
        "should",
        "must",
        "work",
        "working",
        "team",
        "years",
        "year",
        "experience",
        "的",
        "了",
        "和",
        "与",
        "及",
        "等",
        "在",
        "是",
        "为",
        "有",
        "或",
        "并",
        "对",
        "将",
        "从",
        "以",
        "于",
        "能",
        "要",
        "会",
        "中",
        "上",
        "下",
        "个",
        "我",
        "你",
        "他",
        "她",
        "们",
        "也",
        "及其",
        "以及",
        "相关",
        "负责",
        "熟悉",
        "具有",
        "具备",
        "优先",
        "以上",
        "要求",
        "岗位",
        "工作",
        "能力",
        "进行",
        "参与",
        "经验",
        "良好",
        "一定",
        "包括",
        "根据",
        "通过",
        "完成",
        "公司",
        "我们",
        "希望",
    ]
)


# Words too general to be given as a reason for a match: BM25 still counts them (their low IDF already weighs them
# little), but an explanation that says "science" or "工程" matched tells a reader nothing. The concepts (majors,
# skills) and the structured fit carry those meanings in the explanation instead.
NOT_A_REASON = frozenset(
    [
        "science",
        "sciences",
        "scientist",
        "engineering",
        "engineer",
        "engineers",
        "electronic",
        "electronics",
        "technology",
        "technologies",
        "technical",
        "research",
        "researcher",
        "university",
        "college",
        "school",
        "institute",
        "degree",
        "bachelor",
        "master",
        "masters",
        "phd",
        "doctorate",
        "student",
        "graduate",
        "senior",
        "junior",
        "development",
        "system",
        "systems",
        "application",
        "applications",
        "applied",
        "information",
        "management",
        "analysis",
        "professional",
        "related",
        "good",
        "strong",
        "科学",
        "工程",
        "工程师",
        "技术",
        "研究",
        "大学",
        "学院",
        "专业",
        "学位",
        "本科",
        "硕士",
        "博士",
        "学生",
        "毕业",
        "高级",
        "开发",
        "系统",
        "应用",
        "信息",
        "管理",
        "分析",
        "电子",
    ]
) | frozenset(
    [
        # The legal form of an employer's or a school's name says nothing about a fit ("有限公司" matched "有限公司").
        "公司",
        "有限",
        "有限公司",
        "责任",
        "有限责任",
        "有限责任公司",
        "股份",
        "股份有限公司",
        "集团",
        "集团公司",
        "集团股份",
        "控股",
        "总公司",
        "分公司",
        "子公司",
        "co",
        "corp",
        "corporation",
        "company",
        "companies",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "plc",
        "group",
        "holding",
        "holdings",
        "gmbh",
        "ag",
        "s.a",
        "sa",
        "s.a.s",
        "b.v",
        "bv",
        "n.v",
        "pte",
        "pty",
        "k.k",
    ]
)


def worth_giving(term: str) -> bool:
    """Whether a matched term says something to a reader (not one of NOT_A_REASON, not a bare number)."""
    return term not in NOT_A_REASON and not term.isdigit()


@lru_cache(maxsize=20_000)
def _segment(chunk: str) -> tuple[str, ...]:
    return tuple(w for w in jieba.lcut_for_search(chunk) if _CJK.search(w))


def tokenize(text: str) -> list[str]:
    """Lexical tokens of mixed Chinese/English text, stopwords removed, order kept (duplicates kept), followed by
    the tokens of the concepts it names ("@skill:penetration-testing" for 渗透测试 and for penetration testing)."""
    return list(_tokenized(text))


@lru_cache(maxsize=2_048)
def _tokenized(text: str) -> tuple[str, ...]:
    """A query is tokenized by each retriever and by the explanation: once is enough."""
    return (*plain_words(text), *concept_tokens(text))


def plain_words(text: str) -> list[str]:
    """The words of `tokenize` without the concepts."""
    lowered = text.lower()
    tokens: list[str] = []
    for chunk in re.split(r"[^\u4e00-\u9fff]+", lowered):
        if chunk:
            tokens.extend(_segment(chunk))
    tokens.extend(_TOKEN.findall(re.sub(r"[\u4e00-\u9fff]+", " ", lowered)))
    return [t for t in tokens if t not in STOPWORDS and not (len(t) == 1 and not _CJK.match(t) and not t.isdigit())]


def writing_group(tokens: list[str]) -> str:
    """ "zh", "en" or "mixed" (between a third and two thirds of the words Chinese): how a text is written, for
    the dense score's language correction, where a profile half in each language behaves like neither."""
    plain = [t for t in tokens if not is_concept_token(t)]
    if not plain:
        return "en"
    chinese = sum(1 for t in plain if _CJK.match(t)) / len(plain)
    return "zh" if chinese >= 2 / 3 else "en" if chinese <= 1 / 3 else "mixed"


def token_language(tokens: list[str]) -> str:
    """ "zh" when most of the words (concepts aside) are Chinese, else "en": which language a document is written in."""
    plain = [t for t in tokens if not is_concept_token(t)]
    chinese = sum(1 for t in plain if _CJK.match(t))
    return "zh" if plain and chinese * 2 >= len(plain) else "en"
