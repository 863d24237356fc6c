"""`thinktwice teams-package --app-id ID`: the Teams app package, a zip ready to upload.

The sources are `manifest/teams/` (manifest.json with `{{MicrosoftAppId}}`
placeholders, color.png, outline.png); an installed thinktwice carries them as
`adapters/teams/manifest/`. The package is those three files at the top level
of a zip, the app id filled in everywhere the placeholder stands. The manifest
is checked against the rules Teams enforces on upload that can be checked
offline (required fields, lengths, icon sizes) so a bad package is refused
here, with a sentence, rather than by Teams admin. No botbuilder import.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

from bot.errors import ThinktwiceError

PLACEHOLDER = "{{MicrosoftAppId}}"
DEFAULT_OUTPUT = "thinktwice-teams.zip"
MANIFEST = "manifest.json"
ICON_SIZES = {"color": (192, 192), "outline": (32, 32)}
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_DEVELOPER_URLS = ("websiteUrl", "privacyUrl", "termsOfUseUrl")
_REQUIRED = ("manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor")


class PackageError(ThinktwiceError):
    """The app id or the package sources cannot make a valid Teams app package."""


def sources_dir() -> Path:
    """The manifest sources: shipped inside the package when installed, else the repository's."""
    packaged = Path(__file__).with_name("manifest")
    if (packaged / MANIFEST).is_file():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "manifest" / "teams"


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise PackageError("an icon is not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _fill(value: Any, app_id: str) -> Any:
    if isinstance(value, str):
        return value.replace(PLACEHOLDER, app_id)
    if isinstance(value, list):
        return [_fill(v, app_id) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, app_id) for k, v in value.items()}
    return value


def manifest_problems(manifest: dict[str, Any], files: dict[str, bytes]) -> list[str]:
    """What Teams would refuse in this manifest and these files (empty when it is fine)."""
    problems = [f"the manifest has no {name!r}" for name in _REQUIRED if name not in manifest]
    if problems:
        return problems
    if PLACEHOLDER in json.dumps(manifest):
        problems.append("the app id placeholder is still in the manifest")
    if not _GUID.fullmatch(str(manifest["id"])):
        problems.append("the manifest id is not a GUID")
    if not re.fullmatch(r"\d+\.\d+\.\d+", str(manifest["version"])):
        problems.append("the manifest version is not MAJOR.MINOR.PATCH")
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", str(manifest["accentColor"])):
        problems.append("accentColor is not a #RRGGBB colour")
    if len(str(manifest["developer"].get("name", ""))) > 32:
        problems.append("the developer name is too long (32)")
    if not all(str(manifest["developer"].get(k, "")).startswith("https://") for k in _DEVELOPER_URLS):
        problems.append("the developer's website, privacy and terms URLs must be https")
    name, description = manifest["name"], manifest["description"]
    if len(name.get("short", "")) > 30 or len(name.get("full", "")) > 100:
        problems.append("the app name is too long (30 short, 100 full)")
    if len(description.get("short", "")) > 80 or len(description.get("full", "")) > 4000:
        problems.append("the description is too long (80 short, 4000 full)")
    for bot in manifest.get("bots", []):
        for command_list in bot.get("commandLists", []):
            for command in command_list.get("commands", []):
                if len(command["title"]) > 32 or len(command["description"]) > 128:
                    problems.append(f"bot command {command['title']!r} has too long a title or description")
    for extension in manifest.get("composeExtensions", []):
        for command in extension.get("commands", []):
            if len(command["id"]) > 64 or len(command["title"]) > 32:
                problems.append(f"compose extension command {command['id']!r} is too long")
    for kind, (width, height) in ICON_SIZES.items():
        icon = manifest["icons"].get(kind)
        if icon not in files:
            problems.append(f"the {kind} icon {icon!r} is not in the package")
        elif png_size(files[icon]) != (width, height):
            problems.append(f"the {kind} icon must be {width}x{height} pixels")
    return problems


def build_package(app_id: str, sources: Path | None = None) -> tuple[bytes, dict[str, Any]]:
    """The zip's bytes and the manifest it holds, for this app id."""
    app_id = app_id.strip().lower()
    if not _GUID.fullmatch(app_id):
        raise PackageError(f"the app id must be the Azure Bot's Microsoft App ID, a GUID, not {app_id!r}")
    sources = sources or sources_dir()
    try:
        template = json.loads((sources / MANIFEST).read_text(encoding="utf-8"))
        manifest = _fill(template, app_id)
        files = {name: (sources / name).read_bytes() for name in set(manifest["icons"].values())}
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise PackageError(
            f"cannot read the Teams manifest sources in {sources} ({type(exc).__name__})"
        ) from exc
    problems = manifest_problems(manifest, files)
    if problems:
        raise PackageError("the Teams manifest is not valid: " + "; ".join(problems))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue(), manifest


def write_package(app_id: str, output: Path) -> dict[str, str]:
    """Write the package to `output`; a short summary of what was written."""
    data, manifest = build_package(app_id)
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise PackageError(f"cannot write {output}: {exc.strerror or exc}") from exc
    return {"app_id": str(manifest["id"]), "version": str(manifest["version"])}
