"""Draw the Teams app icons (manifest/teams/color.png 192x192, outline.png 32x32) with no imaging library.

The mark is a speech bubble with a tick: "check before you post". color.png is
the white mark on the accent colour, edge to edge; outline.png is the same mark
in white on a fully transparent background, as Teams requires. Run it again
after changing the drawing; the PNGs are committed.
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

ACCENT = (0x1F, 0x5F, 0x7A, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
Pixel = tuple[int, int, int, int]


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An 8-bit RGBA PNG: signature, IHDR, one zlib-compressed IDAT (filter 0 per row), IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _on_segment(px: float, py: float, a: tuple[float, float], b: tuple[float, float], width: float) -> bool:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    cx, cy = ax + t * dx, ay + t * dy
    return (px - cx) ** 2 + (py - cy) ** 2 <= (width / 2) ** 2


def mark(u: float, v: float) -> str:
    """What the unit square shows at (u, v): 'bubble', 'tick' (cut out of the bubble) or 'none'."""
    left, right, top, bottom, radius = 0.12, 0.88, 0.14, 0.70, 0.14
    # The rounded rectangle of the bubble.
    cx = min(max(u, left + radius), right - radius)
    cy = min(max(v, top + radius), bottom - radius)
    in_body = left <= u <= right and top <= v <= bottom and (u - cx) ** 2 + (v - cy) ** 2 <= radius**2
    # Its tail, a triangle under the left half.
    in_tail = bottom <= v <= 0.88 and 0.26 <= u <= 0.26 + (0.88 - v) * (0.20 / 0.18)
    if not (in_body or in_tail):
        return "none"
    tick = _on_segment(u, v, (0.32, 0.42), (0.45, 0.55), 0.09) or _on_segment(
        u, v, (0.45, 0.55), (0.70, 0.28), 0.09
    )
    return "tick" if tick else "bubble"


def color_pixel(size: int) -> Callable[[int, int], Pixel]:
    def pixel(x: int, y: int) -> Pixel:
        return WHITE if mark((x + 0.5) / size, (y + 0.5) / size) == "bubble" else ACCENT

    return pixel


def outline_pixel(size: int) -> Callable[[int, int], Pixel]:
    def pixel(x: int, y: int) -> Pixel:
        return WHITE if mark((x + 0.5) / size, (y + 0.5) / size) == "bubble" else CLEAR

    return pixel


def main(directory: str = "manifest/teams") -> int:
    out = Path(directory)
    (out / "color.png").write_bytes(png(192, 192, color_pixel(192)))
    (out / "outline.png").write_bytes(png(32, 32, outline_pixel(32)))
    print(f"wrote {out / 'color.png'} and {out / 'outline.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
