"""Speed figures for thinktwice (run by hand: `.venv/bin/python bench/run.py`; not a test).

Prints, against the targets of the core issue:
  - scan throughput over 100,000 chat-length messages on one core   (>= 20,000 msgs/s)
  - checkpost median for a 500-character draft                        (<= 5 ms)
  - checkpost median for a 40,000-character draft                     (<= 250 ms)
  - one adversarial 40,000-character input per pattern family        (<= 250 ms each)
  - process start to first answer, `python -m bot checkpost ...`      (<= 1 s)
  - importing bot.service pulls in no Slack or Teams SDK

Messages are the texts of ../shared/eval/chat.jsonl (or THINKTWICE_BENCH_CHAT)
cycled to the count asked for, falling back to built-in samples. `--cprofile`
adds a cProfile breakdown of the scan loop.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.service import Thinktwice  # noqa: E402

CHAT = Path(os.environ.get("THINKTWICE_BENCH_CHAT", ROOT.parent / "shared" / "eval" / "chat.jsonl"))
DRAFTS = Path(os.environ.get("THINKTWICE_BENCH_DRAFTS", ROOT.parent / "shared" / "eval" / "drafts.jsonl"))

SAMPLES: list[tuple[str, str]] = [
    ("Fridge clean-out at 2pm Friday, anything unlabelled goes in the bin.", "dss"),
    ("[SEC=PROTECTED] Income matching resumption decision brief, recommendations below.", "dhs"),
    ("zero four one nine, three three seven, two six four: Dave's work mobile if you need it", "dibp"),
    ("Great article on protected species along the Murrumbidgee", "dss"),
    ("Call the service line on 1300 653 227 for payment questions.", "act"),
    ("Reach me at priya.k@dss.gov.au or on 02 6123 4567 after lunch.", "dss"),
    ("Has anyone got the new Teams background with the team logo?", "dhs"),
    ("Budget bid template is v3, due to the finance team by 15 Nov.", "act"),
    ("Secret santa draw is done! Budget is $20 this year.", "vic-dhs"),
    ("The FY 2023-2024 report is on the intranet; ticket INC0412345 tracks the fix.", "dibp"),
]


def _texts(path: Path, key: str = "text") -> list[tuple[str, str]]:
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            out.append((obj[key], obj.get("profile") or "dss"))
    return out


def _status(ok: bool) -> str:
    return "ok  " if ok else "MISS"


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm the caches once, as a running bot would be
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench_scan(bot: Thinktwice, count: int, profile_it: bool) -> None:
    messages = _texts(CHAT) or SAMPLES
    source = CHAT.name if messages is not SAMPLES else "built-in samples"
    stream = list(islice(cycle(messages), count))
    for text, profile in messages:  # warm-up: first use of each profile and pattern
        bot.scan(text, profile)
    profiler = cProfile.Profile() if profile_it else None
    t0 = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    nudges = 0
    for text, profile in stream:
        nudges += bot.scan(text, profile).nudge
    if profiler is not None:
        profiler.disable()
    elapsed = time.perf_counter() - t0
    rate = count / elapsed
    mean_len = sum(len(t) for t, _ in stream) / len(stream)
    print(
        f"[{_status(rate >= 20_000)}] scan: {count:,} messages ({source}, mean {mean_len:.0f} chars, "
        f"{nudges:,} nudges) in {elapsed:.2f} s = {rate:,.0f} msgs/s (target >= 20,000)"
    )
    if profiler is not None:
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer).sort_stats("tottime")
        stats.print_stats(25)
        print(buffer.getvalue())


def _draft(length: int) -> str:
    texts = [t for t, _ in _texts(DRAFTS)] or [t for t, _ in SAMPLES]
    out, i = "", 0
    while len(out) < length:
        out += texts[i % len(texts)] + " "
        i += 1
    return out[: length - 1].rstrip() + "."


def bench_checkpost(bot: Thinktwice) -> None:
    for length, runs, target in ((500, 300, 5.0), (40_000, 15, 250.0)):
        draft = _draft(length)
        median = _median_ms(partial(bot.review, draft, "dss"), runs)
        findings = len(bot.review(draft, "dss").findings)
        print(
            f"[{_status(median <= target)}] checkpost {len(draft):,}-char draft: median {median:.2f} ms "
            f"over {runs} runs, {findings} findings (target <= {target:g} ms)"
        )


ADVERSARIAL: dict[str, str] = {
    "digit run": "4" * 40_000,
    "digits and spaces": "1 " * 20_000,
    "digits, dashes, brackets": "(0)-" * 10_000,
    "phone-like groups": "0412 345 " * 4_444,
    "dots": "." * 40_000,
    "at signs": "@" * 40_000,
    "a.a.a. chain": "a." * 20_000,
    "a@a@ chain": "a@" * 20_000,
    "spelled-out email chain": "jane dot " * 4_444 + "at dss",
    "spelled-out at chain": "x at " * 8_000,
    "number words": "four " * 8_000,
    "spaced letters": "p " * 20_000,
    "zero-width run": "a\u200b" * 20_000,
    "full-width digits": "\uff10\uff14" * 20_000,
    "marking fragments": "PROTECTED SECRET " * 2_352,
    "[SEC= fragments": "[SEC=" * 8_000,
    "OFFICIAL: fragments": "OFFICIAL: " * 4_000,
    "Sensitive: fragments": "Sensitive: " * 3_636,
    "email marking unclosed": "[SEC=OFFICIAL:Sensitive, ACCESS=" + "Personal-Privacy, " * 2_200,
    "capitalised words": "Jane Smith " * 3_636,
    "whitespace": " \n\tx" * 10_000,
    "hyphenated token with at": "a-" * 19_990 + " at dss.gov.au",
    "quotes and brackets": "(\"')[" * 8_000,
}


def bench_adversarial(bot: Thinktwice) -> None:
    worst = 0.0
    for name, raw in ADVERSARIAL.items():
        text = (raw * (40_000 // max(1, len(raw)) + 1))[:40_000] if len(raw) < 40_000 else raw[:40_000]
        t0 = time.perf_counter()
        bot.review(text, "dibp")
        review_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        bot.scan(text, "dibp")
        scan_ms = (time.perf_counter() - t0) * 1000
        worst = max(worst, review_ms, scan_ms)
        ok = review_ms <= 250 and scan_ms <= 250
        print(f"[{_status(ok)}] adversarial {name:28} review {review_ms:7.1f} ms, scan {scan_ms:7.1f} ms")
    print(f"       worst adversarial case: {worst:.1f} ms (target <= 250 ms)")


def bench_process_start() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THINKTWICE_", "SLACK_", "Microsoft"))}
    env["PYTHONPATH"] = str(ROOT)
    argv = [sys.executable, "-m", "bot", "checkpost", "Reach me on 0412 345 678 after lunch."]
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=env, check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(
        f"[{_status(median <= 1.0)}] process start to first answer: "
        f"median {median * 1000:.0f} ms (target <= 1 s)"
    )
    probe = (
        "import sys, bot.service, bot.cli; "
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('slack_bolt', 'slack_sdk', 'botbuilder', 'botframework', 'msal', 'aiohttp'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env, text=True, check=True)
    loaded = out.stdout.strip()
    print(
        f"[{_status(not loaded)}] importing bot.service and bot.cli loads no Slack/Teams SDK"
        + (f": loaded {loaded}" if loaded else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=100_000, help="messages to scan (default 100,000)")
    parser.add_argument("--cprofile", action="store_true", help="print a cProfile breakdown of the scan loop")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    t0 = time.perf_counter()
    bot = Thinktwice.start(load_config({"THINKTWICE_DATA_DIR": str(ROOT / ".bench-data")}))
    print(f"       start-up (load and compile rulebooks): {(time.perf_counter() - t0) * 1000:.0f} ms")
    bench_scan(bot, args.messages, args.cprofile)
    bench_checkpost(bot)
    bench_adversarial(bot)
    bench_process_start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
