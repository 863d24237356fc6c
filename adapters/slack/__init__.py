"""thinktwice on Slack (slack-bolt): every Slack import of the project lives in this package.

app.py       the Bolt AsyncApp, its handlers wired up, the /slack/events route, Socket Mode
commands.py  /checkpost, its modal and the "Check this post" shortcut
events.py    DM and mention questions, nudges in mirrored channels, App Home
blocks.py    Block Kit renderings of core results, each with a plain-text fallback
mirror.py    does a channel mirror Yammer or Lync (ids, name globs, topic or purpose)?
webapi.py    the Web API client: base URL, Retry-After retries, errors logged and survived
logsafe.py   the loggers handed to Bolt and slack-sdk, which never write message text
text.py      Slack message markup to plain text, and back to safe mrkdwn
settings.py  SLACK_* environment variables

Redelivery and cool-down (adapters.dedupe) and the state store (adapters.state, on Redis in
adapters.redis_state and adapters.fallback_state) are shared with Teams.
"""

from ..state import MemoryStateStore, StateStore
from .app import SlackAdapter
from .settings import SlackSettings

__all__ = ["MemoryStateStore", "SlackAdapter", "SlackSettings", "StateStore"]
