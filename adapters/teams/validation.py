"""Is this request body an activity we can handle? And which delivery of which message is it?

The Bot Framework posts one activity per request. botbuilder trusts the shape
it is given (a missing conversation or serviceUrl surfaces as an exception deep
in a turn), so the fields the turn relies on are checked here, at the seam, and
a body without them is a 400.
"""

from __future__ import annotations

import json
from typing import Any

from botbuilder.schema import Activity

# Activity types whose handling is visible (a reply, a nudge), and so must not run twice.
_ONCE_ONLY = frozenset({"message", "messageUpdate"})
# Activity types that address a person: a sender and a recipient are needed to reply.
_ADDRESSED = frozenset({"message", "messageUpdate", "invoke"})


def field(value: Any, name: str) -> dict[str, Any]:
    """`value[name]` when both are JSON objects, else an empty one (channelData's parts are optional)."""
    inner = value.get(name) if isinstance(value, dict) else None
    return inner if isinstance(inner, dict) else {}


def _has_id(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("id"), str) and bool(value["id"])


def activity_problem(body: Any) -> str | None:
    """Why `body` is not a usable activity (a few words, never its content), or None."""
    if not isinstance(body, dict):
        return "not a JSON object"
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return "no activity type"
    service_url = body.get("serviceUrl")
    if not isinstance(service_url, str) or not service_url.startswith(("https://", "http://")):
        return "no serviceUrl"
    if not _has_id(body.get("conversation")):
        return "no conversation id"
    if kind in _ADDRESSED and not (_has_id(body.get("from")) and _has_id(body.get("recipient"))):
        return "no sender or recipient"
    for name, expected in (
        ("id", str),
        ("name", str),
        ("text", str),
        ("channelId", str),
        ("channelData", dict),
        ("entities", list),
        ("attachments", list),
        ("membersAdded", list),
    ):
        if name in body and body[name] is not None and not isinstance(body[name], expected):
            return f"{name} of the wrong type"
    if kind == "invoke" and not isinstance(body.get("value", {}), dict):
        return "invoke value of the wrong type"
    return None


def parse_activity(raw: bytes) -> tuple[Activity | None, str | None]:
    """The request body as an activity, or None and why not (a few words, never the content)."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None, "not JSON"
    problem = activity_problem(body)
    if problem is not None:
        return None, problem
    try:
        return Activity().deserialize(body), None
    except Exception as exc:  # msrest refuses a field of the wrong type (a timestamp that is not a time)
        return None, f"cannot be read as an activity ({type(exc).__name__})"


def delivery_key(activity: Activity) -> str | None:
    """One key per delivery of a message or an edit (the same again when the service redelivers it)."""
    if activity.type not in _ONCE_ONLY or not activity.id:
        return None
    key = f"{activity.conversation.id}:{activity.id}"
    if activity.type == "messageUpdate":  # each edit keeps the message's id; its timestamp tells them apart
        key += f":edit:{activity.timestamp.isoformat() if activity.timestamp else ''}"
    return key
