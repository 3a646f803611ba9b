"""The occupation part of a posting title: what `clean_title` leaves for the occupation coder to compare.

A posting title says more than the occupation: "郑东新区某茶饮店急招店员（包吃住）", "Java开发工程师（高新区）15-25K",
"XX物流有限公司-叉车司机/宜宾", "Senior BMS Engineer (Zhengzhou)". Places (Zhengzhou's districts, Chinese cities and
provinces of places.csv, in Chinese and English), company names before the title, recruitment words and perks, pay,
experience and degree asked for, seniority and bracketed notes go; what is left is the job.
"""

import re
from functools import lru_cache
from importlib.resources import files

PREFECTURES_FILE = "cn-prefectures.txt"
ZHENGZHOU_PLACES = (
    "郑东新区|高新区|经开区|经济技术开发区|航空港区|航空港|金水区|二七区|中原区|管城回族区|管城区|惠济区|上街区|"
    "巩义|荥阳|新密|新郑|登封|中牟|郑州市|郑州|河南省|河南"
)
_BRACKETS = re.compile(r"[（(【\[［〔《<{][^（(【\[［〔《<{）)】\]］〕》>}]*[）)】\]］〕》>}]")
# Pay and other figures ("15-25K", "8000-12000元/月", "13薪", "4.2米"), but not the digits of a name: B2B, H5, 3D, C1.
_PAY = re.compile(
    r"(?<![A-Za-z\d.])\d+(?:\.\d+)?\s*[kK千wW万]?\s*(?:[-~～–—至到]\s*\d+(?:\.\d+)?\s*[kK千wW万]?)?\s*(?:元|块)?"
    r"\s*(?:/|每)?\s*(?:月|年|天|日|小时|时|单)?\s*(?:薪|起)?(?![A-Za-z])|\d+\s*薪"
)
_RECRUITING = re.compile(
    r"急招|急聘|诚聘|高薪聘请?|高薪|直招|热招|长期招聘?|招聘|聘请|招|聘|包吃包住|包吃住|包住|包吃|[五六七]险[一二]金|"
    r"[五六]险|周末双休|双休|单休|大小周|无责底薪|底薪|加提成|高提成|提成|年终奖|带薪年假|免费培训|可培训|带薪培训|"
    r"无经验可|经验不限|学历不限|男女不限|年龄不限|接受小白|小白可|可实习|应届可投|可接受应届|接受应届|日结|周结|月结|可兼职|兼职|"
    r"全职|正式工|长白班|倒班|包食宿|提供住宿|食宿|月入过万|月薪过万|上不封顶|保底|有补贴|现金补贴|补贴|爆单啦|爆单|"
    r"轻松|稳定|不加班|朝九晚五|在家办公|居家办公|远程办公|线上|离家近|就近安排|宝妈|优先|"
    r"\+|·|/|／|\||｜|&|＆|!|！|~|～|\*|★|☆|◆|●|→"
)
# Experience and schooling asked for: "3年以上经验", "本科及以上" (before pay, which would take "3年").
_REQUIREMENTS = re.compile(
    r"(?:\d+|[一二三四五六七八九十两])\s*(?:-\s*\d+\s*)?年(?:以上|及以上)?(?:相关)?(?:工作)?经验|经验|"
    r"(?:统招)?(?:全日制)?(?:大专|本科|硕士|博士|研究生|中专|高中)(?:及以上|以上)?(?:学历)?"
)
_SENIORITY = re.compile(
    r"高级|资深|初级|中级|储备|见习|实习生?|应届生?|校招|社招|\d{4}届|届|"
    r"\b(?:senior|junior|lead|principal|staff|graduate|trainee|intern|internship|sr\.?|jr\.?|"
    r"full[- ]time|part[- ]time|remote|hybrid|urgent|hiring)\b",
    re.I,
)
_SOMEONES = re.compile(r"^.{0,12}?某")  # "郑东新区某茶饮店…": the place before 某 goes; the kind of shop stays
# "河南XX物流有限公司-叉车司机", "宇通集团：焊工": the employer before the job goes when a job is left after it.
_COMPANY = re.compile(
    r"^.{2,24}?(?:股份有限公司|有限责任公司|有限公司|集团公司|公司|集团|工厂|分公司)\s*[-–—:：|｜/\s]?\s*"
)
_SEPARATORS = re.compile(r"[\s,，;；:：、\-–—_.。]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _places() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Chinese places (Zhengzhou's districts, the cities and provinces of places.csv) in Chinese and in English."""
    chinese = set(ZHENGZHOU_PLACES.split("|"))
    english = {"Zhengzhou", "Henan"}
    text = files("matcher").joinpath("data", "places.csv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        fields = line.split(",")
        if len(fields) >= 5 and fields[2] == "cn" and fields[1] in ("city", "region"):
            chinese.update(name for name in fields[3].split("|") if len(name) >= 2)
            english.update(name for name in fields[4].split("|") if len(name) >= 3)
    prefectures = files("matcher").joinpath("data", PREFECTURES_FILE).read_text(encoding="utf-8")
    chinese.update(word for line in prefectures.splitlines() if not line.startswith("#") for word in line.split())
    # Longest first, so 郑州市 goes whole rather than leaving 市 (places.csv's names are two characters or more,
    # none of them a word of an occupation: 区域经理 keeps its 区).
    zh = "|".join(sorted((re.escape(n) for n in chinese), key=len, reverse=True))
    en = "|".join(sorted((re.escape(n) for n in english), key=len, reverse=True))
    return re.compile(zh), re.compile(rf"\b(?:{en})(?:\s+(?:City|Province|China))?\b", re.I)


def _strip_company(text: str) -> str:
    match = _COMPANY.match(text)
    if match and len(re.sub(r"\W", "", text[match.end() :])) >= 2:
        return text[match.end() :]
    return text


def clean_title(title: str) -> str:
    """The occupation part of a posting title: '郑东新区某茶饮店急招店员（包吃住）' -> '茶饮店 店员'."""
    chinese_places, english_places = _places()
    text = _BRACKETS.sub(" ", title)
    text = _SOMEONES.sub("", text)
    text = _strip_company(text.strip())
    text = english_places.sub(" ", text)
    text = chinese_places.sub(" ", text)
    for pattern in (_REQUIREMENTS, _PAY, _RECRUITING, _SENIORITY):
        text = pattern.sub(" ", text)
    cleaned = _SEPARATORS.sub(" ", text).strip()
    return cleaned if re.search(r"\w", cleaned) else title.strip()


def title_key(text: str) -> str:
    """How known titles are compared: case, spaces and punctuation do not count (but C++ and C# stay apart)."""
    return re.sub(r"[^\w+#]+|_", "", text).casefold()


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text))
