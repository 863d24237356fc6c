"""The shared audit store for several instances: Redis (`THINKTWICE_REDIS_URL`).

Layout, all under `thinktwice:audit:`:

    day:<YYYY-MM-DD>   hash, field "<profile>|<platform>|<metric>|<key>" -> count (HINCRBY)
    days               sorted set of the days that have a hash, scored by day ordinal
    disputes           list of JSON dispute records, newest first, capped at `max_disputes`

Counts are exact for good; only the list of dispute reasons is capped (the
dispute *counts* are in the day hashes). A batch is one MULTI/EXEC, so two
instances adding at once both land, and a failed batch adds nothing.

This client is synchronous on purpose: `Audit` calls it from its own flusher
thread, never from the event loop, and the report command is a batch job.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

import redis

from .records import Count, CountKey, Dispute
from .store import AuditUnavailable

PREFIX = "thinktwice:audit:"
DAYS = PREFIX + "days"
DISPUTES = PREFIX + "disputes"
DEFAULT_MAX_DISPUTES = 10_000


def _day_key(day: date) -> str:
    return f"{PREFIX}day:{day.isoformat()}"


class RedisAuditStore:
    name = "redis"

    def __init__(self, url: str, *, timeout: float = 2.0, max_disputes: int = DEFAULT_MAX_DISPUTES) -> None:
        try:
            self._redis = redis.Redis.from_url(
                url, decode_responses=True, socket_timeout=timeout, socket_connect_timeout=timeout
            )
        except ValueError as exc:  # a malformed URL; never repeat it, it may hold a password
            raise AuditUnavailable("THINKTWICE_REDIS_URL is not a valid redis:// URL") from exc
        self._max_disputes = max_disputes

    def add(self, counts: Mapping[CountKey, int], disputes: Sequence[Dispute]) -> None:
        pipe = self._redis.pipeline(transaction=True)
        for k, n in counts.items():
            pipe.hincrby(_day_key(k.day), f"{k.profile}|{k.platform}|{k.metric}|{k.key}", n)
        for day in {k.day for k in counts} | {d.day for d in disputes}:
            pipe.zadd(DAYS, {day.isoformat(): day.toordinal()})
        for d in disputes:
            record = {"day": d.day.isoformat(), "profile": d.profile, "platform": d.platform, "rule": d.rule}
            if d.reason:
                record["reason"] = d.reason
            pipe.lpush(DISPUTES, json.dumps(record, ensure_ascii=False))
        if disputes:
            pipe.ltrim(DISPUTES, 0, self._max_disputes - 1)
        pipe.execute()

    def counts(self, since: date | None = None) -> list[Count]:
        try:
            days = cast(
                list[str], self._redis.zrangebyscore(DAYS, since.toordinal() if since else "-inf", "+inf")
            )
            pipe = self._redis.pipeline(transaction=False)
            for day in days:
                pipe.hgetall(f"{PREFIX}day:{day}")
            hashes = cast(list[dict[str, str]], pipe.execute())
        except redis.RedisError as exc:
            raise AuditUnavailable(f"cannot read the audit counts from Redis ({type(exc).__name__})") from exc
        rows: list[Count] = []
        for day, fields in zip(days, hashes, strict=True):
            for field, n in sorted(fields.items()):
                parts = field.split("|")
                if len(parts) == 4:  # anything else was not written by us
                    rows.append(
                        Count(date.fromisoformat(day), parts[0], parts[1], parts[2], parts[3], int(n))
                    )
        return rows

    def disputes(self, since: date | None = None, limit: int | None = None) -> list[Dispute]:
        try:
            raw = cast(list[str], self._redis.lrange(DISPUTES, 0, -1))
        except redis.RedisError as exc:
            raise AuditUnavailable(f"cannot read the disputes from Redis ({type(exc).__name__})") from exc
        found: list[Dispute] = []
        for item in raw:
            try:
                obj: dict[str, Any] = json.loads(item)
                dispute = Dispute(
                    date.fromisoformat(obj["day"]),
                    obj["profile"],
                    obj["platform"],
                    obj["rule"],
                    obj.get("reason"),
                )
            except (ValueError, KeyError, TypeError):
                continue
            if since is None or dispute.day >= since:
                found.append(dispute)
                if limit is not None and len(found) >= limit:
                    break
        return found

    def close(self) -> None:
        self._redis.close()
