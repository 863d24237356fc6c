"""Two server processes behind one Redis: steady Slack load with redeliveries spread across both.

    .venv/bin/python bench/bench_redis.py [--seconds 30] [--rate 200] [--risky 0.25] [--redeliveries 0.1]

Starts a redis-server on loopback, a fake Slack Web API (in this process, on its
own thread) and two `python -m bot serve` processes with the same SLACK_*
settings and THINKTWICE_REDIS_URL. It then sends signed `message` events at the
given rate, alternating between the instances: a share of them risky, in
mirrored channels, each from its own person (cool-down off, so each unique
risky event must earn exactly one nudge), and a share of the sends redeliveries
of a recent event (same `event_id`, `X-Slack-Retry-Num`) to a random instance.

Prints ack latency (p50/p99/max, aim p99 <= 50 ms), nudges sent against unique
risky events (must be equal), each instance's peak RSS (VmHWM from /proc) and
Redis's peak memory. Exit status 1 when an aim is missed. Run by hand; not a test.

`--outage 10:15` stops Redis 10 s into the run and starts it (empty) again at
15 s: every request must still be acknowledged, and no risky event may go
un-nudged (a redelivery that reaches the other instance during the outage may
nudge twice, so the equality is not asked for then).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import redis.asyncio as aioredis

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import RedisServer, free_port  # noqa: E402
from fakes.slack_api import TEAM_ID, FakeSlackApi  # noqa: E402
from fakes.slack_harness import BOT_TOKEN, SIGNING_SECRET, message_event, sign  # noqa: E402

RISKY = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
BENIGN = "lunch at 12:30?"
AIM_P99_MS = 50.0
CHANNELS = ("C0MIRROR1", "C0YAMMER1")  # one mirrored by id, one by name (a shared conversations.info)


class FakeApiThread:
    """The fake Slack Web API on its own loop and thread, so the load generator does not wait on it."""

    def __init__(self) -> None:
        self.api = FakeSlackApi()
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stopping: asyncio.Event | None = None
        self._thread = threading.Thread(
            target=self.loop.run_until_complete, args=(self._main(),), daemon=True
        )

    async def _main(self) -> None:
        self._stopping = asyncio.Event()
        await self.api.start()
        self.api.add_channel("C0YAMMER1", "yammer-all-staff")
        self._ready.set()
        await self._stopping.wait()
        await self.api.stop()

    def __enter__(self) -> FakeSlackApi:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake Slack API did not start")
        return self.api

    def __exit__(self, *exc: object) -> None:
        assert self._stopping is not None
        self.loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)

    def count(self, method: str) -> int:
        return len(self.api.received(method))


@dataclass
class Instance:
    """One `python -m bot serve` process on a port of its own."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    latencies: list[float] = field(default_factory=list)
    failures: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def peak_rss_mib(self) -> float:
        # VmHWM is the process's peak resident set size, in kB.
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def start_instance(name: str, env: dict[str, str], log_dir: Path) -> Instance:
    port = free_port()
    log = (log_dir / f"{name}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return Instance(name, port, process)


async def wait_healthy(instances: list[Instance], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        for instance in instances:
            while True:
                if instance.process.poll() is not None:
                    raise RuntimeError(f"instance {instance.name} exited with {instance.process.returncode}")
                try:
                    async with session.get(f"{instance.url}/healthz") as response:
                        body = await response.json()
                        if response.status == 200 and body.get("state", {}).get("redis") == "ok":
                            break
                except aiohttp.ClientError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"instance {instance.name} did not become healthy")
                await asyncio.sleep(0.1)


@dataclass
class Plan:
    """What to send, decided up front so the run is repeatable (--seed)."""

    sends: list[tuple[int, int, int]]  # (event number, instance index, retry number; 0 for a first delivery)
    risky: set[int]


def make_plan(total: int, risky_share: float, redelivery_share: float, seed: int) -> Plan:
    rng = random.Random(seed)
    sends: list[tuple[int, int, int]] = []
    risky: set[int] = set()
    retries: dict[int, int] = {}
    events = 0
    for i in range(total):
        if events and rng.random() < redelivery_share:
            event = rng.randrange(max(0, events - 50), events)  # a recent event: Slack retries within minutes
            retries[event] = retries.get(event, 0) + 1
            sends.append((event, rng.randrange(2), retries[event]))
            continue
        if rng.random() < risky_share:
            risky.add(events)
        sends.append((events, i % 2, 0))
        events += 1
    return Plan(sends, risky)


def envelope(event: int, risky: bool) -> str:
    channel = CHANNELS[event % 2]
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": TEAM_ID,
            "event_id": f"EvREDIS{event:07d}",
            "event_time": int(time.time()),
            "event": message_event(
                RISKY if risky else BENIGN,
                channel=channel,
                user=f"U{event:08d}",
                ts=f"1700000000.{event:06d}",
            ),
        }
    )


async def outage(redis_server: RedisServer, start: float, end: float) -> None:
    """Stop Redis `start` seconds into the run and start it again at `end`."""
    await asyncio.sleep(start)
    await asyncio.to_thread(redis_server.stop)
    print(f"[{start:.0f} s] redis-server stopped", flush=True)
    await asyncio.sleep(end - start)
    await asyncio.to_thread(redis_server.start)
    print(f"[{end:.0f} s] redis-server started again (empty)", flush=True)


async def load(
    instances: list[Instance], plan: Plan, rate: float, during: Awaitable[None] | None = None
) -> None:
    background = asyncio.create_task(during) if during is not None else None
    connector = aiohttp.TCPConnector(limit=128)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def send(event: int, target: Instance, retry: int) -> None:
            body = envelope(event, event in plan.risky)
            ts = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": str(ts),
                "X-Slack-Signature": sign(body, ts, SIGNING_SECRET),
            }
            if retry:
                headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            started = time.perf_counter()
            try:
                async with session.post(f"{target.url}/slack/events", data=body, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        target.failures += 1
            except aiohttp.ClientError:
                target.failures += 1
            target.latencies.append((time.perf_counter() - started) * 1000)

        tasks = []
        start = time.perf_counter()
        for i, (event, index, retry) in enumerate(plan.sends):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(event, instances[index], retry)))
        await asyncio.gather(*tasks)
    if background is not None:
        await background


def settle(api: FakeApiThread, quiet: float = 1.5, timeout: float = 60.0) -> int:
    """Nudges sent, once no new one has arrived for `quiet` seconds (the instances work after the ack)."""
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = api.count("chat.postEphemeral")
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
        time.sleep(0.1)
    return last


async def redis_peak(url: str) -> str:
    client = aioredis.Redis.from_url(url, decode_responses=True)
    try:
        info = await client.info("memory")
        keys = await client.dbsize()
        return f"{info.get('used_memory_peak_human', '?')} peak, {keys} keys"
    finally:
        await client.aclose()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to send for")
    parser.add_argument("--rate", type=float, default=200.0, help="sends per second, across both instances")
    parser.add_argument("--risky", type=float, default=0.25, help="share of new events that are risky")
    parser.add_argument(
        "--redeliveries", type=float, default=0.1, help="share of sends that are redeliveries"
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--outage", metavar="START:END", help="stop Redis from START to END seconds in")
    args = parser.parse_args(argv)
    window: tuple[float, float] | None = None
    if args.outage:
        start, _, end = args.outage.partition(":")
        window = (float(start), float(end))
        if not 0 <= window[0] < window[1] <= args.seconds:
            parser.error("--outage START:END needs 0 <= START < END <= --seconds")

    plan = make_plan(round(args.seconds * args.rate), args.risky, args.redeliveries, args.seed)
    api = FakeApiThread()
    with tempfile.TemporaryDirectory(prefix="bench-redis-") as tmp, api as fake:
        redis_server = RedisServer(Path(tmp))
        redis_server.start()
        instances: list[Instance] = []
        try:
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("THINKTWICE_", "SLACK_", "Microsoft"))
            }
            env |= {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake.api_url,
                "THINKTWICE_REDIS_URL": redis_server.url,
                "THINKTWICE_MIRROR_CHANNELS": "C0MIRROR1,yammer-*",
                "THINKTWICE_NUDGE_COOLDOWN": "0",
                "THINKTWICE_DATA_DIR": str(Path(tmp) / "data"),
            }
            instances = [start_instance(name, env, Path(tmp)) for name in ("a", "b")]
            asyncio.run(wait_healthy(instances))
            wall = time.perf_counter()
            during = outage(redis_server, *window) if window else None
            asyncio.run(load(instances, plan, args.rate, during))
            wall = time.perf_counter() - wall
            nudges = settle(api)
            peaks = [instance.peak_rss_mib() for instance in instances]  # read before the processes end
            redis_memory = asyncio.run(redis_peak(redis_server.url))
            lookups = api.count("conversations.info")
        finally:
            for instance in instances:
                instance.process.terminate()
                instance.process.wait(10)
            redis_server.stop()

    latencies = [ms for instance in instances for ms in instance.latencies]
    failures = sum(instance.failures for instance in instances)
    redelivered = sum(1 for _, _, retry in plan.sends if retry)
    p50, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
    sent = len(plan.sends)
    print(f"sent              {sent} in {wall:.1f} s ({sent / wall:.0f}/s), {failures} non-200")
    print(f"  of which        {len(plan.sends) - redelivered} events, {redelivered} redeliveries")
    print(
        f"ack latency       p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms (aim p99 <= 50)"
    )
    for instance, peak in zip(instances, peaks, strict=True):
        own = instance.latencies
        print(
            f"  instance {instance.name}      {len(own)} requests, p99 {_percentile(own, 0.99):.1f} ms, "
            f"peak RSS {peak:.1f} MiB"
        )
    print(f"nudges sent       {nudges} for {len(plan.risky)} unique risky events")
    print(f"channel lookups   {lookups} conversations.info call(s) for both instances")
    print(f"redis             {redis_memory}")
    enough = nudges >= len(plan.risky) if window else nudges == len(plan.risky)
    ok = p99 <= AIM_P99_MS and enough and failures == 0
    print("result            " + ("PASS" if ok else "MISS"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
