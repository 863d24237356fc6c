"""Slack adapter under load: signed message events at a steady rate against the real server on loopback.

    .venv/bin/python bench/bench_slack.py [--events 2000] [--rate 200] [--risky-every 4]

The server and the fake Slack Web API run on their own event loop in a thread;
this loop sends correctly signed `message` events (a quarter risky, in mirrored
channels) at the given rate and times each acknowledgement. It reports ack
latency p50/p99 (aim: p99 <= 50 ms) and checks that the nudges the fake received
equal the risky messages sent. Exit status 1 when either aim is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import threading
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakes.slack_api import FakeSlackApi  # noqa: E402
from fakes.slack_harness import SIGNING_SECRET, SlackHarness, message_event, sign  # noqa: E402

RISKY = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
BENIGN = "lunch at 12:30?"
AIM_P99_MS = 50.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class ServerThread:
    """The harness (fake API + server) on its own loop, so the load generator does not share it."""

    def __init__(self) -> None:
        # Cool-down off and one user per message: every risky message must earn exactly one nudge.
        env = {"THINKTWICE_MIRROR_CHANNELS": "C0MIRROR1,yammer-*", "THINKTWICE_NUDGE_COOLDOWN": "0"}
        self.harness = SlackHarness(**env)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.stopping: asyncio.Event | None = None
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self._main(),), daemon=True)

    async def _main(self) -> None:
        self.stopping = asyncio.Event()
        async with self.harness as h:
            h.api.add_channel("C0YAMMER1", "yammer-all-staff")
            self.ready.set()
            await self.stopping.wait()

    def __enter__(self) -> SlackHarness:
        self.thread.start()
        self.ready.wait(10)
        return self.harness

    def __exit__(self, *exc: object) -> None:
        assert self.stopping is not None
        self.loop.call_soon_threadsafe(self.stopping.set)
        self.thread.join(10)

    def idle(self) -> None:
        asyncio.run_coroutine_threadsafe(self.harness.idle(), self.loop).result(30)


async def _load(url: str, events: int, rate: float, risky_every: int) -> tuple[list[float], int, int]:
    latencies: list[float] = []
    failures = 0
    risky = 0
    connector = aiohttp.TCPConnector(limit=64)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def send(i: int, text: str) -> None:
            nonlocal failures
            channel = "C0YAMMER1" if i % 2 else "C0MIRROR1"
            envelope = {
                "type": "event_callback",
                "team_id": "T0TEAM01",
                "event_id": f"EvBENCH{i:06d}",
                "event_time": int(time.time()),
                "event": message_event(text, channel=channel, user=f"U{i:08d}", ts=f"1700000000.{i:06d}"),
            }
            body = json.dumps(envelope)
            ts = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": str(ts),
                "X-Slack-Signature": sign(body, ts, SIGNING_SECRET),
            }
            started = time.perf_counter()
            async with session.post(f"{url}/slack/events", data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    failures += 1
            latencies.append((time.perf_counter() - started) * 1000)

        tasks = []
        start = time.perf_counter()
        for i in range(events):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            is_risky = i % risky_every == 0
            risky += is_risky
            tasks.append(asyncio.create_task(send(i, RISKY if is_risky else BENIGN)))
        await asyncio.gather(*tasks)
    return latencies, failures, risky


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0, help="events per second")
    parser.add_argument("--risky-every", type=int, default=4, help="every Nth message is risky")
    args = parser.parse_args(argv)

    server = ServerThread()
    with server as harness:
        api: FakeSlackApi = harness.api
        latencies, failures, risky = asyncio.run(_load(harness.url, args.events, args.rate, args.risky_every))
        server.idle()
        nudges = len(api.received("chat.postEphemeral"))

    p50, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
    print(f"events sent       {args.events} at {args.rate:g}/s ({failures} non-200)")
    print(f"ack latency       p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms (aim <= 50)")
    print(f"nudges sent       {nudges} for {risky} risky messages")
    ok = p99 <= AIM_P99_MS and nudges == risky and failures == 0
    print("result            " + ("PASS" if ok else "MISS"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
