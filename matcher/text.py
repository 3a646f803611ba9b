"""How a candidate or a job becomes the text we embed and index: deterministic, so its hash is stable."""

import hashlib

from matcher.degrees import DegreeLevel
from matcher.store.models import Candidate, Job


def _join(parts: list[str]) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def candidate_text(candidate: Candidate) -> str:
    """Headline, education (degree, major, school), skills, experience, summary and résumé, in that order."""
    education = [" ".join(filter(None, [e.degree, e.major, e.school])) for e in candidate.education]
    experience = [" ".join(filter(None, [x.title, x.organization, x.description])) for x in candidate.experience]
    return _join(
        [
            candidate.headline,
            "; ".join(education),
            ", ".join(candidate.skills),
            "; ".join(experience),
            candidate.summary,
            candidate.resume_text,
        ]
    )


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
