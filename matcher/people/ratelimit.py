"""Requests a minute per API key, and per client address for callers without a key: counted in the process by
default, in Redis when several server processes share limits.

A bucket is named `key:<prefix>` or `addr:<address>`; every anonymous caller behind one address shares its bucket,
which has its own limit (TALENT_API_ANONYMOUS_RATE_LIMIT)."""

import logging
import threading
import time
from typing import Protocol

import redis

from matcher.errors import RateLimited

WINDOW = 60  # seconds
log = logging.getLogger("talentbridge.ratelimit")


ADDRESS = "addr:"


class RateLimiter(Protocol):
    def hit(self, who: str) -> None:
        """Count one request by `who` (a `key:` or `addr:` bucket); RateLimited when over its limit this minute."""


def key_bucket(key_prefix: str) -> str:
    return f"key:{key_prefix}"


def address_bucket(address: str) -> str:
    return f"{ADDRESS}{address}"


class Limits:
    """The per-minute limit of a bucket: one for API keys, one for the addresses of callers without a key."""

    def __init__(self, per_key: int, per_address: int | None = None) -> None:
        self.per_key = per_key
        self.per_address = per_key if per_address is None else per_address

    def of(self, who: str) -> int:
        return self.per_address if who.startswith(ADDRESS) else self.per_key


def _refuse(who: str, limit: int, now: float) -> RateLimited:
    retry_after = max(1, int(WINDOW - now % WINDOW))
    whose = "from this address without a key" if who.startswith(ADDRESS) else "with this key"
    return RateLimited(
        f"more than {limit} requests a minute {whose}; retry in {retry_after} s",
        retry_after,
        "rate_limited_address" if who.startswith(ADDRESS) else "rate_limited_key",
        limit=limit,
    )


class MemoryRateLimiter:
    """Fixed one-minute windows counted in this process."""

    def __init__(self, limit: int, anonymous_limit: int | None = None) -> None:
        self.limits = Limits(limit, anonymous_limit)
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def hit(self, who: str) -> None:
        now = time.time()
        window = int(now // WINDOW)
        with self._lock:
            seen_window, count = self._counts.get(who, (window, 0))
            count = count + 1 if seen_window == window else 1
            self._counts[who] = (window, count)
            if len(self._counts) > 100_000:  # forget finished windows
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
        if count > self.limits.of(who):
            raise _refuse(who, self.limits.of(who), now)


class RedisRateLimiter:
    """Fixed one-minute windows counted in Redis (INCR + EXPIRE), shared by every process using it."""

    def __init__(
        self, url: str, limit: int, namespace: str = "talentbridge:rate", anonymous_limit: int | None = None
    ) -> None:
        self.limits = Limits(limit, anonymous_limit)
        self.namespace = namespace
        self._redis = redis.Redis.from_url(url, socket_timeout=2)

    def hit(self, who: str) -> None:
        now = time.time()
        key = f"{self.namespace}:{who}:{int(now // WINDOW)}"
        pipeline = self._redis.pipeline()
        pipeline.incr(key)
        pipeline.expire(key, WINDOW + 5)
        try:
            count, _ = pipeline.execute()
        except redis.RedisError as exc:  # the limiter must not take the API down with it: serve, and say so
            log.warning("rate limit not checked, Redis unavailable: %s", exc)
            return
        if int(count) > self.limits.of(who):
            raise _refuse(who, self.limits.of(who), now)


def make_rate_limiter(limit: int, redis_url: str = "", anonymous_limit: int | None = None) -> RateLimiter:
    if redis_url:
        return RedisRateLimiter(redis_url, limit, anonymous_limit=anonymous_limit)
    return MemoryRateLimiter(limit, anonymous_limit)
