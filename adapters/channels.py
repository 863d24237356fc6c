"""Which channels mirror Yammer or Lync, by configuration: channel ids, or name globs.

`THINKTWICE_MIRROR_CHANNELS` mixes both (`C0123ABCD,19:abc@thread.tacv2,yammer-*`).
What an id looks like differs by platform, so each adapter says; everything
else is a glob matched, case-insensitively, against the channel's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase


class MirrorPatterns:
    def __init__(self, patterns: Iterable[str], is_channel_id: Callable[[str], bool]) -> None:
        cleaned = [p.strip() for p in patterns if p.strip()]
        self.ids = frozenset(p for p in cleaned if is_channel_id(p))
        self.globs = tuple(p.lstrip("#").lower() for p in cleaned if not is_channel_id(p))

    def matches_id(self, channel_id: str) -> bool:
        return channel_id in self.ids

    def matches_name(self, name: str) -> bool:
        name = name.strip().lstrip("#").lower()
        return bool(name) and any(fnmatchcase(name, glob) for glob in self.globs)
