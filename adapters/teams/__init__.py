"""thinktwice on Microsoft Teams (botbuilder): every Bot Framework import of the project is in this package.

app.py           TeamsAdapter: POST /api/messages, checked at the seam, then botbuilder's CloudAdapter
validation.py    is a request body a usable activity; which delivery of which message is it
handler.py       the turn logic: personal chat commands and questions, channel messages, invokes
extension.py     the message extension's "Check post" action (fetchTask, submitAction)
nudges.py        reminders in mirrored channels: a proactive 1:1 message, else a threaded @mention
cards.py         Adaptive Card renderings of core results, each with a plain-text fallback
outbound.py      sending through the Bot Connector, failures logged and survived
mirror.py        does a channel mirror Yammer or Lync (ids, or name globs via the team's channel list)
chats.py         references to people's 1:1 chats with the bot
credentials.py   Bot Connector credentials reused, their tokens fetched off the event loop
signing_keys.py  incoming tokens' signing keys fetched off the event loop
text.py          Teams message HTML and mentions to plain text
settings.py      MicrosoftApp* variables and dev mode (no botbuilder import)
package.py       `thinktwice teams-package`: the app package zip (no botbuilder import)

This file imports nothing, so `bot.cli` can build the package without loading botbuilder.
Redelivery and cool-down (adapters.dedupe) and the state store (adapters.state) are shared with Slack.
"""
