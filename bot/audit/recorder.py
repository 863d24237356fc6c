"""`Audit`: the object adapters call to count what the bot did, without ever raising or blocking.

    audit.record_review(profile, platform, verdict)       a draft was reviewed
    audit.record_nudge(profile, platform, categories)     a nudge was sent
    audit.record_answer(profile, platform, answer)        a question was answered or abstained
    audit.record_dispute(profile, platform, rule_ids, reason=None)   "Not a problem?"

Each call bumps in-memory counters under a lock (microseconds) and returns;
nothing reaches the caller if anything goes wrong (it is logged, without the
values, which are never text anyway). Getting the counts into the store:

* `flush_interval=0` (the SQLite default): write-through. The call commits
  before it returns, so even a killed process loses nothing counted. A WAL
  commit without fsync costs tens of microseconds, cheap enough for the
  event loop.
* `flush_interval>0` (the Redis default, 1 s): a daemon thread flushes the
  pending counts every interval, so a coroutine never waits on the network
  and a slow or absent Redis costs the bot nothing. The thread, not an
  asyncio task, because the console and the CLI have no event loop and the
  server's loop should not carry a blocking client. If a flush fails the
  batch goes back into the pending counts and the next flush retries; the
  failure is logged once, and the recovery once. `close()` flushes what is
  left, so a graceful restart loses nothing; a hard kill loses at most one
  interval. (If a connection drops after Redis applied a batch but before
  it replied, the retry counts that batch twice: a rare over-count, never a
  lost one.)

Reads (`counts`, `disputes`) flush first, so a report sees everything counted
in this process too.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from types import TracebackType

from bot.types import Answer, Verdict

from .records import (
    ABSTAINED,
    ANSWERED,
    DISPUTE,
    FINDING,
    NUDGE,
    NUDGES,
    QUESTION,
    REVIEWS,
    VERDICT,
    Count,
    CountKey,
    Dispute,
    is_token,
    one_line_reason,
    utc_today,
)
from .store import AuditStore

logger = logging.getLogger(__name__)

# Disputes waiting for a store that is down; past this the oldest go (their counts stay).
MAX_PENDING_DISPUTES = 1_000


class Audit:
    """Counts per UTC day, profile, platform and metric; see the module docstring."""

    def __init__(
        self,
        store: AuditStore,
        *,
        flush_interval: float = 0.0,
        today: Callable[[], date] = utc_today,
    ) -> None:
        self.store = store
        self.flush_interval = flush_interval
        self._today = today
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()  # one flush at a time: the thread, a read, close()
        self._pending: Counter[CountKey] = Counter()
        self._pending_disputes: list[Dispute] = []
        self._failing = False
        self._closed = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if flush_interval > 0:
            self._thread = threading.Thread(target=self._run_flusher, name="audit-flush", daemon=True)
            self._thread.start()

    # -- recording: the hot path ------------------------------------------------------
    def record_review(self, profile: str, platform: str, verdict: Verdict) -> None:
        """A draft was reviewed: one review, its verdict level, and each finding's category."""
        try:
            events = [(REVIEWS, ""), (VERDICT, verdict.level)]
            events += [(FINDING, f.category) for f in verdict.findings]
        except Exception:
            logger.exception("audit: record_review was given something that is not a Verdict")
            return
        self._record(profile, platform, events)

    def record_nudge(self, profile: str, platform: str, categories: Iterable[str]) -> None:
        """A nudge was sent (call it only when one was): one nudge, and each of its categories once."""
        try:
            # One category passed as a bare string is one category, not its letters.
            names = (categories,) if isinstance(categories, str) else categories
            events = [(NUDGES, "")] + [(NUDGE, c) for c in dict.fromkeys(names)]
        except Exception:
            logger.exception("audit: record_nudge was given categories it cannot read")
            return
        self._record(profile, platform, events)

    def record_answer(self, profile: str, platform: str, answer: Answer) -> None:
        """A question got an answer, or an honest abstention."""
        try:
            key = ABSTAINED if answer.abstained else ANSWERED
        except Exception:
            logger.exception("audit: record_answer was given something that is not an Answer")
            return
        self._record(profile, platform, [(QUESTION, key)])

    def record_dispute(
        self, profile: str, platform: str, rule_ids: Iterable[str], reason: str | None = None
    ) -> None:
        """Someone said "Not a problem?" about a review or nudge: each of its rule ids is disputed once.

        `reason` is the person's optional one line; it is cut to one line of 200
        characters, kept for the report, and never logged.
        """
        try:
            rules = [rule_ids] if isinstance(rule_ids, str) else list(dict.fromkeys(rule_ids))
            note = one_line_reason(reason) if isinstance(reason, str) else None
        except Exception:
            logger.exception("audit: record_dispute was given rule ids it cannot read")
            return
        self._record(profile, platform, [(DISPUTE, r) for r in rules], note=note)

    def _record(
        self, profile: str, platform: str, events: list[tuple[str, str]], *, note: str | None = None
    ) -> None:
        try:
            if self._closed:
                logger.warning("audit: a count arrived after the audit was closed; it was dropped")
                return
            if not (is_token(profile) and is_token(platform)):
                logger.warning("audit: dropped a count whose profile or platform is not an identifier")
                return
            day = self._today()
            keep = [(m, k) for m, k in events if k == "" or is_token(k)]
            if len(keep) < len(events):
                logger.warning(
                    "audit: dropped %d count(s) whose key is not an identifier", len(events) - len(keep)
                )
            with self._lock:
                for metric, key in keep:
                    self._pending[CountKey(day, profile, platform, metric, key)] += 1
                    if metric == DISPUTE:
                        self._pending_disputes.append(Dispute(day, profile, platform, key, note))
                if len(self._pending_disputes) > MAX_PENDING_DISPUTES:
                    del self._pending_disputes[: len(self._pending_disputes) - MAX_PENDING_DISPUTES]
            if self.flush_interval <= 0:
                self.flush()
        except Exception:  # counting must never break a reply
            logger.exception("audit: could not record a count")

    # -- getting counts into the store --------------------------------------------------
    def flush(self) -> bool:
        """Write the pending counts; False (and they stay pending) when the store fails. Never raises."""
        with self._flush_lock:
            with self._lock:
                counts, disputes = self._pending, self._pending_disputes
                self._pending, self._pending_disputes = Counter(), []
            if not counts and not disputes:
                return True
            try:
                self.store.add(counts, disputes)
            except Exception as exc:
                with self._lock:  # put them back, ahead of anything counted meanwhile
                    self._pending.update(counts)
                    self._pending_disputes[:0] = disputes
                    del self._pending_disputes[: max(0, len(self._pending_disputes) - MAX_PENDING_DISPUTES)]
                if not self._failing:
                    logger.warning(
                        "audit: cannot write to the %s store (%s); keeping counts in memory and retrying",
                        self.store.name,
                        type(exc).__name__,
                    )
                self._failing = True
                return False
            if self._failing:
                logger.warning(
                    "audit: the %s store is writable again; pending counts written", self.store.name
                )
            self._failing = False
            return True

    def pending(self) -> int:
        """How many counters are waiting to be written (for /healthz and tests)."""
        with self._lock:
            return len(self._pending)

    @property
    def healthy(self) -> bool:
        """False while the last write to the store failed."""
        return not self._failing

    def _run_flusher(self) -> None:
        while not self._stop.wait(self.flush_interval):
            self.flush()

    # -- reading, for the report ------------------------------------------------------------
    def counts(self, since: date | None = None) -> list[Count]:
        """Every counter on or after `since` (AuditUnavailable when the store cannot be read)."""
        self.flush()
        return self.store.counts(since)

    def disputes(self, since: date | None = None, limit: int | None = None) -> list[Dispute]:
        """Dispute records on or after `since`, newest first."""
        self.flush()
        return self.store.disputes(since, limit)

    # -- lifetime ------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop the flusher, write what is pending (logged if that fails) and close the store."""
        if self._closed:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.flush()
        self._closed = True
        left = self.pending()
        if left:
            logger.warning("audit: %d counter(s) could not be written before closing", left)
        try:
            self.store.close()
        except Exception:
            logger.exception("audit: error closing the %s store", self.store.name)

    async def aclose(self) -> None:
        """`close()` off the event loop, for an aiohttp on_cleanup hook (the last flush may wait on Redis)."""
        await asyncio.to_thread(self.close)

    def __enter__(self) -> Audit:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
