"""Store: upsert items through matcher's importer in batches, then bring the FAISS indexes up to date.

Unchanged items (same content as stored) are counted as unchanged and encode nothing; changed ones are
re-embedded (through the embedding cache) and the saved index is updated in place.
"""

import logging
import time
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from crawlers.items import JobPostingItem, MajorListingItem, ProfileItem
from crawlers.pipelines import CountingPipeline
from matcher.config import get_settings
from matcher.platform import Platform, index_updates
from matcher.records import CandidateRecord, EnterpriseRecord, JobRecord, MajorListingRecord, Record

log = logging.getLogger(__name__)

JOB_EXTRAS = ("enterprise_url", "valid_through", "occupational_category")


def job_record(item: JobPostingItem) -> JobRecord:
    data = {k: v for k, v in item.items() if k not in (*JOB_EXTRAS, "organization") and v is not None}
    data["extras"] = {**item.get("extras", {}), **{k: item[k] for k in JOB_EXTRAS if item.get(k)}}
    return JobRecord.model_validate(data)


def enterprise_record(item: JobPostingItem) -> EnterpriseRecord | None:
    """The hiring organisation as an enterprise, when the posting identifies it (identifier or URL)."""
    organization = item.get("organization") or {}
    if not (item.get("enterprise_external_id") and organization.get("name")):
        return None
    return EnterpriseRecord.model_validate(
        {
            "source": item["source"],
            "external_id": item["enterprise_external_id"],
            "url": organization.get("website") or None,
            "fetched_at": item.get("fetched_at"),
            "name": organization["name"],
            "location": organization.get("location") or "",
            "description": organization.get("description") or "",
            "website": organization.get("website") or None,
        }
    )


def candidate_record(item: ProfileItem) -> CandidateRecord:
    return CandidateRecord.model_validate({k: v for k, v in item.items() if v is not None})


class StorePipeline(CountingPipeline):
    def open_spider(self, spider: Any = None) -> None:
        self.platform = Platform(get_settings())
        self.platform.init()
        self._build_mappers()
        self.batch_size = self.platform.settings.crawl_batch_size
        # Enterprises come first: a job links to its enterprise when that is stored.
        self.pending: dict[str, list[Record]] = {"enterprises": [], "jobs": [], "candidates": [], "major_listings": []}
        self.enterprises_seen: set[tuple[str, str]] = set()

    def _build_mappers(self, attempts: int = 6) -> None:
        """Build the reference mappers now, before any page is fetched: built on the first batch instead, they would
        hold up the crawl long enough for requests in flight to time out. Two crawlers starting together on a fresh
        SQLite database both write the embedding cache; the one refused the lock tries again, and then finds most
        vectors cached by the other."""
        for attempt in range(1, attempts + 1):
            try:
                with self.platform.session() as session:
                    self.platform.major_mapper(session)
                    self.platform.occupation_mapper(session)
                return
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == attempts:
                    raise
                log.info("the database is busy (another crawler is writing): trying again in %d s", attempt)
                time.sleep(attempt)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        record: Record
        try:
            if isinstance(item, JobPostingItem):
                kind, record = "jobs", job_record(item)
                enterprise = enterprise_record(item)
                if enterprise and (enterprise.source, enterprise.external_id) not in self.enterprises_seen:
                    self.enterprises_seen.add((enterprise.source, enterprise.external_id))
                    self.pending["enterprises"].append(enterprise)
            elif isinstance(item, ProfileItem):
                kind, record = "candidates", candidate_record(item)
            elif isinstance(item, MajorListingItem):
                kind, record = "major_listings", MajorListingRecord.model_validate(dict(item))
            else:
                return item
        except ValidationError as exc:
            where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "record"
            raise self.drop(f"invalid_{where}", str(item.get("url"))) from None
        self.pending[kind].append(record)
        if len(self.pending[kind]) >= self.batch_size:
            if kind == "jobs":
                self.flush("enterprises")
            self.flush(kind)
        return item

    def close_spider(self, spider: Any = None) -> None:
        for kind in self.pending:
            self.flush(kind)
        self.platform.close()

    def flush(self, kind: str) -> None:
        """Store the pending items of `kind`; a batch the database refuses is counted and logged, not lost silently."""
        records, self.pending[kind] = self.pending[kind], []
        if not records:
            return
        try:
            with self.platform.session(write=True) as session:
                report = self.platform.importer(session, kind).run_records(records)
        except SQLAlchemyError as exc:
            self.stats.inc_value("talent/store_failed", len(records))
            log.error("storing %d %s failed: %s", len(records), kind, exc.__class__.__name__)
            return
        for outcome in ("inserted", "updated", "unchanged"):
            self.stats.inc_value(f"talent/stored/{outcome}", getattr(report, outcome))
        self.stats.inc_value(f"talent/records/{kind}", report.inserted + report.updated + report.unchanged)
        if report.errors:
            self.stats.inc_value("talent/dropped/refused_by_database", len(report.errors))
        for update in index_updates(session).values():
            # The rows are stored; on failure the next update (any import or crawl) repairs the index from the table.
            if update.problem:
                self.stats.inc_value("talent/index_update_failed")
                log.error("%s", update.problem)
            elif update.encoded is not None:
                self.stats.inc_value("talent/encoded", update.encoded)
