"""Jobs normalized against the reference lists: their occupation (CSCO 2022) and the majors they ask for.

The importer does this for each job it stores; `renormalize_jobs` does it again for every stored job, which
`Platform.init` runs when NORMALIZATION_VERSION differs from what the database last saw.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.reference.job_majors import JobMajors
from matcher.reference.occupations import OccupationMapper
from matcher.store.models import Job

# Bumped when the classification, the catalogue or the way jobs are mapped to them changes.
NORMALIZATION_VERSION = "csco-2022/5 majors-2026/3"  # /5: audited titles, ranker retrained; /3: major variants


def renormalize_jobs(session: Session, occupations: OccupationMapper, majors: JobMajors, batch: int = 500) -> int:
    """Set every stored job's occupation and majors from its title, majors and requirements; returns the count."""
    ids = session.scalars(select(Job.id).order_by(Job.id)).all()
    for start in range(0, len(ids), batch):
        jobs = session.scalars(select(Job).where(Job.id.in_(ids[start : start + batch])).order_by(Job.id)).all()
        guesses = occupations.guesses(session, [job.title for job in jobs])
        found = majors.for_jobs([(job.title, job.majors, f"{job.requirements}\n{job.description}") for job in jobs])
        for job, guess, job_majors in zip(jobs, guesses, found, strict=True):
            job.occupation_code = guess.code if guess else None
            job.occupation_confidence = guess.confidence if guess else None
            job.major_codes, job.major_source = job_majors.codes, job_majors.source
        session.flush()
    return len(ids)
