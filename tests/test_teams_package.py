"""The Teams app package: manifest, icons, `thinktwice teams-package`, and code for every command it lists."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from adapters.teams.extension import ACTION_COMMANDS, FETCH_TASK, SUBMIT_ACTION
from adapters.teams.handler import COMMANDS
from adapters.teams.package import PLACEHOLDER, PackageError, build_package, manifest_problems, sources_dir
from bot.cli import main

SOURCES = Path(__file__).resolve().parent.parent / "manifest" / "teams"
APP_ID = "3f0b6a52-8c1e-4d7a-9b2f-5e6d7c8b9a01"


def _manifest() -> dict[str, Any]:
    data = json.loads((SOURCES / "manifest.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of an 8-bit RGBA, non-interlaced PNG (as scripts/teams-icons.py writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        header = data if kind == b"IHDR" else header
        idat += data if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour, interlace) == (8, 6, 0)
    raw = zlib.decompress(idat)
    stride = 1 + 4 * width
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows)  # filter type None on every row
    return width, height, [row[1:] for row in rows]


def test_when_the_manifest_lists_a_command_then_the_code_has_a_handler_for_it() -> None:
    manifest = _manifest()
    (bot,) = manifest["bots"]
    listed = {c["title"] for command_list in bot["commandLists"] for c in command_list["commands"]}
    assert listed <= set(COMMANDS)
    (extension,) = manifest["composeExtensions"]
    for command in extension["commands"]:
        assert command["id"] in ACTION_COMMANDS
        assert command["type"] == "action" and command["fetchTask"] is True
        assert set(ACTION_COMMANDS[command["id"]]) == {FETCH_TASK, SUBMIT_ACTION}
        assert {"compose", "message"} <= set(command["context"])


def test_when_the_manifest_is_read_then_it_is_current_and_declares_what_the_code_needs() -> None:
    manifest = _manifest()
    assert manifest["manifestVersion"] == "1.17" and "v1.17" in manifest["$schema"]
    (bot,) = manifest["bots"]
    assert set(bot["scopes"]) == {"personal", "team"}
    assert bot["botId"] == manifest["id"] == manifest["webApplicationInfo"]["id"] == PLACEHOLDER
    assert manifest["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "ChannelMessage.Read.Group", "type": "Application"}
    ]
    assert manifest["validDomains"]


def test_when_the_icons_are_read_then_color_is_192_square_and_outline_32_white_on_transparent() -> None:
    width, height, _ = _pixels((SOURCES / "color.png").read_bytes())
    assert (width, height) == (192, 192)
    width, height, rows = _pixels((SOURCES / "outline.png").read_bytes())
    assert (width, height) == (32, 32)
    pixels = [row[i : i + 4] for row in rows for i in range(0, len(row), 4)]
    transparent = [p for p in pixels if p[3] == 0]
    drawn = [p for p in pixels if p[3] != 0]
    assert transparent and drawn
    assert all(p[3] == 0 for p in (rows[0][:4], rows[0][-4:], rows[-1][:4], rows[-1][-4:]))  # corners
    assert all(p == b"\xff\xff\xff\xff" for p in drawn)  # the outline icon is white, fully opaque


def test_when_the_package_is_built_then_the_zip_holds_the_three_files_with_the_id_filled_in() -> None:
    data, manifest = build_package(APP_ID.upper())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        packed = json.loads(archive.read("manifest.json"))
        files = {name: archive.read(name) for name in ("color.png", "outline.png")}
    assert packed == manifest
    assert PLACEHOLDER not in json.dumps(packed)
    assert packed["id"] == packed["bots"][0]["botId"] == packed["composeExtensions"][0]["botId"] == APP_ID
    assert manifest_problems(packed, files) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m.pop("accentColor"), "no 'accentColor'"),
        (lambda m: m["name"].update(short="x" * 31), "name is too long"),
        (lambda m: m["icons"].update(color="outline.png"), "color icon must be 192x192"),
        (lambda m: m.update(id="not-a-guid"), "not a GUID"),
        (lambda m: m["developer"].update(privacyUrl="http://example.gov.au/p"), "must be https"),
    ],
)
def test_when_the_manifest_breaks_a_teams_rule_then_the_problem_is_named(change: Any, problem: str) -> None:
    _, manifest = build_package(APP_ID)
    files = {name: (SOURCES / name).read_bytes() for name in ("color.png", "outline.png")}
    change(manifest)
    assert any(problem in p for p in manifest_problems(manifest, files))


def test_when_the_app_id_is_not_a_guid_then_no_package_is_built() -> None:
    with pytest.raises(PackageError, match="GUID"):
        build_package("my-bot")


def test_when_teams_package_runs_then_it_writes_the_zip_and_says_where(
    isolated_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "app.zip"
    assert main(["teams-package", "--app-id", APP_ID, "--output", str(output)]) == 0
    assert str(output) in capsys.readouterr().out
    with zipfile.ZipFile(output) as archive:
        assert json.loads(archive.read("manifest.json"))["id"] == APP_ID


def test_when_teams_package_gets_a_bad_app_id_then_exit_2_with_a_sentence(
    isolated_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["teams-package", "--app-id", "nope", "--output", str(tmp_path / "x.zip")]) == 2
    assert "GUID" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()


def test_when_the_cli_or_the_packager_is_imported_then_botbuilder_is_not() -> None:
    code = (
        "import sys, bot.cli, adapters.teams.package, adapters.teams.settings; "
        "loaded = [m for m in sys.modules if m.startswith(('botbuilder', 'botframework'))]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parent.parent)


def test_when_installed_then_the_package_sources_ship_inside_adapters_teams() -> None:
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"adapters.teams.manifest" = "manifest/teams"' in pyproject
    assert '"adapters.teams.manifest" = ["manifest.json", "*.png"]' in pyproject
    assert (sources_dir() / "manifest.json").is_file()
