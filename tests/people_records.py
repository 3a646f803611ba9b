"""Candidate records for the tests of one person's records (API, console): one person from two sources that share
her ORCID iD (linked at once), and a pair with a name across scripts and one school (left for the office)."""

import json
from typing import Any

from sqlalchemy import select

from matcher.platform import Platform
from matcher.store.models import Candidate

ORCID = "0000-0002-1825-0097"
RECORDS: list[dict[str, Any]] = [
    {"source": "orcid", "external_id": ORCID, "name": "Wenjing Li", "headline": "Hyperspectral remote sensing",
     "extras": {"orcid": ORCID}},
    {"source": "partner", "external_id": "p-1", "name": "李文静", "headline": "高光谱遥感",
     "summary": f"ORCID {ORCID}"},
    {"source": "crawl", "external_id": "z-1", "name": "Zhang Haoran", "headline": "Bridge structural design engineer",
     "education": [{"school": "Imperial College London", "degree": "MSc", "end_year": 2024}]},
    {"source": "partner", "external_id": "z-2", "name": "张浩然", "headline": "土木工程施工管理",
     "education": [{"school": "帝国理工学院", "degree": "硕士"}]},
]  # fmt: skip


def import_records(platform: Platform) -> list[int]:
    """RECORDS imported (and linked) through the real importer; their ids in order: ORCID record, partner record,
    and the pair waiting for review."""
    with platform.session() as session:
        assert platform.importer(session, "candidates").run([json.dumps(r, ensure_ascii=False) for r in RECORDS]).ok
    with platform.session() as session:
        found = dict(session.execute(select(Candidate.external_id, Candidate.id)).all())
    return [found[r["external_id"]] for r in RECORDS]
