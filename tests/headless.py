"""Drive Debian's chromium headless over the DevTools protocol: load a page, collect its errors.

`load_page(path, expression)` starts chromium with no network and a throw-away
profile, opens `path`, waits for the load event, evaluates `expression` (which
must return JSON-able data) and returns it with every error the page caused:
uncaught exceptions, console.error calls, browser log errors (a blocked
resource, a CSP violation) and any request for something that is not the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--window-size=1000,1400",
)
_LISTENING = re.compile(rb"DevTools listening on (ws://\S+)")


@dataclass
class PageRun:
    value: Any = None
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    screenshot_bytes: int = 0


def chromium() -> str:
    binary = shutil.which("chromium")
    if binary is None:  # `make test` installs it (scripts/install-test-services.sh)
        pytest.fail("chromium is not installed; run `make test`, which installs it")
    return binary


async def _load(paths: list[Path], expression: str, timeout: float) -> list[PageRun]:
    with tempfile.TemporaryDirectory(prefix="thinktwice-chromium-") as profile:
        proc = await asyncio.create_subprocess_exec(
            chromium(),
            *FLAGS,
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "about:blank",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            return await asyncio.wait_for(_drive(proc, paths, expression), timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()


async def _drive(proc: asyncio.subprocess.Process, paths: list[Path], expression: str) -> list[PageRun]:
    assert proc.stderr is not None
    while True:
        line = await proc.stderr.readline()
        if not line:
            raise RuntimeError("chromium exited before its DevTools endpoint was up")
        found = _LISTENING.search(line)
        if found:
            browser_ws = found.group(1).decode()
            break
    # Keep chromium's stderr drained so it never blocks on a full pipe.
    drain = asyncio.create_task(proc.stderr.read())
    port = re.search(r":(\d+)/", browser_ws)
    assert port
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port.group(1)}/json/list") as resp:
                targets = await resp.json()
            page_ws = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
            async with http.ws_connect(page_ws, max_msg_size=0) as ws:
                return [await _visit(ws, path, expression) for path in paths]
    finally:
        drain.cancel()


async def _visit(ws: aiohttp.ClientWebSocketResponse, path: Path, expression: str) -> PageRun:
    run = PageRun()
    ids = iter(range(1, 1_000_000))
    replies: dict[int, dict[str, Any]] = {}

    async def call(method: str, **params: Any) -> dict[str, Any]:
        number = next(ids)
        await ws.send_json({"id": number, "method": method, "params": params})
        while number not in replies:
            await pump(lambda: number in replies)
        reply = replies.pop(number)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return dict(reply.get("result", {}))

    loaded = False

    async def pump(done: Any) -> None:
        nonlocal loaded
        while not done():
            msg = json.loads((await ws.receive()).data)
            if "id" in msg:
                replies[msg["id"]] = msg
                continue
            method, params = msg.get("method"), msg.get("params", {})
            if method == "Runtime.exceptionThrown":
                run.errors.append("exception: " + json.dumps(params["exceptionDetails"])[:300])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                run.errors.append("console: " + json.dumps(params.get("args"))[:300])
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                run.errors.append("log: " + params["entry"].get("text", "")[:300])
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not url.startswith(("file:", "data:", "about:")):
                    run.requests.append(url)
            elif method == "Page.loadEventFired":
                loaded = True

    for domain in ("Runtime", "Log", "Network", "Page"):
        await call(f"{domain}.enable")
    loaded = False
    await call("Page.navigate", url=path.resolve().as_uri())
    await pump(lambda: loaded)
    result = await call("Runtime.evaluate", expression=expression, returnByValue=True)
    if "exceptionDetails" in result:
        raise RuntimeError(f"the test's expression failed: {result['exceptionDetails']}")
    run.value = result["result"].get("value")
    shot = await call("Page.captureScreenshot", format="png")
    run.screenshot_bytes = len(shot.get("data", "")) * 3 // 4
    return run


def load_pages(paths: list[Path], expression: str, timeout: float = 20.0) -> list[PageRun]:
    """Open each file in one headless chromium, in turn; evaluate `expression` on each."""
    return asyncio.run(_load(paths, expression, timeout))
