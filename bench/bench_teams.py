"""Teams adapter under load: channel messages at a steady rate against the real server on loopback.

    .venv/bin/python bench/bench_teams.py [--messages 2000] [--rate 200] [--risky-every 4]

The server (dev mode) and the fake Bot Connector run on their own event loop in
a thread; this loop posts channel `message` activities (a quarter risky, each
from a different person, in a mirrored channel) at the given rate and times each
response. Teams handles a message within the request, so a risky one's response
includes opening that person's 1:1 chat and sending the nudge (two connector
calls). It reports response latency p50/p99 (aim: p99 <= 250 ms; the Bot
Framework waits 15 s) and checks that the nudges the fake received equal the
risky messages sent. Exit status 1 when either aim is missed.
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

from fakes.teams_harness import MIRROR, TeamsHarness  # noqa: E402

RISKY = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
BENIGN = "lunch at 12:30?"
AIM_P99_MS = 250.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class ServerThread:
    """The harness (fake connector + server) on its own loop, so the load generator does not share it."""

    def __init__(self) -> None:
        self.harness = TeamsHarness(THINKTWICE_MIRROR_CHANNELS=MIRROR, THINKTWICE_NUDGE_COOLDOWN="0")
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.stopping: asyncio.Event | None = None
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self._main(),), daemon=True)

    async def _main(self) -> None:
        self.stopping = asyncio.Event()
        async with self.harness:
            self.ready.set()
            await self.stopping.wait()

    def __enter__(self) -> TeamsHarness:
        self.thread.start()
        self.ready.wait(10)
        return self.harness

    def __exit__(self, *exc: object) -> None:
        assert self.stopping is not None
        self.loop.call_soon_threadsafe(self.stopping.set)
        self.thread.join(10)


async def _load(
    harness: TeamsHarness, messages: int, rate: float, risky_every: int
) -> tuple[list[float], int, int]:
    latencies: list[float] = []
    failures = 0
    risky = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:

        async def send(i: int, text: str) -> None:
            nonlocal failures
            user = {"id": f"29:bench-{i:06d}", "name": f"Person {i}", "aadObjectId": f"aad-{i:06d}"}
            body = json.dumps(harness.channel_message(text, user=user))
            started = time.perf_counter()
            async with session.post(
                f"{harness.url}/api/messages", data=body, headers={"Content-Type": "application/json"}
            ) as response:
                await response.read()
                if response.status != 200:
                    failures += 1
            latencies.append((time.perf_counter() - started) * 1000)

        tasks = []
        start = time.perf_counter()
        for i in range(messages):
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
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0, help="messages per second")
    parser.add_argument("--risky-every", type=int, default=4, help="every Nth message is risky")
    args = parser.parse_args(argv)

    with ServerThread() as harness:
        latencies, failures, risky = asyncio.run(_load(harness, args.messages, args.rate, args.risky_every))
        nudges = len(harness.connector.received("send_to_conversation"))

    p50, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
    print(f"messages sent     {args.messages} at {args.rate:g}/s ({failures} non-200)")
    print(f"response latency  p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms (aim <= 250)")
    print(f"nudges sent       {nudges} for {risky} risky messages")
    ok = p99 <= AIM_P99_MS and nudges == risky and failures == 0
    print("result            " + ("PASS" if ok else "MISS"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
