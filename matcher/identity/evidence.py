"""Identity evidence: what in a candidate's record can tell that two records are one person.

Identifiers, normalised so that two ways of writing one match:
- e-mail addresses (the record's own and any in its texts): lower-cased, a "+tag" dropped, dots of a Gmail name
  dropped, "wang [at] example [dot] com" and a full-width ＠ read as written;
- phone numbers found in its texts, as digits with the country code: 138-0013-8000, +86 138 0013 8000 and
  0086 13800138000 are all 8613800138000;
- ORCID iDs, from the record's extras, an orcid.org link or the text ("ORCID: 0000-0002-1825-0097"), checked with
  their check digit (a mistyped iD links nothing);
- personal links (a LinkedIn or GitHub profile, a personal site), without scheme, "www." or a trailing slash.

Softer evidence, weighed by `matcher.identity.resolution`: the name's keys across scripts
(`matcher.identity.names`), schools resolved to one university of the ranking where they can be ("UCL", "伦敦大学学院"
and "University College London" are one), each with the degree's level and year, and employers.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from matcher.contact_details import find, is_personal_link
from matcher.degrees import parse_degree
from matcher.identity.names import NameKeys, name_keys
from matcher.reference.universities import UniversityResolver, default_resolver

_ORCID = re.compile(r"(?<![0-9A-Za-z])(\d{4})[- ]?(\d{4})[- ]?(\d{4})[- ]?(\d{3}[\dXx])(?![0-9A-Za-z])")
_ORCID_HINT = re.compile(r"orcid", re.IGNORECASE)
_GMAIL = frozenset({"gmail.com", "googlemail.com"})
_LEGAL_SUFFIXES = re.compile(
    r"(?:股份有限公司|有限责任公司|有限公司|集团|公司|\b(?:co|corp|corporation|inc|ltd|limited|llc|plc|gmbh|group)\b\.?)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Schooling:
    """One degree: where (the ranking's name for a known university, else the normalised written name), its level
    (matcher.degrees, None when unknown) and the year it ended."""

    school: str
    level: int | None
    end_year: int | None
    known: bool = False  # resolved to a university of the ranking


@dataclass(frozen=True)
class Evidence:
    """What one record says about who it is."""

    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    orcids: frozenset[str] = frozenset()
    links: frozenset[str] = frozenset()
    name: NameKeys = field(default_factory=lambda: NameKeys("", frozenset()))
    schooling: tuple[Schooling, ...] = ()
    employers: frozenset[str] = frozenset()

    @property
    def identifiers(self) -> frozenset[str]:
        """Every exact identifier, each prefixed with its kind ("email:…", "orcid:…")."""
        return frozenset(
            {f"email:{e}" for e in self.emails}
            | {f"phone:{p}" for p in self.phones}
            | {f"orcid:{o}" for o in self.orcids}
            | {f"link:{u}" for u in self.links}
        )


def normalize_email(written: str) -> str | None:
    """One spelling of an e-mail address, or None if it is not one."""
    text = unicodedata.normalize("NFKC", written).strip().lower()
    text = re.sub(r"\s*[\[(（【]\s*(?:at|艾特)\s*[\])）】]\s*", "@", text)
    text = re.sub(r"\s*[\[(（【]\s*(?:dot|点)\s*[\])）】]\s*", ".", text)
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain:
        return None
    local = local.split("+", 1)[0]
    if domain in _GMAIL:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}" if local else None


def normalize_phone(written: str) -> str | None:
    """Digits with the country code (Chinese numbers without one get 86), or None if too short to be a phone."""
    text = unicodedata.normalize("NFKC", written)
    international = text.lstrip().startswith(("+", "00"))
    digits = re.sub(r"\D", "", text)
    if international:
        digits = digits[2:] if digits.startswith("00") else digits
    elif re.fullmatch(r"1[3-9]\d{9}", digits):  # a Chinese mobile
        digits = "86" + digits
    elif digits.startswith("0") and 10 <= len(digits) <= 12:  # a Chinese landline with its trunk 0
        digits = "86" + digits[1:]
    return digits if 8 <= len(digits) <= 15 else None


def orcid_checks(digits: str) -> bool:
    """The ISO 7064 MOD 11-2 check of a 16-character ORCID iD (without hyphens)."""
    total = 0
    for char in digits[:15]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[15].upper() == ("X" if check == 10 else str(check))


def find_orcids(text: str) -> set[str]:
    """The valid ORCID iDs written in `text` ("0000-0002-1825-0097", an orcid.org link)."""
    if not text or (not _ORCID_HINT.search(text) and not re.search(r"\d{4}-\d{4}-\d{4}-\d{3}[\dXx]", text)):
        return set()
    found = set()
    for match in _ORCID.finditer(text):
        digits = "".join(match.groups()).upper()
        if orcid_checks(digits):
            found.add("-".join(digits[i : i + 4] for i in range(0, 16, 4)))
    return found


def normalize_link(written: str) -> str | None:
    """A personal link without its scheme, "www." or trailing slash, lower-cased host; None if not personal."""
    if not is_personal_link(written):
        return None
    try:
        parts = urlsplit(written if "://" in written else f"http://{written}")
    except ValueError:
        return None
    host = re.sub(r"^(?:www|m|mobile)\.", "", (parts.hostname or "").lower())
    if host.endswith(".linkedin.com"):
        host = "linkedin.com"
    path = parts.path.rstrip("/")
    return f"{host}{path}" if host else None


def normalize_organization(written: str) -> str:
    """An employer's name for comparing: lower-cased, without legal form and punctuation."""
    text = unicodedata.normalize("NFKC", written).lower()
    text = _LEGAL_SUFFIXES.sub(" ", text)
    return re.sub(r"[\W_]+", " ", text).strip()


def identifiers_in(texts: Iterable[str]) -> tuple[set[str], set[str], set[str], set[str]]:
    """E-mails, phones, ORCID iDs and personal links found in free texts."""
    emails: set[str] = set()
    phones: set[str] = set()
    orcids: set[str] = set()
    links: set[str] = set()
    for text in texts:
        if not text:
            continue
        orcids |= find_orcids(text)
        for item in find(text):
            written = text[item.start : item.end]
            if item.kind == "email" and (email := normalize_email(written)):
                emails.add(email)
            elif item.kind == "phone" and (phone := normalize_phone(written)):
                phones.add(phone)
            elif item.kind == "url" and (link := normalize_link(written)):
                links.add(link)
    return emails, phones, orcids, links


def evidence_of(
    *,
    name: str,
    email: str | None,
    url: str | None,
    texts: Iterable[str],
    extras: dict[str, Any],
    education: Iterable[tuple[str, str, str, int | None]],  # school, degree, country, end year
    employers: Iterable[str],
    resolver: UniversityResolver | None = None,
) -> Evidence:
    """The evidence of one candidate's record."""
    resolver = resolver or default_resolver()
    extra_texts = [str(v) for k, v in extras.items() if isinstance(v, str | int) and "orcid" in k.lower()]
    emails, phones, orcids, links = identifiers_in([*texts, *(extra_texts), url or ""])
    for value in extra_texts:
        orcids |= find_orcids(f"orcid {value}")
    if email and (own := normalize_email(email)):
        emails.add(own)
    if url and "orcid.org" not in url and (link := normalize_link(url)):
        links.add(link)
    schooling = []
    for school, degree, country, end_year in education:
        if not school.strip():
            continue
        match = resolver.resolve(school, country or None)
        written = match.institution if match else normalize_organization(school)
        level = parse_degree(degree)
        schooling.append(Schooling(written, int(level) if level is not None else None, end_year, match is not None))
    return Evidence(
        emails=frozenset(emails),
        phones=frozenset(phones),
        orcids=frozenset(orcids),
        links=frozenset(links),
        name=name_keys(name),
        schooling=tuple(schooling),
        employers=frozenset(filter(None, (normalize_organization(e) for e in employers))),
    )
