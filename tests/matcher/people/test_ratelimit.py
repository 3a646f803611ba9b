"""Rate limits: per key and per minute, counted in the process or shared through a real Redis."""

import uuid

import pytest
import redis

from matcher.errors import RateLimited
from matcher.people.ratelimit import MemoryRateLimiter, RedisRateLimiter

REDIS_URL = "redis://127.0.0.1:6379/0"


def test_memory_limit_counts_each_key_apart() -> None:
    limiter = MemoryRateLimiter(limit=2)
    limiter.hit("key:a")
    limiter.hit("key:a")
    limiter.hit("key:b")
    with pytest.raises(RateLimited) as refused:
        limiter.hit("key:a")
    assert 1 <= refused.value.retry_after <= 60 and "2 requests a minute" in refused.value.message


def test_two_processes_share_one_count_in_redis() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:  # pragma: no cover - the machine runs Redis; say so if it does not
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
    namespace = f"talentbridge-test:{uuid.uuid4().hex}"
    first, second = RedisRateLimiter(REDIS_URL, 3, namespace), RedisRateLimiter(REDIS_URL, 3, namespace)
    first.hit("key:a")
    second.hit("key:a")
    first.hit("key:a")
    with pytest.raises(RateLimited):
        second.hit("key:a")  # the fourth request of the minute, whichever process serves it
    second.hit("key:b")


def test_with_redis_down_requests_are_served_and_the_failure_logged(caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", 1, "talentbridge-test:down")  # nothing listens on port 1
    limiter.hit("key:a")
    limiter.hit("key:a")  # over the limit, but unknowable: served
    assert "Redis unavailable" in caplog.text


def test_addresses_have_their_own_limit_and_are_not_told_about_a_key() -> None:
    limiter = MemoryRateLimiter(limit=5, anonymous_limit=1)
    limiter.hit("addr:198.51.100.7")
    for _ in range(5):
        limiter.hit("key:a")
    with pytest.raises(RateLimited) as anonymous:
        limiter.hit("addr:198.51.100.7")
    assert "more than 1 requests a minute from this address" in anonymous.value.message
    assert "with this key" not in anonymous.value.message
    with pytest.raises(RateLimited) as keyed:
        limiter.hit("key:a")
    assert "more than 5 requests a minute with this key" in keyed.value.message
