"""Hot reload of the rulebooks: SIGHUP to a running server, and how `thinktwice rules reload` sends it.

Why a signal and a pid file rather than an admin HTTP route: the operating
system already decides who may signal a process (its own user, or root), so
there is no new credential to issue, store or leak; and a "loopback only"
route is not private when a reverse proxy on the same host forwards the
public internet from 127.0.0.1. SIGHUP is also what process managers send
(`systemctl reload`, `kill -HUP`), so every way in ends in the same handler.

`thinktwice serve` writes its pid to `<data_dir>/serve-<port>.pid` while it
runs (one file per server, so several instances on one host with the one data
directory are all reached) and removes it on the way out. `rules reload`
checks the rulebooks first, and signals only if they are sound, so the
operator sees the file:line problem at the terminal rather than in a log.
The server checks again when it reloads (the files may change in between),
refuses a broken set, logs why, and keeps the rules it had.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.errors import ThinktwiceError
from bot.service import Thinktwice

from .metrics import METRICS_KEY

logger = logging.getLogger(__name__)

PID_GLOB = "serve-*.pid"


def pid_file(data_dir: Path, port: int) -> Path:
    return data_dir / f"serve-{port}.pid"


def _write_pid(path: Path) -> bool:
    """Write this process's pid unless a live server already holds the file (then its port is taken too)."""
    with contextlib.suppress(OSError, ValueError):
        holder = int(path.read_text(encoding="ascii").strip())
        if holder != os.getpid() and _is_thinktwice(holder):
            logger.warning("%s names a running server (pid %d); not overwriting it", path, holder)
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{os.getpid()}\n", encoding="ascii")
    return True


def _remove_pid(path: Path) -> None:
    """Remove the pid file if it is still this process's (a second server on the port may have taken it)."""
    with contextlib.suppress(OSError, ValueError):
        if int(path.read_text(encoding="ascii").strip()) == os.getpid():
            path.unlink()


async def reload_rules(bot: Thinktwice, web_app: web.Application | None = None) -> bool:
    """Reload in a worker thread (it reads and compiles files); log the outcome; True when in force."""
    metrics = web_app.get(METRICS_KEY) if web_app is not None else None
    try:
        status = await asyncio.to_thread(bot.reload)
    except Exception as exc:
        if isinstance(exc, ThinktwiceError):
            # The file:line problems are the point of the message: whoever edited the rules must see them.
            logger.error("rulebook reload refused; the previous rules stay in force:\n%s", exc)
        else:  # an unreadable file, say: still refused, and the server carries on with what it has
            logger.error("rulebook reload failed (%s); the previous rules stay in force", type(exc).__name__)
        if metrics is not None:
            metrics.reload(ok=False, generation=bot.rules_status().generation)
        return False
    logger.info(
        "rulebooks reloaded: generation %d, %d files, profiles %s",
        status.generation,
        status.files,
        ", ".join(status.profiles),
    )
    if metrics is not None:
        metrics.reload(ok=True, generation=status.generation)
    return True


def install_reload(web_app: web.Application, bot: Thinktwice, pid_path: Path | None) -> None:
    """While the app runs: SIGHUP reloads the rulebooks, and pid_path (if given) names this process.

    For the real server only: a test process must keep its own signal handling.
    The handler is in place before the pid file appears and outlives it, so a
    `rules reload` can never deliver SIGHUP's default action (termination).
    """
    pending: set[asyncio.Task[bool]] = set()
    written: list[Path] = []

    def on_sighup() -> None:
        task = asyncio.get_running_loop().create_task(reload_rules(bot, web_app))
        pending.add(task)  # the loop keeps only a weak reference to tasks
        task.add_done_callback(pending.discard)

    async def start(_: web.Application) -> None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, on_sighup)
        if pid_path is not None and _write_pid(pid_path):
            written.append(pid_path)

    async def stop(_: web.Application) -> None:
        for path in written:
            _remove_pid(path)
        # A reload under way finishes (it is quick and has nothing to undo) before the loop closes.
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)

    web_app.on_startup.append(start)
    web_app.on_cleanup.append(stop)


@dataclass(frozen=True)
class Signalled:
    pid_file: Path
    pid: int | None
    sent: bool
    why: str


def signal_servers(data_dir: Path) -> list[Signalled]:
    """Send SIGHUP to every server with a pid file in data_dir; one line of outcome for each file."""
    outcomes = []
    for path in sorted(data_dir.glob(PID_GLOB)):
        try:
            pid = int(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            outcomes.append(Signalled(path, None, False, "unreadable pid file"))
            continue
        if not _is_thinktwice(pid):
            # The server died without cleaning up and its pid now names some other program, which
            # SIGHUP would terminate: leave it alone.
            outcomes.append(Signalled(path, pid, False, "not a thinktwice server (a stale pid file)"))
            continue
        try:
            os.kill(pid, signal.SIGHUP)
        except ProcessLookupError:
            # A server that was killed outright leaves its file behind; it is not ours to delete.
            outcomes.append(Signalled(path, pid, False, "no such process (a stale pid file)"))
        except PermissionError:
            outcomes.append(Signalled(path, pid, False, "not permitted (another user's process)"))
        else:
            outcomes.append(Signalled(path, pid, True, "sent SIGHUP"))
    return outcomes


def _is_thinktwice(pid: int) -> bool:
    """Whether pid is a thinktwice server (`thinktwice serve|start`, `python -m bot serve|start`).

    Read from /proc where there is one; elsewhere, alive is the best that can be told.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    try:
        args = (proc / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    # `thinktwice` runs as itself or as a script given to python; the command is a later argument.
    ours = any(Path(os.fsdecode(a)).name == "thinktwice" for a in args[:2]) or args[1:3] == [b"-m", b"bot"]
    return ours and any(a in (b"serve", b"start") for a in args)
