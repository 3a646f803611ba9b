"""One typed Settings class (env prefix TALENT_), read through a cached get_settings()."""

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable about TalentBridge; each field is also an env var `TALENT_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="TALENT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("var"), description="Where the SQLite file, indexes and demo files live.")
    database_url: str = Field("", description="SQLAlchemy URL; empty means sqlite:///<data_dir>/talent.db.")
    encoder: str = Field(
        "use-multilingual",
        description="Encoder name: 'use-multilingual' or 'sentence-transformers:<model name or path>'.",
    )
    encode_batch_size: int = Field(64, ge=1, le=4096)
    encoder_threads: int = Field(2, ge=1, le=64, description="BLAS threads for the bundled multilingual model.")

    index_exact_threshold: int = Field(
        20_000, ge=1, description="Collections up to this size use an exact index; larger ones use IVF."
    )
    index_target_recall: float = Field(
        0.95, gt=0, le=1, description="Recall@10 the approximate index is tuned to reach at build time."
    )

    weight_dense: float = Field(0.6, ge=0, description="Weight of embedding similarity in the hybrid score.")
    weight_lexical: float = Field(0.2, ge=0, description="Weight of BM25 (jieba + English words) in the score.")
    weight_structured: float = Field(0.2, ge=0, description="Weight of degree/major/location fit in the score.")
    dense_correction: Literal["language-centring", "none"] = Field(
        "language-centring",
        description="Take the language out of the embeddings (centre them, remove the direction that separates "
        "Chinese- from English-written texts) so a profile ranks the same in either language; 'none' to compare "
        "raw embeddings. A change rebuilds the indexes at the next update (or run `talent index build`).",
    )
    feed_poll_interval: float = Field(
        1.0,
        gt=0,
        le=60,
        description="Seconds between checks of the change feed by a serving process (PostgreSQL notifications wake "
        "it sooner): how long another process's write can take to be found here.",
    )
    snapshot_every: int = Field(
        10_000, ge=1, description="Changes applied before a serving process saves its indexes as the newest snapshot."
    )
    snapshot_interval: float = Field(
        600, gt=0, description="Seconds after which a serving process saves a snapshot if anything changed."
    )
    change_log_days: int = Field(
        7, ge=1, le=3650, description="Days the change log is kept; a replica whose snapshot is older rebuilds."
    )
    retrieval_depth: int = Field(
        200, ge=10, le=100_000, description="Candidates drawn from each retriever before re-ranking."
    )

    link_people: bool = Field(
        True,
        description="Link candidate records that are one person (a shared e-mail, phone or ORCID iD, or a sure "
        "score on names, schools and profiles) as they are imported; unsure pairs wait in the office's review queue.",
    )

    crawl_user_agent: str = Field(
        "TalentBridgeBot/0.1 (+https://github.com/talentbridge/talentbridge; talent matching for returnee graduates)",
        description="The User-Agent crawlers send: say who you are and how to reach you.",
    )
    crawl_concurrency_per_domain: int = Field(2, ge=1, le=32)
    crawl_download_delay: float = Field(0.5, ge=0, le=60, description="Seconds between requests to one site.")
    crawl_timeout: float = Field(20, gt=0, le=600, description="Seconds before a request times out.")
    crawl_deny_domains: list[str] = Field(
        default_factory=lambda: ["linkedin.com", "facebook.com", "instagram.com", "maimai.cn", "liepin.com"],
        description="Domains never crawled (their terms forbid scraping profiles); subdomains included.",
    )
    crawl_batch_size: int = Field(50, ge=1, le=10_000, description="Items stored per database transaction.")
    crawl_redis_url: str = Field("", description="Redis URL for the shared queue of distributed crawls.")

    priority_config: Path | None = Field(
        None, description="Industries and weights of the priority-major list (YAML); default: the packaged file."
    )

    certification_config: Path | None = Field(
        None, description="Talent certification criteria (YAML); default: the packaged file (docs/certification.md)."
    )
    policy_catalogue: Path | None = Field(
        None, description="Policies, amounts and partner rewards (YAML); default: the packaged file."
    )
    api_rate_limit: int = Field(600, ge=1, le=1_000_000, description="Requests a minute per API key.")
    api_anonymous_rate_limit: int = Field(
        600,
        ge=1,
        le=1_000_000,
        description="Requests a minute per client address without a key (sign-up, the public reference routes, the "
        "console's sign-in page, and wrong keys). Every anonymous caller behind one address (a campus or office NAT, "
        "a proxy not listed in TALENT_TRUSTED_PROXIES) shares this one bucket: size it for the largest such group.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies in front of the API, comma-separated (e.g. "
        "'10.0.0.5,192.168.1.0/24'). Only a request arriving from one of them has its client address taken from "
        "X-Forwarded-For; empty (the default): the header is ignored and the connecting address counts.",
    )
    redis_url: str = Field(
        "", description="Redis URL for rate limits shared by several API processes; empty: per process."
    )
    attribution_days: int = Field(
        180, ge=1, le=3650, description="How long a partner's first referral of a candidate to an employer owns it."
    )
    time_zone: str = Field(
        "Asia/Shanghai",
        description="The IANA time zone the console shows times and dates in (stored times are UTC); the zone is "
        "named next to each time.",
    )
    console_session_hours: int = Field(
        12,
        ge=1,
        le=24 * 30,
        description="Hours a console sign-in lasts at most (the session's absolute lifetime and its cookie's "
        "Max-Age); then the browser signs in again with its API key.",
    )
    console_idle_minutes: int = Field(
        120,
        ge=5,
        le=24 * 60 * 30,
        description="Minutes without a console page after which the session ends (the idle timeout; the last page "
        "seen is recorded at most once a minute).",
    )

    db_pool_size: int = Field(
        10,
        ge=1,
        le=1000,
        description="Database connections a process keeps open: an API request holds one while it runs (its audit "
        "entries included, so it never needs a second).",
    )
    db_max_overflow: int = Field(
        10, ge=0, le=1000, description="Connections opened beyond db_pool_size at busy times, closed once returned."
    )
    db_pool_timeout: float = Field(
        5,
        gt=0,
        le=300,
        description="Seconds a request waits for a free connection when all are in use; then it is answered 503 "
        "with Retry-After (the database is busy) instead of waiting on.",
    )
    db_lock_timeout: float = Field(
        10,
        ge=0,
        le=600,
        description="SQLite only: seconds a writer waits for another connection's (or process's) write lock; then "
        "the request is answered 503 with Retry-After, the command fails saying the database is busy.",
    )

    api_host: str = "127.0.0.1"
    api_port: int = Field(8000, ge=1, le=65535)
    api_max_body_bytes: int = Field(
        8 * 1024 * 1024,
        ge=1024,
        le=2**31,
        description="Largest request body accepted (a résumé upload is at most 5 MB); a larger one is answered 413 "
        "before it is read: by its Content-Length, or as soon as a streamed body passes it.",
    )
    api_threads: int = Field(
        40,
        ge=1,
        le=1000,
        description="Requests one API process works on at once (the threads of its routes); more wait, unparsed, in "
        "its event loop. Ranking is CPU work under Python's lock: on a machine whose database is local, few threads "
        'waste less time taking turns (docs/operations.md, "Benchmark").',
    )
    api_resume_readers: int = Field(
        2,
        ge=1,
        le=64,
        description="Résumé uploads one API process reads (unpacks and extracts) at once, in threads of their own; "
        "more wait their turn holding no database connection or lock. Each read is capped (10 MB of DOCX XML, 4 MB "
        "a PDF page, 50,000 characters) to a few seconds and tens of MB, so this bounds what uploads can take.",
    )

    @field_validator("encoder")
    @classmethod
    def _encoder_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("TALENT_ENCODER must name an encoder, e.g. 'use-multilingual'")
        return value.strip()

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError, OSError):  # unknown, malformed, a directory ("Asia")
            raise ValueError(
                f"TALENT_TIME_ZONE must be an IANA time zone such as Asia/Shanghai, not {value!r}"
            ) from None
        return value.strip()

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_networks(cls, value: object) -> list[str]:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ValueError("TALENT_TRUSTED_PROXIES must be addresses or networks, comma-separated")
        networks = []
        for item in items:
            text = str(item).strip()
            if not text:
                continue
            try:
                networks.append(str(ipaddress.ip_network(text, strict=False)))
            except ValueError:
                raise ValueError(f"TALENT_TRUSTED_PROXIES: {text!r} is not an IP address or network") from None
        return networks

    @model_validator(mode="after")
    def _weights_positive(self) -> "Settings":
        if self.weight_dense + self.weight_lexical + self.weight_structured <= 0:
            raise ValueError("at least one of the score weights must be positive")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file inside data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'talent.db').as_posix()}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "indexes"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests call `get_settings.cache_clear()` after changing the env."""
    return Settings()
