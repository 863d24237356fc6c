"""The console adapter: a chat with the bot in a terminal, with no Slack or Teams account.

`run_console` is the loop the `thinktwice console` command runs; `ConsoleSession`
is one conversation (push a line, get the reply) and is what the tests drive.
"""

from .session import HELP, ConsoleSession
from .shell import run_console

__all__ = ["HELP", "ConsoleSession", "run_console"]
