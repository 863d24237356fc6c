"""The audit: what is counted, what is never stored, durability, and the Redis store on a real server."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

import pytest
from conftest import RedisServer

from bot.audit import Audit, AuditUnavailable, SQLiteAuditStore, open_audit
from bot.audit.records import MAX_REASON_CHARS, CountKey, Dispute, one_line_reason
from bot.audit.redis_store import RedisAuditStore
from bot.config import load_config
from bot.types import Answer, Finding, Verdict

SECRET = "jane.citizen@dss.gov.au"
DAY = date(2026, 11, 2)


def _finding(category: str, rule: str) -> Finding:
    return Finding(category, rule, "stop", 0, len(SECRET), SECRET, f"explained {SECRET}", ())


STOP = Verdict("dss", "stop", (_finding("contact-details", "work-email"), _finding("privacy", "tfn")), None)
OK = Verdict("dss", "ok", (), None)
ANSWERED = Answer("dss", f"an answer quoting {SECRET}", False, 0.9, (), None)
ABSTAINED = Answer("dss", "the policy does not say", True, 0.1, (), "comms@dss.gov.au")


class Clock:
    """The UTC day the audit buckets counts under, moved by the test."""

    def __init__(self, day: date = DAY) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def totals(audit: Audit, since: date | None = None) -> dict[tuple[str, str, str, str, str], int]:
    return {(c.day.isoformat(), c.profile, c.platform, c.metric, c.key): c.count for c in audit.counts(since)}


def record_a_day(audit: Audit) -> None:
    audit.record_review("dss", "slack", STOP)
    audit.record_review("dss", "slack", OK)
    audit.record_nudge("dss", "teams", ("classified", "contact-details", "classified"))
    audit.record_answer("act", "console", ANSWERED)
    audit.record_answer("act", "console", ABSTAINED)
    audit.record_dispute("dss", "slack", ["work-email", "tfn", "work-email"], "It's our\npublic inbox")


EXPECTED = {
    ("2026-11-02", "dss", "slack", "reviews", ""): 2,
    ("2026-11-02", "dss", "slack", "verdict", "stop"): 1,
    ("2026-11-02", "dss", "slack", "verdict", "ok"): 1,
    ("2026-11-02", "dss", "slack", "finding", "contact-details"): 1,
    ("2026-11-02", "dss", "slack", "finding", "privacy"): 1,
    ("2026-11-02", "dss", "teams", "nudges", ""): 1,
    ("2026-11-02", "dss", "teams", "nudge", "classified"): 1,
    ("2026-11-02", "dss", "teams", "nudge", "contact-details"): 1,
    ("2026-11-02", "act", "console", "question", "answered"): 1,
    ("2026-11-02", "act", "console", "question", "abstained"): 1,
    ("2026-11-02", "dss", "slack", "dispute", "work-email"): 1,
    ("2026-11-02", "dss", "slack", "dispute", "tfn"): 1,
}


@pytest.fixture(params=["sqlite", "redis"])
def make_audit(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Audit]]:
    """Open an Audit on either store (the same data each time it is called); closes them all after."""
    opened: list[Audit] = []
    server: RedisServer | None = request.getfixturevalue("redis_server") if request.param == "redis" else None

    def make(clock: Callable[[], date] | None = None, flush_interval: float = 0.0) -> Audit:
        clock = clock or Clock()
        store = SQLiteAuditStore.in_dir(tmp_path) if server is None else RedisAuditStore(server.url)
        audit = Audit(store, today=clock, flush_interval=flush_interval)
        opened.append(audit)
        return audit

    yield make
    for audit in opened:
        audit.close()


# -- what is counted -------------------------------------------------------------------------------


def test_when_the_bot_reviews_nudges_answers_and_is_disputed_then_each_is_counted_by_day_profile_and_platform(
    make_audit: Callable[..., Audit],
) -> None:
    audit = make_audit()
    record_a_day(audit)
    assert totals(audit) == EXPECTED


def test_when_the_utc_day_changes_then_counts_go_under_the_new_day_and_since_selects_days(
    make_audit: Callable[..., Audit],
) -> None:
    clock = Clock(date(2026, 10, 31))
    audit = make_audit(clock)
    audit.record_review("dss", "slack", OK)
    clock.day = date(2026, 11, 1)
    audit.record_review("dss", "slack", OK)
    audit.record_review("dss", "slack", OK)
    assert totals(audit)[("2026-10-31", "dss", "slack", "reviews", "")] == 1
    assert totals(audit)[("2026-11-01", "dss", "slack", "reviews", "")] == 2
    assert {k[0] for k in totals(audit, since=date(2026, 11, 1))} == {"2026-11-01"}


def test_when_a_dispute_is_recorded_then_the_reason_is_one_line_and_newest_disputes_come_first(
    make_audit: Callable[..., Audit],
) -> None:
    clock = Clock()
    audit = make_audit(clock)
    audit.record_dispute("dss", "slack", ["work-phone"], "first\n\n  line two\tand\x1b[31m colour")
    clock.day = date(2026, 11, 3)
    audit.record_dispute("dss", "teams", ["work-phone"])
    found = audit.disputes()
    assert found == [
        Dispute(date(2026, 11, 3), "dss", "teams", "work-phone", None),
        Dispute(DAY, "dss", "slack", "work-phone", "first line two and[31m colour"),
    ]
    assert audit.disputes(since=date(2026, 11, 3), limit=5) == found[:1]


def test_when_one_category_or_rule_is_passed_as_a_string_then_it_counts_as_one(
    make_audit: Callable[..., Audit],
) -> None:
    audit = make_audit()
    audit.record_nudge("dss", "slack", "classified")
    audit.record_dispute("dss", "slack", "work-email")
    assert totals(audit) == {
        ("2026-11-02", "dss", "slack", "nudges", ""): 1,
        ("2026-11-02", "dss", "slack", "nudge", "classified"): 1,
        ("2026-11-02", "dss", "slack", "dispute", "work-email"): 1,
    }


def test_when_a_reason_is_long_then_it_is_capped() -> None:
    reason = one_line_reason("x" * 1000)
    assert reason is not None and len(reason) == MAX_REASON_CHARS and reason.endswith("…")
    assert one_line_reason(" \n\t ") is None


# -- what is never stored ------------------------------------------------------------------------------


def test_when_reviews_answers_and_nudges_carry_text_then_none_of_it_reaches_the_audit_file(
    tmp_path: Path,
) -> None:
    audit = Audit(SQLiteAuditStore.in_dir(tmp_path), today=Clock())
    record_a_day(audit)
    audit.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert SECRET.encode() not in stored
    assert b"explained" not in stored and b"an answer quoting" not in stored
    assert b"public inbox" in stored  # the disputer's reason is the one free text kept


def test_when_a_caller_passes_text_where_an_identifier_belongs_then_it_is_dropped_and_not_logged(
    make_audit: Callable[..., Audit], caplog: pytest.LogCaptureFixture
) -> None:
    audit = make_audit()
    with caplog.at_level(logging.WARNING):
        audit.record_nudge("dss", "slack", [f"email me at {SECRET}", "classified"])
        audit.record_review(f"profile {SECRET}", "slack", OK)
        audit.record_dispute("dss", "slack", [SECRET + " is fine"], "why")
    assert totals(audit) == {
        ("2026-11-02", "dss", "slack", "nudges", ""): 1,
        ("2026-11-02", "dss", "slack", "nudge", "classified"): 1,
    }
    assert audit.disputes() == []
    assert "dropped" in caplog.text and SECRET not in caplog.text


def test_when_the_sqlite_file_is_created_then_only_its_owner_can_read_it(tmp_path: Path) -> None:
    Audit(SQLiteAuditStore.in_dir(tmp_path)).close()
    assert (tmp_path / "audit.sqlite3").stat().st_mode & 0o077 == 0


# -- durability and failure ------------------------------------------------------------------------------


def test_when_the_audit_is_closed_and_reopened_then_nothing_counted_is_lost(
    make_audit: Callable[..., Audit],
) -> None:
    first = make_audit(flush_interval=30.0)  # buffered: close() must write what is pending
    record_a_day(first)
    first.close()
    second = make_audit()
    assert totals(second) == EXPECTED
    assert len(second.disputes()) == 2


def test_when_sqlite_writes_through_then_a_second_connection_sees_counts_without_a_close(
    tmp_path: Path,
) -> None:
    audit = Audit(SQLiteAuditStore.in_dir(tmp_path), today=Clock())
    audit.record_review("dss", "console", OK)
    with sqlite3.connect(tmp_path / "audit.sqlite3") as db:  # as after a hard kill
        assert db.execute("SELECT n FROM counts WHERE metric = 'reviews'").fetchone() == (1,)
    audit.close()


def test_when_threads_record_at_once_then_every_count_lands(make_audit: Callable[..., Audit]) -> None:
    audit = make_audit()

    def work() -> None:
        for _ in range(200):
            audit.record_review("dss", "slack", OK)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert totals(audit)[("2026-11-02", "dss", "slack", "reviews", "")] == 800


def test_when_closed_from_an_event_loop_then_aclose_flushes_without_blocking_it(tmp_path: Path) -> None:
    audit = Audit(SQLiteAuditStore.in_dir(tmp_path), flush_interval=30.0, today=Clock())
    audit.record_review("dss", "slack", OK)
    asyncio.run(audit.aclose())
    reopened = Audit(SQLiteAuditStore.in_dir(tmp_path), today=Clock())
    assert totals(reopened)[("2026-11-02", "dss", "slack", "reviews", "")] == 1
    reopened.close()


class FlakyStore:
    """A store that fails while `down` is set: the audit must neither raise nor lose counts."""

    name = "flaky"

    def __init__(self) -> None:
        self.down = True
        self.added: list[tuple[dict[CountKey, int], list[Dispute]]] = []

    def add(self, counts: Mapping[CountKey, int], disputes: Sequence[Dispute]) -> None:
        if self.down:
            raise ConnectionError("store unreachable")
        self.added.append((dict(counts), list(disputes)))

    def counts(self, since: date | None = None) -> list[object]:
        raise AssertionError("not used")

    def disputes(self, since: date | None = None, limit: int | None = None) -> list[object]:
        raise AssertionError("not used")

    def close(self) -> None:
        pass


def test_when_the_store_fails_then_recording_does_not_raise_and_counts_wait_for_it_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = FlakyStore()
    audit = Audit(store, today=Clock())  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING):
        audit.record_review("dss", "slack", STOP)
        audit.record_review("dss", "slack", STOP)
        audit.record_dispute("dss", "slack", ["work-email"], "mine")
    assert not audit.healthy and audit.pending() == 5
    assert caplog.text.count("cannot write to the flaky store") == 1
    store.down = False
    assert audit.flush() and audit.healthy and audit.pending() == 0
    counts, disputes = store.added[0]
    assert counts[CountKey(DAY, "dss", "slack", "reviews", "")] == 2
    assert disputes == [Dispute(DAY, "dss", "slack", "work-email", "mine")]
    assert "writable again" in caplog.text


def test_when_the_caller_passes_the_wrong_objects_then_recording_still_does_not_raise() -> None:
    audit = Audit(FlakyStore(), today=Clock())  # type: ignore[arg-type]
    audit.record_review("dss", "slack", None)  # type: ignore[arg-type]
    audit.record_answer("dss", "slack", "yes")  # type: ignore[arg-type]
    audit.record_nudge("dss", "slack", None)  # type: ignore[arg-type]
    audit.record_dispute("dss", "slack", None)  # type: ignore[arg-type]
    audit.close()
    audit.record_review("dss", "slack", OK)  # after close: dropped, not raised


def test_when_the_data_dir_cannot_be_created_then_opening_says_so_in_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(AuditUnavailable, match="cannot open the audit file"):
        SQLiteAuditStore.in_dir(blocker / "data")


# -- Redis --------------------------------------------------------------------------------------------------


def test_when_redis_is_configured_then_open_audit_uses_it_and_two_instances_add_up(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    config = load_config({"THINKTWICE_DATA_DIR": str(tmp_path), "THINKTWICE_REDIS_URL": redis_server.url})
    one = open_audit(config, today=Clock())
    two = open_audit(config, today=Clock())
    assert one.store.name == "redis" and one.flush_interval > 0
    one.record_review("dss", "slack", OK)
    two.record_review("dss", "teams", OK)
    two.record_review("dss", "slack", OK)
    one.close()
    two.close()
    reader = open_audit(config, today=Clock())
    assert totals(reader) == {
        ("2026-11-02", "dss", "slack", "reviews", ""): 2,
        ("2026-11-02", "dss", "slack", "verdict", "ok"): 2,
        ("2026-11-02", "dss", "teams", "reviews", ""): 1,
        ("2026-11-02", "dss", "teams", "verdict", "ok"): 1,
    }
    reader.close()
    assert not (tmp_path / "audit.sqlite3").exists()


def test_when_redis_is_buffered_then_the_background_flush_writes_counts_without_being_asked(
    redis_server: RedisServer,
) -> None:
    audit = Audit(RedisAuditStore(redis_server.url), flush_interval=0.05, today=Clock())
    audit.record_review("dss", "slack", OK)
    deadline = time.monotonic() + 5
    while audit.pending() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert audit.pending() == 0
    reader = RedisAuditStore(redis_server.url)
    assert [c.count for c in reader.counts() if c.metric == "reviews"] == [1]
    reader.close()
    audit.close()


def test_when_redis_goes_down_then_recording_stays_fast_and_counts_arrive_when_it_returns(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    audit = Audit(RedisAuditStore(redis_server.url, timeout=0.5), flush_interval=0.05, today=Clock())
    audit.record_review("dss", "slack", OK)
    assert audit.flush()
    redis_server.stop()
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING):
        for _ in range(1000):
            audit.record_review("dss", "slack", STOP)
        elapsed = time.perf_counter() - started
        assert not audit.flush()
    assert elapsed < 0.5, f"1000 records took {elapsed:.3f} s with Redis down"
    assert "cannot write to the redis store" in caplog.text
    redis_server.start()  # a fresh, empty Redis: only what waited in memory arrives
    assert audit.flush()
    assert totals(audit)[("2026-11-02", "dss", "slack", "verdict", "stop")] == 1000
    audit.close()


def test_when_redis_is_down_then_a_report_read_raises_one_sentence(redis_server: RedisServer) -> None:
    store = RedisAuditStore(redis_server.url, timeout=0.5)
    redis_server.stop()
    with pytest.raises(AuditUnavailable, match="cannot read the audit counts from Redis"):
        store.counts()
    store.close()
