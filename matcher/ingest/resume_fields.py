"""What résumé text says about its owner: the first e-mail address and phone number and the section headings
(hints, not a parse), and the same contacts and the person's names taken out of the text."""

import re
from dataclasses import dataclass

REDACTED = "[contact removed]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A Chinese mobile, optionally +86/0086, digits grouped 3-4-4 by spaces or dashes, not inside a longer number.
_CN_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
# An international number written with a leading +: country code and 7 to 14 more digits in groups.
_INTERNATIONAL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}(?!\d)")
_HEADINGS = {
    "education": re.compile(r"(教育背景|教育经历|学历|教育|(academic\s+)?education(al background)?)", re.IGNORECASE),
    "experience": re.compile(
        r"(工作经历|工作经验|实习经历|项目经历|((work|professional)\s+)?experience|employment(\s+history)?)",
        re.IGNORECASE,
    ),
    "skills": re.compile(r"(专业技能|技能特长|技能|((technical|core|key)\s+)?skills)", re.IGNORECASE),
}


@dataclass(frozen=True, slots=True)
class ResumeFields:
    """Contact details and section headings spotted in résumé text (hints, not a parse)."""

    email: str | None
    phone: str | None  # E.164-like: "+8613812345678", "+442079460000"
    sections: tuple[str, ...]  # canonical names in order of appearance: "education", "experience", "skills"


def resume_fields(text: str) -> ResumeFields:
    """The first email, the first phone number and the section headings found in résumé text."""
    email = _EMAIL.search(text)
    return ResumeFields(
        email=email.group(0).lower() if email else None, phone=_first_phone(text), sections=_sections(text)
    )


def without_contacts(text: str, names: list[str]) -> str:
    """Résumé text with e-mail addresses, phone numbers and the person's names taken out, so what is searched and
    embedded cannot find a masked candidate by who they are."""
    for pattern in (_EMAIL, _CN_MOBILE, _INTERNATIONAL):
        text = pattern.sub(REDACTED, text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(re.escape(name), "[name removed]", text, flags=re.IGNORECASE)
    return text


def _first_phone(text: str) -> str | None:
    """The earliest Chinese mobile or +-prefixed international number, as + and digits."""
    found: list[tuple[int, str]] = []
    mobile = _CN_MOBILE.search(text)
    if mobile:
        found.append((mobile.start(), "+86" + "".join(mobile.groups())))
    for match in _INTERNATIONAL.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 8 <= len(digits) <= 15:
            found.append((match.start(), "+" + digits))
            break
    return min(found)[1] if found else None


def _sections(text: str) -> tuple[str, ...]:
    """Canonical section names whose heading starts a short line, in order of first appearance."""
    names: list[str] = []
    for line in text.split("\n"):
        line = line.strip(" \t:：|•·■●◆▶-—_#*【】[]")
        if not line or len(line) > 40:
            continue
        for name, heading in _HEADINGS.items():
            match = heading.match(line)
            if name not in names and match and _heading_ends(match.group(0), line[match.end() :]):
                names.append(name)
    return tuple(names)


def _heading_ends(heading: str, rest: str) -> bool:
    """Whether the heading is a whole word: 'Education:', '教育背景 Education', '教育背景EDUCATION', not '教育部'."""
    if not rest:
        return True
    if heading[-1].isascii():
        return not rest[0].isalnum()  # 'Experienced' is not a heading
    return not (rest[0].isalpha() and not rest[0].isascii())  # '教育部' is not a heading
