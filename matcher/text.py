"""How a candidate or a job becomes the text we embed and index: deterministic, so its hash is stable."""

import hashlib

from matcher import contact_details
from matcher.degrees import DegreeLevel
from matcher.store.models import Candidate, Job

# Stored text hashes and lexical tokens were derived by this version of `candidate_text` / `job_text`; a new version
# derives them again for every row whose text changed, and logs those rows to the change feed (Platform.init).
# 2: contact details typed into a candidate's free text are left out.
TEXT_VERSION = "2-no-contact-details"


def _join(parts: list[str]) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def candidate_text(candidate: Candidate) -> str:
    """Headline, education (degree, major, school), skills, experience, summary and résumé, in that order, each
    without the contact details typed into it (contact_details.strip): the indexes are everyone's, whatever the
    candidate consented to, so an e-mail, a phone number or a WeChat id is never a way to find someone."""
    education = [" ".join(filter(None, [e.degree, e.major, e.school])) for e in candidate.education]
    experience = [" ".join(filter(None, [x.title, x.organization, x.description])) for x in candidate.experience]
    parts = [
        candidate.headline,
        "; ".join(education),
        ", ".join(candidate.skills),
        "; ".join(experience),
        candidate.summary,
        candidate.resume_text,
    ]
    return _join([contact_details.strip(part) for part in parts if part])


def job_text(job: Job) -> str:
    """Title, industry, majors, degree, description and requirements, in that order."""
    degree = DegreeLevel(job.min_degree).label_zh if job.min_degree else ""
    return _join(
        [
            job.title,
            " ".join(filter(None, [job.industry, job.enterprise_name])),
            " ".join([*job.majors, degree]),
            job.description,
            job.requirements,
        ]
    )


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
