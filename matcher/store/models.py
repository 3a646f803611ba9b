"""SQLAlchemy 2.0 models. Every imported row keeps where it came from: source, external_id, url, times."""

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from matcher.records import EMPLOYMENT_SYNONYMS, EMPLOYMENT_TYPES
from matcher.store.types import BigId, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON, list[dict[str, Any]]: JSON}


class Provenance:
    """Where a row came from. (source, external_id) is unique per table; record_hash detects real changes."""

    source: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    record_hash: Mapped[str] = mapped_column(String(64))
    extras: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Enterprise(Provenance, Base):
    __tablename__ = "enterprises"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_enterprises_source_external_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    industry: Mapped[str] = mapped_column(String(300), default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))

    jobs: Mapped[list["Job"]] = relationship(back_populates="enterprise_row")


class Job(Provenance, Base):
    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_jobs_source_external_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    enterprise_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("enterprises.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    enterprise_ref: Mapped[str | None] = mapped_column(String(200), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(300), default="")
    industry: Mapped[str] = mapped_column(String(300), default="", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    majors: Mapped[list[str]] = mapped_column(default=list)
    major_codes: Mapped[list[str]] = mapped_column(default=list)
    # Where major_codes came from: "given" (the record's majors), "text" (its requirements), "inferred" (title).
    major_source: Mapped[str] = mapped_column(String(10), default="")
    min_degree: Mapped[int] = mapped_column(Integer, default=0)
    location: Mapped[str] = mapped_column(String(300), default="")
    salary_min: Mapped[float | None] = mapped_column(Float)
    salary_max: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    salary_period: Mapped[str] = mapped_column(String(10), default="month")
    posted_at: Mapped[date | None] = mapped_column(Date)
    text_hash: Mapped[str] = mapped_column(String(64), default="")
    lexical_tokens: Mapped[list[str]] = mapped_column(default=list)
    # The CSCO 2022 occupation the title names, set on import: a detailed occupation, or its minor or middle group
    # when only the group is sure enough; empty when the coder was unsure (occupation_confidence set) or never ran.
    occupation_code: Mapped[str | None] = mapped_column(String(12), index=True)
    occupation_confidence: Mapped[float | None] = mapped_column(Float)  # calibrated: the share right at this level
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # an enterprise closed it: no new referrals

    enterprise_row: Mapped[Enterprise | None] = relationship(back_populates="jobs")

    @property
    def employer(self) -> str:
        """The hiring organisation's name: as the posting gives it, else the linked enterprise's."""
        return self.enterprise_name or (self.enterprise_row.name if self.enterprise_row else "")

    # The terms beyond pay, kept in extras (matcher.records.TERMS): what reads as such, else None.
    @property
    def openings(self) -> int | None:
        value = (self.extras or {}).get("openings", (self.extras or {}).get("headcount"))
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    @property
    def experience_years(self) -> float | None:
        extras = self.extras or {}
        years, months = extras.get("experience_years"), extras.get("experience_months")
        if isinstance(years, int | float) and not isinstance(years, bool) and years >= 0:
            return float(years)
        if isinstance(months, int | float) and not isinstance(months, bool) and months >= 0:
            return round(months / 12, 1)
        return None

    @property
    def employment_type(self) -> str | None:
        value = (self.extras or {}).get("employment_type")
        if not isinstance(value, str):
            return None
        key = value.strip().lower().replace("-", "_").replace(" ", "_")  # a crawled schema.org FULL_TIME, INTERN
        key = EMPLOYMENT_SYNONYMS.get(key, key)
        return key if key in EMPLOYMENT_TYPES else None

    @property
    def valid_through(self) -> date | None:
        value = (self.extras or {}).get("valid_through")
        try:
            return date.fromisoformat(value[:10]) if isinstance(value, str) else None
        except ValueError:
            return None


class Candidate(Provenance, Base):
    __tablename__ = "candidates"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_candidates_source_external_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    headline: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list[str]] = mapped_column(default=list)
    location: Mapped[str] = mapped_column(String(300), default="")
    preferred_locations: Mapped[list[str]] = mapped_column(default=list)
    industries: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    email: Mapped[str | None] = mapped_column(String(300))
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    resume_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # from an uploaded résumé
    birth_year: Mapped[int | None] = mapped_column(Integer)  # for the age limit of young-talent certification
    visible: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )  # False: the candidate hid their profile
    highest_degree: Mapped[int] = mapped_column(Integer, default=0, index=True)
    text_hash: Mapped[str] = mapped_column(String(64), default="")
    lexical_tokens: Mapped[list[str]] = mapped_column(default=list)
    # The person this record belongs to: the smallest id among the records linked with it (matcher/identity/
    # linking.py); None for a record linked with no other (its own id is its person).
    person_id: Mapped[int | None] = mapped_column(BigId, index=True)

    education: Mapped[list["Education"]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", order_by="Education.position"
    )
    experience: Mapped[list["Experience"]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", order_by="Experience.position"
    )

    @property
    def major_codes(self) -> list[str]:
        return [e.major_code for e in self.education if e.major_code]


class Education(Base):
    __tablename__ = "education"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    school: Mapped[str] = mapped_column(String(300), default="")
    degree: Mapped[str] = mapped_column(String(300), default="")
    degree_level: Mapped[int | None] = mapped_column(Integer)
    major: Mapped[str] = mapped_column(String(300), default="")
    major_code: Mapped[str | None] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(300), default="")
    end_year: Mapped[int | None] = mapped_column(Integer)

    candidate: Mapped[Candidate] = relationship(back_populates="education")


class Experience(Base):
    __tablename__ = "experience"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300), default="")
    organization: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[str] = mapped_column(String(20), default="")
    end: Mapped[str] = mapped_column(String(20), default="")

    candidate: Mapped[Candidate] = relationship(back_populates="experience")


class Major(Base):
    """A major of the national undergraduate catalogue (普通高等学校本科专业目录)."""

    __tablename__ = "majors"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    class_code: Mapped[str] = mapped_column(String(6), index=True)
    class_name: Mapped[str] = mapped_column(String(100))
    category_code: Mapped[str] = mapped_column(String(4))
    category_name: Mapped[str] = mapped_column(String(100))
    special: Mapped[bool] = mapped_column(Boolean, default=False)
    controlled: Mapped[bool] = mapped_column(Boolean, default=False)
    degree_note: Mapped[str | None] = mapped_column(String(200))
    employment_directions: Mapped[list[str]] = mapped_column(default=list)
    graduate_disciplines: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    school_count: Mapped[int | None] = mapped_column(Integer)


class Occupation(Base):
    """An occupation of the national classification (中华人民共和国职业分类大典, 2022): levels 1 (大类) to 4 (细类)."""

    __tablename__ = "occupations"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)  # 2-02-10-03
    level: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    tasks: Mapped[str] = mapped_column(Text, default="")
    parent_code: Mapped[str | None] = mapped_column(String(12), index=True)
    green: Mapped[bool] = mapped_column(Boolean, default=False)  # 绿色职业, marked L in the classification
    digital: Mapped[bool] = mapped_column(Boolean, default=False)  # 数字职业, marked S


class PrioritySnapshot(Base):
    """The priority-major list as computed for one period (e.g. 2026-11), kept to show how it changes."""

    __tablename__ = "priority_snapshots"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    period: Mapped[str] = mapped_column(String(20), unique=True)
    as_of: Mapped[date] = mapped_column(Date)
    config_hash: Mapped[str] = mapped_column(String(12))
    jobs_counted: Mapped[int] = mapped_column(Integer)
    candidates_counted: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entries: Mapped[list["PrioritySnapshotEntry"]] = relationship(
        cascade="all, delete-orphan", order_by="PrioritySnapshotEntry.rank"
    )


class PrioritySnapshotEntry(Base):
    __tablename__ = "priority_snapshot_entries"

    snapshot_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("priority_snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    major_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)
    stars: Mapped[int] = mapped_column(Integer)
    shortage: Mapped[float] = mapped_column(Float)
    demand: Mapped[float] = mapped_column(Float)
    supply: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)


class EmbeddingCache(Base):
    """Embeddings by (encoder, sha256 of the text): unchanged text is never encoded twice."""

    __tablename__ = "embedding_cache"

    encoder: Mapped[str] = mapped_column(String(300), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    dimension: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PlatformMeta(Base):
    """Facts about this database, such as the dataset id every index built from it is stamped with."""

    __tablename__ = "platform_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))


class ChangeLogEntry(Base):
    """One candidate or job written or deleted, in the same transaction as the row (matcher.store.feed): every
    process applies the log, in sequence order, to its in-memory indexes. The sequence never goes back and is never
    reused (AUTOINCREMENT on SQLite, an identity on PostgreSQL)."""

    __tablename__ = "change_log"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy's declarative attribute

    sequence: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    row_id: Mapped[int] = mapped_column(BigId)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class MajorListing(Provenance, Base):
    """A major as a crawled list shows it: a catalogue table row or a university's list of majors."""

    __tablename__ = "major_listings"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_major_listings_source_external_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(20), default="")
    class_name: Mapped[str] = mapped_column(String(300), default="")
    category_name: Mapped[str] = mapped_column(String(300), default="")
    university: Mapped[str] = mapped_column(String(300), default="", index=True)
    major_code: Mapped[str | None] = mapped_column(String(10), index=True)


class Organization(Base):
    """A talent partner (headhunting firm) or an enterprise: what consents and referrals are given to."""

    __tablename__ = "organizations"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_organizations_kind_name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # partner | enterprise
    name: Mapped[str] = mapped_column(String(300))
    enterprise_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("enterprises.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Account(Base):
    """A user: the office (admin), a partner firm's or an enterprise's staff member, or a candidate."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(300))
    organization_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("candidates.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organization: Mapped[Organization | None] = relationship()
    keys: Mapped[list["ApiKey"]] = relationship(back_populates="account", cascade="all, delete-orphan")


class ApiKey(Base):
    """An API key: only its SHA-256 and its first characters are stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    account: Mapped[Account] = relationship(back_populates="keys")


class ConsoleSession(Base):
    """A browser signed in to the console with an API key (matcher.people.console_sessions): its cookie holds a
    random token of which only the SHA-256 is stored. The form token is random per session. A session ends at
    `expires_at`, after the idle timeout since `last_seen_at`, when revoked (sign-out, a new sign-in in the same
    browser, its key revoked), and with its key (ON DELETE CASCADE)."""

    __tablename__ = "console_sessions"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy's declarative attribute

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    api_key_id: Mapped[int] = mapped_column(BigId, ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    api_key: Mapped[ApiKey] = relationship()


class AuditEvent(Base):
    """Who did what to which record ("candidate:12"); no personal data, so it outlives an erasure."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_account_id: Mapped[int | None] = mapped_column(BigId, index=True)  # kept even if the account goes
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(50), index=True)
    subject: Mapped[str] = mapped_column(String(100), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PersonLink(Base):
    """What is known of two candidate records being one person: linked (by a shared identifier, a sure score or the
    office), for review (a score between the thresholds) or kept apart (the office's verdict, never linked again).
    `first_id` < `second_id`; the people are the groups the linked pairs join (candidates.person_id)."""

    __tablename__ = "person_links"
    __table_args__ = (UniqueConstraint("first_id", "second_id", name="uq_person_links_first_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    first_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)  # linked, review, apart
    score: Mapped[float | None] = mapped_column(Float)  # None: an identifier in common, or the office's word alone
    reasons: Mapped[list[str]] = mapped_column(default=list)
    decided_by: Mapped[str] = mapped_column(String(20))  # identifier, score or office
    actor_account_id: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IdentityKey(Base):
    """A key a candidate record is filed under for finding its possible duplicates (an identifier, a name key, a
    name key with a school or employer: matcher.identity.resolution.block_keys)."""

    __tablename__ = "identity_keys"

    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(400), primary_key=True, index=True)


class Consent(Base):
    """A candidate lets one organization see their name and contact details (withdrawable)."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("candidate_id", "organization_id", name="uq_consents_candidate_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(BigId, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(50), default="contact")
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Referral(Base):
    """A partner firm's referral of a candidate to a job, and the stage it has reached."""

    __tablename__ = "referrals"
    __table_args__ = (UniqueConstraint("partner_id", "candidate_id", "job_id", name="uq_referrals_partner_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    referred_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="SET NULL"))
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[int] = mapped_column(BigId, ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    employer_key: Mapped[str] = mapped_column(String(320))
    stage: Mapped[str] = mapped_column(String(20), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the candidate accepted it
    tier: Mapped[str | None] = mapped_column(String(5))  # the certified hire's tier (set at `certified`)
    reward: Mapped[int | None] = mapped_column(Integer)  # CNY owed to the partner for it; paid at `rewarded`
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    job: Mapped[Job] = relationship()
    events: Mapped[list["ReferralEvent"]] = relationship(
        cascade="all, delete-orphan", order_by="ReferralEvent.id", passive_deletes=True
    )


class ReferralEvent(Base):
    """One move of a referral: the stage it entered, when, by whom."""

    __tablename__ = "referral_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    referral_id: Mapped[int] = mapped_column(BigId, ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_account_id: Mapped[int | None] = mapped_column(BigId)


class Attribution(Base):
    """Which partner owns a (candidate, employer) placement, since when and until when: one row per pair."""

    __tablename__ = "attributions"
    __table_args__ = (UniqueConstraint("candidate_id", "employer_key", name="uq_attributions_candidate_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"))
    employer_key: Mapped[str] = mapped_column(String(320))
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    referral_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("referrals.id", ondelete="SET NULL"))
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SavedSearch(Base):
    """A partner's search kept to run again: the text and filters, by firm."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(BigId, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(String(2000))
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ShortlistEntry(Base):
    """A candidate a partner firm shortlisted for a job (before referring them)."""

    __tablename__ = "shortlist_entries"
    __table_args__ = (
        UniqueConstraint("organization_id", "job_id", "candidate_id", name="uq_shortlist_entries_organization_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(BigId, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[int] = mapped_column(BigId, ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    candidate: Mapped[Candidate] = relationship()


class Feedback(Base):
    """监督反馈: a candidate, enterprise or partner raises something about a referral or a policy; the office
    answers and closes it."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )  # an erased candidate's feedback goes with them
    author_role: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(20))  # referral | policy
    referral_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("referrals.id", ondelete="SET NULL"))
    policy_key: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open | answered | closed
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TierOverride(Base):
    """The talent office sets a candidate's certification tier other than the criteria give (None: no tier), with
    its reason; the tier the criteria gave when it was set is kept beside it. One per candidate, gone with them."""

    __tablename__ = "tier_overrides"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"), unique=True)
    tier: Mapped[str | None] = mapped_column(String(5))  # the tier the office set; None: no tier
    computed_tier: Mapped[str | None] = mapped_column(String(5))  # what the criteria gave when it was set
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ContactRequest(Base):
    """An enterprise or partner firm asks a candidate to share their name and contact details; accepting grants
    that organization the candidate's consent, declining leaves them masked."""

    __tablename__ = "contact_requests"
    __table_args__ = (
        Index(
            "uq_contact_requests_pending",
            "organization_id",
            "candidate_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(BigId, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("jobs.id", ondelete="SET NULL"))
    requested_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending | accepted | declined
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organization: Mapped[Organization] = relationship()
    job: Mapped[Job | None] = relationship()


class Interest(Base):
    """A candidate tells an employer they are interested in one of its jobs, consenting (matcher.partners.interests)
    to that employer seeing their name and contact details: one row per candidate and job, withdrawn (and
    expressed again) in place."""

    __tablename__ = "interests"
    __table_args__ = (UniqueConstraint("candidate_id", "job_id", name="uq_interests_candidate_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("candidates.id", ondelete="CASCADE"))
    job_id: Mapped[int] = mapped_column(BigId, ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(BigId, ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    job: Mapped[Job] = relationship()
    organization: Mapped[Organization] = relationship()


# Ids are never reused (an erased person's id must not name the next sign-up): on SQLite every table keyed by an
# integer id is AUTOINCREMENT (migration 0010); PostgreSQL's sequences never go back anyway.
for _table in Base.metadata.tables.values():
    if [column.name for column in _table.primary_key.columns] == ["id"]:
        _table.dialect_kwargs["sqlite_autoincrement"] = True
