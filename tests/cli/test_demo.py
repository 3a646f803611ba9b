"""`talent demo`, what `make run` does: the synthetic demo published on the local demo site and crawled in.

Runs in a subprocess (the crawls start Twisted's reactor, which starts once per process), on both databases.
"""

import json
import re
from collections.abc import Callable

from sqlalchemy import func, select

from matcher.degrees import parse_degree
from matcher.demo.profile_pages import highest_level
from matcher.people import accounts
from matcher.platform import Platform
from matcher.records import CandidateRecord, JobRecord
from matcher.store.models import Candidate, Enterprise, Job, MajorListing, Referral
from tests.processes import run_talent

COUNTS = ("--candidates", "40", "--jobs", "15", "--enterprises", "5")


def items(output: str, spider: str) -> tuple[int, ...]:
    """(stored, updated, unchanged, encoded) from the summary of one crawl."""
    block = output.split(f"crawl {spider}:", 1)[1]
    found = re.search(r"items: (\d+) stored, (\d+) updated, (\d+) unchanged; (\d+) texts encoded", block)
    assert found, output
    return tuple(int(n) for n in found.groups())


def test_demo_is_crawled_from_the_demo_site_and_matches_the_generated_data(
    platform: Platform, clear_embedding_cache: Callable[[], None]
) -> None:
    clear_embedding_cache()  # the cache is shared by the session's tests; count this test's encodings
    first = run_talent(platform.settings, "demo", *COUNTS)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "crawling http://127.0.0.1:" in first.stdout
    assert items(first.stdout, "majors") == (883, 0, 0, 0)
    assert items(first.stdout, "jobs_sitemap") == (20, 0, 0, 15)  # 15 jobs and their 5 enterprises
    assert items(first.stdout, "profiles") == (40, 0, 0, 40)
    assert "candidates index: 40 vectors" in first.stdout and "jobs index: 15 vectors" in first.stdout

    demo = platform.settings.data_dir / "demo"
    jobs = [JobRecord.model_validate_json(line) for line in (demo / "jobs.jsonl").read_text("utf-8").splitlines()]
    people = [
        CandidateRecord.model_validate_json(x) for x in (demo / "candidates.jsonl").read_text("utf-8").splitlines()
    ]
    with platform.session() as session:
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 5
        assert session.scalar(select(func.count()).select_from(MajorListing)) == 883
        stored = {job.external_id: job for job in session.scalars(select(Job))}
        assert set(stored) == {job.external_id for job in jobs}
        for job in jobs:
            row = stored[job.external_id]
            assert row.source == "synthetic-demo" and row.title == job.title and row.enterprise_id is not None
            assert row.min_degree == int(parse_degree(job.min_degree or "none") or 0)
            assert (row.salary_min, row.salary_max, row.majors) == (job.salary_min, job.salary_max, job.majors)
        candidates = {c.name: c for c in session.scalars(select(Candidate))}
        assert len(candidates) == len(people) == 40  # names are unique in this small set
        for person in people:
            row = candidates[person.name]
            assert row.source == "synthetic-demo" and row.skills == person.skills
            assert row.highest_degree == int(highest_level(person))
            if row.external_id.startswith("cand-"):  # a profile page: preferences come along
                assert (row.preferred_locations, row.industries) == (person.preferred_locations, person.industries)
            else:  # an ORCID record: ORCID holds no preferences
                assert re.fullmatch(r"0000-0000-\d{4}-\d{3}[\dX]", row.external_id)

    found = run_talent(platform.settings, "search", "jobs", "工程师", "--json", "-n", "3")
    assert found.returncode == 0 and json.loads(found.stdout)

    # One API key per role, written once for the person trying the demo; each names its role.
    keys_file = platform.settings.data_dir / "demo-keys.json"
    assert f"written to {keys_file}" in first.stdout and keys_file.stat().st_mode & 0o077 == 0
    keys = json.loads(keys_file.read_text(encoding="utf-8"))
    with platform.session() as session:
        for role in ("admin", "partner", "enterprise", "candidate"):
            caller = accounts.authenticate(session, keys[role]["key"])
            assert caller is not None and caller.role.value == role
            assert keys[role]["key"] not in first.stdout  # printed to the file only
        # The demo accounts' synthetic activity (tests/matcher/test_demo_activity.py checks it in detail).
        assert "demo activity (synthetic):" in first.stdout and session.scalars(select(Referral)).first()
        referrals_made = session.scalar(select(func.count()).select_from(Referral))

    # Again (the site on another port): the pages name their canonical URLs, so nothing is new.
    again = run_talent(platform.settings, "demo", *COUNTS)
    assert again.returncode == 0, again.stdout + again.stderr
    assert items(again.stdout, "majors") == (0, 0, 883, 0)
    assert items(again.stdout, "jobs_sitemap") == (0, 0, 20, 0)
    assert items(again.stdout, "profiles") == (0, 0, 40, 0)
    assert "candidates index: 40 vectors (flat), 0 encoded" in again.stdout
    assert f"kept in {keys_file}" in again.stdout and json.loads(keys_file.read_text(encoding="utf-8")) == keys
    assert "demo activity" not in again.stdout
    with platform.session() as session:
        assert session.scalar(select(func.count()).select_from(Referral)) == referrals_made
