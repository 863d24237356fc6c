"""A real `thinktwice serve` in a child process on a loopback port, with the fake Slack Web API behind it.

    with ThreadedSlackApi() as slack, ServeProcess(tmp_path, slack, rules_dir) as server:
        server.command("some draft")            # a signed /checkpost; the review goes to slack's fake
        server.signal(signal.SIGHUP)

The child is `python -m bot serve --log-format json`; its log goes to a file
(a pipe could fill up and stall it) that `records()` reads back as JSON. The
fake Web API runs on its own event loop in a thread, since the test itself is
plain synchronous code driving another process.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlencode

from .slack_api import TEAM_ID, Call, FakeSlackApi
from .slack_harness import BOT_TOKEN, SIGNING_SECRET, USER, sign

_PLATFORM_PREFIXES = ("THINKTWICE_", "SLACK_", "Microsoft", "MICROSOFT")
REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def wait_until(condition: Callable[[], T], what: str, timeout: float = 20.0) -> T:
    """Poll until condition() is truthy and return it; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class ThreadedSlackApi:
    """FakeSlackApi on an event loop of its own, in a daemon thread."""

    def __init__(self) -> None:
        self.api = FakeSlackApi()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> ThreadedSlackApi:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.api.start(), self._loop).result(10)
        return self

    def __exit__(self, *_: object) -> None:
        asyncio.run_coroutine_threadsafe(self.api.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def hold(self, method: str) -> Callable[[], None]:
        """Hold answers to `method` (see FakeSlackApi.hold); call the result to let them go."""
        event = asyncio.run_coroutine_threadsafe(self._hold(method), self._loop).result(10)

        def release() -> None:
            self._loop.call_soon_threadsafe(event.set)  # asyncio.Event is not thread-safe: set it on its loop

        return release

    async def _hold(self, method: str) -> asyncio.Event:
        return self.api.hold(method)

    def wait_for(self, method: str, count: int = 1) -> list[Call]:
        future = asyncio.run_coroutine_threadsafe(self.api.wait_for(method, count, timeout=20), self._loop)
        return future.result(30)


class ServeProcess:
    def __init__(self, tmp_path: Path, slack: ThreadedSlackApi, rules_dir: Path, *args: str) -> None:
        self.port = _free_port()
        self.data_dir = tmp_path / "data"
        self.log_path = tmp_path / f"serve-{self.port}.log"
        self.slack = slack
        env = {k: v for k, v in os.environ.items() if not k.startswith(_PLATFORM_PREFIXES)}
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.api.api_url,
            THINKTWICE_DATA_DIR=str(self.data_dir),
            THINKTWICE_RULES_DIR=str(rules_dir),
        )
        self.env = env
        self.args = ["serve", "--port", str(self.port), "--log-format", "json", *args]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / f"serve-{self.port}.pid"

    def __enter__(self) -> ServeProcess:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", *self.args],
                cwd=REPO,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        wait_until(self._ready, f"the server on port {self.port} to be ready")
        # The pid file is written as it starts; once it is there, SIGHUP is handled (never fatal).
        wait_until(self.pid_file.exists, "the pid file")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"thinktwice serve exited early:\n{self.log()}")
        try:
            return self.get("/readyz")[0] == 200
        except OSError:
            return False

    # -- talking to it ---------------------------------------------------------------------------------------
    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def readyz(self) -> dict[str, Any]:
        return dict(json.loads(self.get("/readyz")[1]))

    def metric(self, name: str, **labels: str) -> float:
        from prometheus_client.parser import text_string_to_metric_families

        for family in text_string_to_metric_families(self.get("/metrics")[1]):
            for sample in family.samples:
                if sample.name == name and sample.labels == labels:
                    return float(sample.value)
        return 0.0

    def command_body(self, text: str, key: str = "cmd") -> bytes:
        form = {
            "team_id": TEAM_ID,
            "channel_id": "C0GENERAL",
            "user_id": USER,
            "command": "/checkpost",
            "text": text,
            "api_app_id": "A0THINKTW",
            "response_url": self.slack.api.response_url(key),
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        }
        return urlencode(form).encode()

    def signed_headers(self, body: bytes) -> dict[str, str]:
        ts = int(time.time())
        return {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(body.decode(), ts),
        }

    def command(self, text: str) -> int:
        return self.command_response(text)[0]

    def command_response(self, text: str, timeout: float = 10) -> tuple[int, str]:
        body = self.command_body(text)
        request = urllib.request.Request(
            f"{self.url}/slack/events", data=body, headers=self.signed_headers(body), method="POST"
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), response.read().decode()

    # -- signals and what it logged -------------------------------------------------------------------------
    def signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def wait(self, timeout: float = 30) -> int:
        assert self.process is not None
        return self.process.wait(timeout)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log().splitlines() if line.startswith("{")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
