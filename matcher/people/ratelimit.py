"""Requests a minute per API key: in the process by default, in Redis when several server processes share limits."""

import logging
import threading
import time
from typing import Protocol

import redis

from matcher.errors import RateLimited

WINDOW = 60  # seconds
log = logging.getLogger("talentbridge.ratelimit")


class RateLimiter(Protocol):
    def hit(self, who: str) -> None:
        """Count one request by `who`; RateLimited when over the limit in the current minute."""


def _refuse(limit: int, now: float) -> RateLimited:
    retry_after = max(1, int(WINDOW - now % WINDOW))
    return RateLimited(f"more than {limit} requests a minute with this key; retry in {retry_after} s", retry_after)


class MemoryRateLimiter:
    """Fixed one-minute windows counted in this process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
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
        if count > self.limit:
            raise _refuse(self.limit, now)


class RedisRateLimiter:
    """Fixed one-minute windows counted in Redis (INCR + EXPIRE), shared by every process using it."""

    def __init__(self, url: str, limit: int, namespace: str = "talentbridge:rate") -> None:
        self.limit = limit
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
        if int(count) > self.limit:
            raise _refuse(self.limit, now)


def make_rate_limiter(limit: int, redis_url: str = "") -> RateLimiter:
    return RedisRateLimiter(redis_url, limit) if redis_url else MemoryRateLimiter(limit)
