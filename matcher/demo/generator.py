"""Write a synthetic demo data set: fictional Zhengzhou enterprises, their jobs, and returnee candidates.

Everything is labelled synthetic (source "synthetic-demo", extras["synthetic"] = True). Universities come from
the ARWU 2025 list, majors from the 2026 undergraduate catalogue and their English names from major-aliases.csv;
people, companies and organisations are random combinations of the word parts in demo-vocabulary.jsonl (all in
matcher/data, read by matcher.demo.vocabulary). The output depends only on the seed, the counts and those files:
no clock, no global random state.
"""

import json
import random
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from matcher.demo import vocabulary as V
from matcher.demo.candidates import CandidateWriter
from matcher.demo.employers import EmployerWriter
from matcher.demo.reference import load_majors, load_universities


def _write(path: Path, records: Iterable[BaseModel]) -> Path:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for record in records:
            fh.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")
    return path


def generate(
    out_dir: Path, *, seed: int = 2026, candidates: int = 2000, jobs: int = 500, enterprises: int = 80
) -> dict[str, Path]:
    """Write enterprises.jsonl, jobs.jsonl and candidates.jsonl to out_dir; same arguments, same bytes."""
    if min(candidates, jobs, enterprises) < 0 or (jobs and not enterprises):
        raise ValueError("counts must be >= 0, and jobs need at least one enterprise")
    rng, majors, universities = random.Random(seed), load_majors(), load_universities()
    employers = EmployerWriter(rng, majors, universities)  # one generator for both writers, drawn in this order
    people_writer = CandidateWriter(rng, majors, universities)
    taken: set[str] = set()
    ents = [employers.enterprise(i, taken) for i in range(1, enterprises + 1)]
    # Every enterprise posts a job while there are enough; the other jobs go to random enterprises.
    owners = [ents[i] if i < len(ents) else employers.pick(ents) for i in range(jobs)]
    job_records = [employers.job(i, ent) for i, ent in enumerate(owners, start=1)]
    demand = Counter(str(job.extras["role"]) for job in job_records)
    roles = list(V.ROLES)
    people = [people_writer.candidate(i, roles, [demand[k] + 1.0 for k in roles]) for i in range(1, candidates + 1)]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "enterprises": _write(out_dir / "enterprises.jsonl", ents),
        "jobs": _write(out_dir / "jobs.jsonl", job_records),
        "candidates": _write(out_dir / "candidates.jsonl", people),
    }
