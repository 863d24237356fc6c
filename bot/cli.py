"""The `thinktwice` command line (SPEC: checkpost, ask, scan, console, serve, rules check, profiles, report).

Also `rules reload`, which asks running servers to reload their rulebooks (adapters/reload.py).

Exit status 0 when a command ran, whatever it found; 2 for a usage or input
error, with one line on stderr (and `{"error": ...}` on stdout in JSON mode).
Batch modes never stop on a bad line: that line gets an error object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, NoReturn

from . import render
from .config import Config, load_config
from .errors import InputError, RulebookError, ThinktwiceError
from .rulebook import builtin_rules_dir, check_rulebooks
from .service import Thinktwice
from .textinput import decode_utf8

EXIT_OK = 0
EXIT_USAGE = 2


class UsageError(ThinktwiceError):
    """The command line itself is wrong."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `thinktwice --help`)")


def _common() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--profile", metavar="ID", help="policy profile (default: $THINKTWICE_PROFILE or dss)"
    )
    common.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(
        prog="thinktwice", description="Think twice before you post: policy checks for public servants."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("checkpost", parents=[common], help="review a draft post")
    p.add_argument("text", nargs="*", help="the draft; standard input when absent or '-'")
    p.add_argument(
        "--batch", action="store_true", help="read JSON Lines {id, text, profile} from standard input"
    )

    p = sub.add_parser("ask", parents=[common], help="ask a question about the policy")
    p.add_argument("question", nargs="*", help="the question; standard input when absent or '-'")
    p.add_argument(
        "--batch", action="store_true", help="read JSON Lines {id, question, profile} from standard input"
    )

    sub.add_parser("scan", parents=[common], help="channel-nudge decisions for JSON Lines on standard input")
    sub.add_parser("console", parents=[common], help="chat with the bot in the terminal")
    p = sub.add_parser("serve", parents=[common], help="run the configured Slack and Teams adapters")
    p.add_argument("--port", type=int, help="port (default $PORT or 3978)")
    p.add_argument(
        "--slack-socket", action="store_true", help="use Slack Socket Mode (needs SLACK_APP_TOKEN)"
    )
    p.add_argument(
        "--log-format",
        choices=("text", "json"),
        help="log lines as text or one JSON object each (default $THINKTWICE_LOG_FORMAT or text)",
    )
    p.add_argument(
        "--teams-dev",
        action="store_true",
        help="Teams without MicrosoftAppId: unauthenticated (Bot Framework Emulator), loopback only",
    )
    sub.add_parser(
        "start", parents=[common], help="serve when Slack or Teams is configured, else the console"
    )
    sub.add_parser("profiles", parents=[common], help="list the policy profiles")

    rules = sub.add_parser("rules", parents=[common], help="rulebook tools")
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="SUBCOMMAND", parser_class=_Parser)
    p = rules_sub.add_parser(
        "check", parents=[common], help="validate rulebooks and report file:line problems"
    )
    p.add_argument("path", nargs="?", help="a rulebook file or directory (default: the configured rulebooks)")
    rules_sub.add_parser(
        "reload",
        parents=[common],
        help="check the configured rulebooks, then have every running `thinktwice serve` reload them",
    )

    config = sub.add_parser("config", parents=[common], help="configuration tools")
    config_sub = config.add_subparsers(dest="config_command", metavar="SUBCOMMAND", parser_class=_Parser)
    config_sub.add_parser("show", parents=[common], help="print the effective configuration, secrets masked")

    p = sub.add_parser(
        "teams-package", parents=[common], help="write the Teams app package (a zip to upload)"
    )
    p.add_argument("--app-id", required=True, metavar="ID", help="the Azure Bot's Microsoft App ID (a GUID)")
    p.add_argument("--output", metavar="FILE", help="where to write it (default thinktwice-teams.zip)")

    p = sub.add_parser("ingest", parents=[common], help="add an organisation's policy document to a profile")
    p.add_argument("path", help="a .txt, .md or .docx document")

    p = sub.add_parser(
        "report",
        parents=[common],
        help="what the bot did (counts only) and the rules people dispute most",
        description="Counts of reviews, verdicts, findings, nudges, disputes and questions. "
        "Without --profile, every profile.",
    )
    p.add_argument("--since", metavar="YYYY-MM-DD", help="count from this UTC day on (default: everything)")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML page with charts")
    return parser


# -- input helpers ----------------------------------------------------------------


def _read_stdin_text() -> str:
    return decode_utf8(sys.stdin.buffer.read())


def _jsonl(stream: IO[bytes]) -> Iterator[tuple[Any, dict[str, Any] | None, str | None]]:
    """Yield (id, object, error) for each non-blank line; a bad line yields an error, never stops."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield None, None, f"line {number} is not valid UTF-8"
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield None, None, f"line {number} is not valid JSON ({exc.msg})"
            continue
        if not isinstance(obj, dict):
            yield None, None, f"line {number} is not a JSON object"
            continue
        yield obj.get("id"), obj, None


def _emit(obj: dict[str, Any], out: IO[str]) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")


# -- commands -----------------------------------------------------------------------


def _batch(
    bot: Thinktwice, args: argparse.Namespace, key: str, handle: Callable[[str, str | None], dict[str, Any]]
) -> int:
    out = sys.stdout
    for item_id, obj, error in _jsonl(sys.stdin.buffer):
        if error is None and obj is not None:
            try:
                value = obj.get(key)
                if not isinstance(value, str):
                    raise InputError(f"the line has no {key!r} string")
                profile = obj.get("profile") or args.profile
                if profile is not None and not isinstance(profile, str):
                    raise InputError("'profile' must be a string")
                result = handle(value, profile)
            except ThinktwiceError as exc:
                error = str(exc)
            else:
                _emit({"id": item_id, **result}, out)
                out.flush() if args.format == "text" else None
                continue
        _emit({"id": item_id, "error": error}, out)
    return EXIT_OK


def cmd_checkpost(bot: Thinktwice, args: argparse.Namespace) -> int:
    if args.batch:
        return _batch(bot, args, "text", lambda t, p: bot.review(t, p).as_dict())
    text = " ".join(args.text) if args.text and args.text != ["-"] else _read_stdin_text()
    verdict = bot.review(text, args.profile)
    if args.format == "json":
        _emit(verdict.as_dict(), sys.stdout)
    else:
        sys.stdout.write(
            render.verdict_text(text, verdict, bot.profile(args.profile), color=sys.stdout.isatty())
        )
    return EXIT_OK


def cmd_ask(bot: Thinktwice, args: argparse.Namespace) -> int:
    if args.batch:
        return _batch(bot, args, "question", lambda q, p: bot.ask(q, p).as_dict())
    question = " ".join(args.question) if args.question and args.question != ["-"] else _read_stdin_text()
    answer = bot.ask(question, args.profile)
    if args.format == "json":
        _emit(answer.as_dict(), sys.stdout)
    else:
        sys.stdout.write(render.answer_text(answer))
    return EXIT_OK


def cmd_scan(bot: Thinktwice, args: argparse.Namespace) -> int:
    out = sys.stdout
    for item_id, obj, error in _jsonl(sys.stdin.buffer):
        if error is None and obj is not None:
            try:
                text = obj.get("text")
                if not isinstance(text, str):
                    raise InputError("the line has no 'text' string")
                nudge = bot.scan(text, obj.get("profile") or args.profile)
            except ThinktwiceError as exc:
                error = str(exc)
            else:
                if args.format == "json":
                    _emit({"id": item_id, **nudge.as_dict()}, out)
                else:
                    out.write(render.nudge_line(item_id, nudge))
                continue
        if args.format == "json":
            _emit({"id": item_id, "error": error}, out)
        else:
            out.write(f"{item_id}: error: {error}\n")
    return EXIT_OK


def cmd_profiles(bot: Thinktwice, args: argparse.Namespace) -> int:
    profiles = bot.profiles()
    if args.format == "json":
        _emit(
            {
                "default": bot.config.profile,
                "profiles": [{"id": p.id, "name": p.name, "contact": p.contact} for p in profiles],
            },
            sys.stdout,
        )
    else:
        for p in profiles:
            mark = "*" if p.id == bot.config.profile else " "
            sys.stdout.write(f"{mark} {p.id:8} {p.name}\n")
    return EXIT_OK


def cmd_rules_check(config: Config, args: argparse.Namespace) -> int:
    path = Path(args.path) if args.path else config.rules_dir or builtin_rules_dir()
    rulebooks, problems = check_rulebooks(path)
    faq = path / "faq" if path.is_dir() else None
    if rulebooks is not None and faq is not None and faq.is_dir():
        # The question-answering knowledge beside the rulebooks is checked the same way.
        from .answering.knowledge import load_knowledge

        try:
            load_knowledge(rulebooks, faq)
        except RulebookError as exc:
            problems += exc.problems
    if problems:
        if args.format == "json":
            _emit({"ok": False, "problems": [str(p) for p in problems]}, sys.stdout)
        for p in problems:
            sys.stderr.write(f"{p}\n")
        return EXIT_USAGE
    assert rulebooks is not None
    count = sum(len(r) for r in rulebooks.rules.values())
    if args.format == "json":
        _emit(
            {"ok": True, "files": list(rulebooks.files), "profiles": sorted(rulebooks.profiles)}, sys.stdout
        )
    else:
        sys.stdout.write(
            f"ok: {len(rulebooks.files)} files, {len(rulebooks.profiles)} profiles "
            f"({', '.join(sorted(rulebooks.profiles))}), {count} profile rules\n"
        )
    return EXIT_OK


def cmd_rules_reload(config: Config, args: argparse.Namespace) -> int:
    """Check first (a broken rulebook is reported here, and no server is disturbed), then send SIGHUP."""
    from adapters.reload import signal_servers

    _, problems = check_rulebooks(config.rules_dir)
    if problems:
        if args.format == "json":
            _emit({"ok": False, "problems": [str(p) for p in problems]}, sys.stdout)
        sys.stderr.write("thinktwice: the rulebooks are broken, so no server was asked to reload:\n")
        for p in problems:
            sys.stderr.write(f"{p}\n")
        return EXIT_USAGE
    outcomes = signal_servers(config.data_dir)
    sent = [o for o in outcomes if o.sent]
    if args.format == "json":
        _emit(
            {
                "ok": bool(sent),
                "servers": [
                    {"pid_file": str(o.pid_file), "pid": o.pid, "sent": o.sent, "why": o.why}
                    for o in outcomes
                ],
            },
            sys.stdout,
        )
    else:
        for o in outcomes:
            sys.stdout.write(f"{o.pid_file}: pid {o.pid if o.pid is not None else '?'}: {o.why}\n")
        if sent:
            sys.stdout.write(
                f"asked {len(sent)} server{'s' if len(sent) != 1 else ''} to reload; "
                "each logs whether the new rules are in force (GET /readyz shows the generation)\n"
            )
    if not sent:
        sys.stderr.write(
            f"thinktwice: no running `thinktwice serve` found (no live pid file in {config.data_dir})\n"
        )
        return EXIT_USAGE
    return EXIT_OK


def cmd_config_show(config: Config, args: argparse.Namespace) -> int:
    shown = config.shown()
    if args.format == "json":
        _emit(shown, sys.stdout)
    else:
        for key, value in shown.items():
            if isinstance(value, dict):
                sys.stdout.write(f"{key}:\n")
                for k, v in value.items():
                    sys.stdout.write(f"  {k}: {v}\n")
            else:
                sys.stdout.write(f"{key}: {value}\n")
    return EXIT_OK


def cmd_ingest(bot: Thinktwice, args: argparse.Namespace) -> int:
    from .answering import ingest_document

    report = ingest_document(
        Path(args.path), bot.profile(args.profile).id, bot.config.data_dir, bot.rulebooks
    )
    if args.format == "json":
        _emit({"ok": True, "summary": report.summary()}, sys.stdout)
    else:
        sys.stdout.write(report.summary() + "\n")
    return EXIT_OK


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _since(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        if not _ISO_DAY.fullmatch(raw.strip()):
            raise ValueError
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise UsageError(f"--since takes a date as YYYY-MM-DD, such as 2026-11-02, not {raw!r}") from None


def cmd_report(config: Config, args: argparse.Namespace) -> int:
    # Reads the audit store only: no rulebooks are loaded, so a report works while they are broken.
    from .audit import open_audit
    from .audit.html_report import render_html
    from .audit.summary import summarise
    from .audit.text_report import render_text

    since = _since(args.since)
    with open_audit(config, flush_interval=0) as audit:
        summary = summarise(audit.counts(since), audit.disputes(since), since=since, profile=args.profile)
    if args.html:
        page = render_html(summary, generated=datetime.now(UTC))
        try:
            Path(args.html).write_text(page, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write the report to {args.html}: {exc.strerror or exc}") from None
    if args.format == "json":
        _emit({**summary.as_dict(), "html": args.html}, sys.stdout)
    else:
        sys.stdout.write(render_text(summary))
        if args.html:
            sys.stdout.write(f"\nWrote {args.html}\n")
    return EXIT_OK


def cmd_teams_package(args: argparse.Namespace) -> int:
    # The packaging module imports no botbuilder (adapters/teams/__init__.py imports nothing).
    from adapters.teams.package import DEFAULT_OUTPUT, PackageError, write_package

    output = Path(args.output or DEFAULT_OUTPUT)
    try:
        summary = write_package(args.app_id, output)
    except PackageError as exc:
        raise UsageError(str(exc)) from exc
    if args.format == "json":
        _emit({"ok": True, "output": str(output), **summary}, sys.stdout)
    else:
        sys.stdout.write(
            f"wrote {output} (app {summary['app_id']}, version {summary['version']}); "
            "upload it in Teams admin center > Manage apps > Upload new app\n"
        )
    return EXIT_OK


def _platforms_configured(env: dict[str, str]) -> list[str]:
    found = []
    if env.get("SLACK_BOT_TOKEN") and (env.get("SLACK_SIGNING_SECRET") or env.get("SLACK_APP_TOKEN")):
        found.append("slack")
    if env.get("MicrosoftAppId") or env.get("THINKTWICE_TEAMS_DEV") == "1":
        found.append("teams")
    return found


def cmd_serve(bot: Thinktwice, args: argparse.Namespace) -> int:
    # Imported here so that the core and the other commands never load the Slack SDK.
    from adapters.serve import run_server

    return run_server(
        bot,
        port=args.port,
        slack_socket=args.slack_socket,
        env=dict(os.environ),
        log_format=getattr(args, "log_format", None),
        teams_dev=getattr(args, "teams_dev", False),
    )


def cmd_console(bot: Thinktwice, args: argparse.Namespace) -> int:
    from adapters.console import run_console

    from .audit import AuditUnavailable, open_audit

    # The console counts what it does (platform "console"); checkpost, ask and scan are
    # evaluation tools and count nothing. No audit file is no reason to refuse a chat.
    try:
        audit = open_audit(bot.config)
    except AuditUnavailable as exc:
        sys.stderr.write(f"thinktwice: not counting this session: {exc}\n")
        return run_console(bot, sys.stdin, sys.stdout, profile_id=args.profile)
    with audit:
        return run_console(bot, sys.stdin, sys.stdout, profile_id=args.profile, audit=audit)


def cmd_start(bot: Thinktwice, args: argparse.Namespace) -> int:
    if _platforms_configured(dict(os.environ)):
        args.port, args.slack_socket = None, False
        return cmd_serve(bot, args)
    return cmd_console(bot, args)


_BOT_COMMANDS: dict[str, Callable[[Thinktwice, argparse.Namespace], int]] = {
    "checkpost": cmd_checkpost,
    "ask": cmd_ask,
    "scan": cmd_scan,
    "profiles": cmd_profiles,
    "console": cmd_console,
    "serve": cmd_serve,
    "start": cmd_start,
    "ingest": cmd_ingest,
}


def _fail(message: str, json_mode: bool) -> int:
    first = message.splitlines()[0] if message else "error"
    if json_mode:
        _emit({"error": message}, sys.stdout)
    sys.stderr.write(f"thinktwice: {first}\n" if "\n" not in message else f"thinktwice: {message}\n")
    return EXIT_USAGE


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    json_mode = any(a == "--format=json" for a in argv) or any(
        a == "--format" and i + 1 < len(argv) and argv[i + 1] == "json" for i, a in enumerate(argv)
    )
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            build_parser().print_help()
            return EXIT_OK
        if args.command == "teams-package":  # needs neither the configuration nor the rulebooks
            return cmd_teams_package(args)
        config = load_config()
        if args.command == "rules":
            if args.rules_command == "reload":
                return cmd_rules_reload(config, args)
            if args.rules_command != "check":
                raise UsageError("say `thinktwice rules check [PATH]` or `thinktwice rules reload`")
            return cmd_rules_check(config, args)
        if args.command == "report":
            return cmd_report(config, args)
        if args.command == "config":
            if args.config_command != "show":
                raise UsageError("say `thinktwice config show`")
            return cmd_config_show(config, args)
        bot = Thinktwice.start(config)
        if args.profile:
            bot.profile(args.profile)  # unknown profile: one clear sentence, exit 2
        return _BOT_COMMANDS[args.command](bot, args)
    except RulebookError as exc:
        return _fail(f"the rulebooks are broken, so thinktwice will not start:\n{exc}", json_mode)
    except ThinktwiceError as exc:
        return _fail(str(exc), json_mode)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
