"""Contact details in free text, Chinese and English: what is one (and exactly which characters), what only looks
like one (years, salaries, codes, versions, research identifiers, organizations' sites), and what masking and
indexing make of a text."""

import time

import pytest

from matcher.contact_details import MARKER, find, is_personal_link, redact, strip

# (text, the contact details in it, in order)
FOUND = [
    # e-mail addresses
    ("Contact me: wang.secret@example.com", ["wang.secret@example.com"]),
    ("联系邮箱wang@example.com或电话", ["wang@example.com"]),
    ("email me at wang.li@mail.tsinghua.edu.cn.", ["wang.li@mail.tsinghua.edu.cn"]),
    ("wang [at] example [dot] com", ["wang [at] example [dot] com"]),
    ("邮箱：li_ming＠example.com", ["li_ming＠example.com"]),
    # Chinese mobiles, with and without +86 and separators
    ("手机：13800138000", ["13800138000"]),
    ("手机号 138-0013-8000", ["138-0013-8000"]),
    ("Contact me: +86 138 0013 8000", ["+86 138 0013 8000"]),
    ("(+86)13800138000", ["(+86)13800138000"]),
    ("0086 13800138000", ["0086 13800138000"]),
    ("86-138-0013-8000", ["86-138-0013-8000"]),
    ("1380 013 8000", ["1380 013 8000"]),
    ("电话１３８００１３８０００", ["１３８００１３８０００"]),
    ("微信同号13912345678。", ["13912345678"]),
    # landlines and international numbers
    ("电话：010-12345678", ["010-12345678"]),
    ("办公室 (0371) 6888 8888", ["(0371) 6888 8888"]),
    ("电话: 0371-68888888 转 123", ["0371-68888888"]),
    ("+1 (415) 555-0123", ["+1 (415) 555-0123"]),
    ("Call (415) 555-0123 or 415.555.0124", ["(415) 555-0123", "415.555.0124"]),
    ("+44 20 7946 0958", ["+44 20 7946 0958"]),
    ("020 7946 0958", ["020 7946 0958"]),
    ("+49 (0)30 1234567", ["+49 (0)30 1234567"]),
    ("Tel: +86 (10) 6278 1234", ["+86 (10) 6278 1234"]),
    ("Tel: 6543 2109", ["6543 2109"]),
    ("Mobile: 555 0123", ["555 0123"]),
    ("WhatsApp +971 50 123 4567", ["+971 50 123 4567"]),
    # messenger and network handles (the label stays)
    ("WeChat: wang_123", ["wang_123"]),
    ("WeChat ID: wang_li", ["wang_li"]),
    ("微信号：abc123", ["abc123"]),
    ("微信：wang_123", ["wang_123"]),
    ("微信 abc123", ["abc123"]),
    ("我的微信是 wxid_abc123", ["wxid_abc123"]),
    ("QQ 12345678", ["12345678"]),
    ("QQ号：87654321", ["87654321"]),
    ("ping me on WeChat (wang_li_88) or QQ: 10001", ["wang_li_88", "10001"]),
    ("LinkedIn: wang-li", ["wang-li"]),
    ("领英：wang-li-88", ["wang-li-88"]),
    ("Telegram: @wangli", ["@wangli"]),
    # links to personal pages
    ("linkedin.com/in/wang-li", ["linkedin.com/in/wang-li"]),
    ("see https://www.linkedin.com/in/wang-li/.", ["https://www.linkedin.com/in/wang-li/"]),
    ("代码在 github.com/wangli 上", ["github.com/wangli"]),
    ("(https://github.com/wangli/slam)", ["https://github.com/wangli/slam"]),
    ("主页https://wang.github.io，欢迎", ["https://wang.github.io"]),
    ("个人主页：https://www.example.com/wang", ["https://www.example.com/wang"]),
    ("Homepage: wangli.com", ["wangli.com"]),
    ("https://www.cs.ucl.ac.uk/people/W.Li/", ["https://www.cs.ucl.ac.uk/people/W.Li/"]),
    ("cs.stanford.edu/~wang", ["cs.stanford.edu/~wang"]),
    ("https://scholar.google.com/citations?user=abc123", ["https://scholar.google.com/citations?user=abc123"]),
    ("微博 weibo.com/u/123456", ["weibo.com/u/123456"]),
    ("https://www.zhihu.com/people/wang-li", ["https://www.zhihu.com/people/wang-li"]),
    ("博客 blog.csdn.net/wangli", ["blog.csdn.net/wangli"]),
    ("wangli.me", ["wangli.me"]),
]

# Text with nothing to remove: it must come back as it is.
KEPT = [
    "2019–2023",
    "2019-2023",
    "2021.09-2024.06",
    "2019.09 - 2023.06",
    "2023年6月-2024年3月",
    "1998年至2005年",
    "月薪 15000-25000 元",
    "13000-18000元",
    "¥30,000-50,000/月",
    "年薪50万",
    "6-8年经验",
    "专业代码 080702",
    "学号 2019211234",
    "5G, C++17, Python 3.11.4, IEEE 802.11ax, H.264/H.265, STM32F103C8T6, ResNet-50",
    "ISO 9001:2015, GB/T 19001-2016, 3GPP 38.211 V16.2.0",
    "ISBN 978-7-111-54742-6, US Patent 10,123,456, CN201510123456.7",
    "arXiv:2301.12345",
    "ORCID 0000-0002-1825-0097",
    "https://orcid.org/0000-0002-1825-0097",
    "doi:10.1038/nature12373",
    "https://doi.org/10.1145/3292500.3330701",
    "www.tsinghua.edu.cn",
    "https://www.huawei.com/en/",
    "Huawei.com",
    "github.com",
    "linkedin.com/company/huawei",
    "见 https://www.tsinghua.edu.cn/publish/thu2018/index.html。",
    "公司主页：www.huawei.com",
    "Company homepage: www.bosch.com",
    "Node.js, Vue.js, ASP.NET",
    "I led 3 projects.Me and my team",
    "WeChat Pay, WeChat mini programs, 微信小程序开发, QQ音乐, WeChat 8.0",
    "QQ群：123456789",
    "Smart phone 2019-2023",
    "mobile 2019-2022: Android",
    "手机游戏 2019-2023",
    "电话会议 2020",
    "Intel 14nm, Telecom 5G NR",
    "Signal: 10-bit ADC",
    "@Autowired and @Component",
    "GNSS 定位 @ University College London | 卡尔曼滤波",
    "+20% revenue, 增长 +15.6%",
    "IPv4 192.168.1.1, 09:00-18:00, 113.6253, 34.7466",
    "Published 12 papers, h-index 15, 1200 citations; TOEFL 110, GPA 3.8/4.0",
    "2015 2016 2017 2018 2019",
]


@pytest.mark.parametrize(("text", "details"), FOUND)
def test_finds_each_contact_detail_exactly(text: str, details: list[str]) -> None:
    assert [text[f.start : f.end] for f in find(text)] == details


@pytest.mark.parametrize("text", KEPT)
def test_keeps_what_only_looks_like_a_contact_detail(text: str) -> None:
    assert find(text) == []
    assert redact(text) is text and strip(text) is text  # unchanged: the same hash, the same cached embedding


def test_kinds() -> None:
    text = "wang@example.com +86 138 0013 8000 WeChat: wang_123 github.com/wang"
    assert [f.kind for f in find(text)] == ["email", "phone", "handle", "url"]


def test_masked_text_keeps_the_labels_and_marks_each_detail() -> None:
    summary = "Contact me: wang.secret@example.com, +86 138 0013 8000 (WeChat: wang_123). 2019–2023 在华为工作。"
    assert redact(summary) == f"Contact me: {MARKER}, {MARKER} (WeChat: {MARKER}). 2019–2023 在华为工作。"
    assert redact("微信号：abc123，手机13800138000", marker="***") == "微信号：***，手机***"


def test_indexed_text_drops_each_detail_with_the_separators_after_it() -> None:
    summary = "Contact me: wang.secret@example.com, +86 138 0013 8000; QQ 12345678\n我研究北斗卫星导航。"
    assert strip(summary) == "Contact me: QQ \n我研究北斗卫星导航。"
    assert strip("联系：wang@example.com、13800138000。欢迎") == "联系：。欢迎"


def test_a_research_identifier_next_to_a_contact_detail() -> None:
    text = "ORCID 0000-0002-1825-0097, doi:10.1038/nature12373，联系wang@example.com"
    assert redact(text) == f"ORCID 0000-0002-1825-0097, doi:10.1038/nature12373，联系{MARKER}"


@pytest.mark.parametrize(
    ("link", "personal"),
    [
        ("https://www.linkedin.com/in/wang-li", True),
        ("cn.linkedin.com/in/wang-li", True),
        ("https://www.linkedin.com/company/huawei", False),
        ("https://github.com/wangli", True),
        ("https://github.com", False),
        ("wangli.github.io", True),
        ("https://sites.google.com/view/wangli", True),
        ("https://www.zhihu.com/question/123", False),
        ("https://www.tsinghua.edu.cn/faculty/", False),
        ("https://www.tsinghua.edu.cn/faculty/wangli.html", True),
        ("https://www.huawei.com/en/", False),
        ("https://orcid.org/0000-0002-1825-0097", False),
        ("http://[::1", False),  # not a link at all
    ],
)
def test_personal_links(link: str, personal: bool) -> None:
    assert is_personal_link(link) is personal


def test_long_runs_of_digits_and_dots_stay_quick() -> None:
    started = time.perf_counter()
    for text in ("1" * 5000, "1 " * 3000, "a." * 3000, "x@" + "a." * 3000, "wechat " * 2000, "138 " * 2000):
        find(text)
    assert time.perf_counter() - started < 2.0
