"""Adaptive Cards for every reply: the review, the draft box, answers, nudges and help.

Pure functions of core results returning plain dicts (card JSON), so they are
easy to test and nothing here depends on botbuilder. Every card carries a
`fallbackText` that stands on its own (what clients that cannot draw the card,
and notifications, show). Words that came from a person (a draft, an excerpt, a
rewrite) go into `TextRun`s, which Teams never reads as markdown, so a draft
cannot turn into links or formatting in its own review.
"""

from __future__ import annotations

import re
from typing import Any

from bot.render import (
    CHAT_HEADLINE,
    SEVERITY_WORDS,
    answer_text,
    category_label,
    citation_label,
    review_summary,
)
from bot.types import Answer, Citation, Finding, Nudge, Profile, Verdict

from ..dispute import DISPUTE_LABEL, MAX_REASON, DisputeToken, dispute_token
from .text import clip

Card = dict[str, Any]
Element = dict[str, Any]

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
# The Action.Submit data that marks a draft sent from one of our cards.
SUBMIT_MARKER = {"thinktwice": "checkpost"}
DISPUTE_MARKER = "dispute"  # {"thinktwice": "dispute", "dispute": <token>} from the Send button
DISPUTE_REASON_INPUT = "disputeReason"
DRAFT_INPUT = "draft"
MAX_DRAFT_CHARS = 4000

# Teams refuses messages over about 28 KB: cap what one card shows.
MAX_FINDINGS_SHOWN = 12
EXCERPT_LIMIT = 300
CONTEXT_CHARS = 40
SUGGESTION_LIMIT = 4000

_COLOR = {"ok": "good", "caution": "warning", "stop": "attention"}


# -- building blocks -----------------------------------------------------------------------------------
def card(body: list[Element], *, fallback: str, actions: list[Element] | None = None) -> Card:
    content: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": fallback,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions:
        content["actions"] = actions
    return content


def attachment(content: Card) -> dict[str, Any]:
    return {"contentType": CONTENT_TYPE, "content": content}


def _text(text: str, **style: Any) -> Element:
    """Our own words (may use the card's markdown subset)."""
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _runs(*runs: Element, **style: Any) -> Element:
    return {"type": "RichTextBlock", "inlines": list(runs), **style}


def _run(text: str, **style: Any) -> Element:
    """Someone's words, shown exactly: a TextRun is never read as markdown."""
    return {"type": "TextRun", "text": text, **style}


def _subtle(text: str) -> Element:
    return _text(text, isSubtle=True, size="Small", spacing="Small")


def _cites(citations: tuple[Citation, ...], profile: Profile) -> str:
    return (
        "; ".join(citation_label(c, profile.short_name) for c in citations) or f"{profile.short_name} policy"
    )


# -- the review ----------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    """Runs of whitespace (newlines included) as one space, edges kept."""
    return re.sub(r"\s+", " ", text)


def _excerpt(finding: Finding, text: str) -> Element:
    """The finding's words, highlighted, with a little of the draft either side."""
    left = max(0, finding.start - CONTEXT_CHARS)
    right = min(len(text), finding.end + CONTEXT_CHARS)
    before = ("…" if left > 0 else "") + _squash(text[left : finding.start]).lstrip()
    after = _squash(text[finding.end : right]).rstrip() + ("…" if right < len(text) else "")
    inlines = [_run(clip(_squash(finding.excerpt), EXCERPT_LIMIT), highlight=True, weight="Bolder")]
    if before:
        inlines.insert(0, _run(before))
    if after:
        inlines.append(_run(after))
    return _runs(*inlines)


def _finding(i: int, finding: Finding, text: str, profile: Profile) -> Element:
    whole_post = finding.start == 0 and finding.end == len(text) and len(text) > 80
    items: list[Element] = [
        _text(
            f"{i}. {category_label(finding.category)} ({SEVERITY_WORDS[finding.severity]})", weight="Bolder"
        )
    ]
    if not whole_post:
        items.append(_excerpt(finding, text))
    items.append(_runs(_run(finding.explanation)))
    items.append(_subtle(f"Policy: {_cites(finding.citations, profile)} · rule {finding.rule}"))
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def review_card(text: str, verdict: Verdict, profile: Profile) -> Card:
    color, (word, rest) = _COLOR[verdict.level], CHAT_HEADLINE[verdict.level]
    body: list[Element] = [
        _text(
            f"{word}: {rest.format(policy=profile.short_name)}", weight="Bolder", color=color, size="Medium"
        )
    ]
    shown = verdict.findings[:MAX_FINDINGS_SHOWN]
    body.extend(_finding(i, f, text, profile) for i, f in enumerate(shown, 1))
    if len(verdict.findings) > len(shown):
        body.append(_subtle(f"…and {len(verdict.findings) - len(shown)} more findings not shown."))
    if verdict.suggestion:
        body.append(_text("Suggested rewrite", weight="Bolder", separator=True, spacing="Medium"))
        body.append(
            {
                "type": "Container",
                "style": "emphasis",
                "items": [_runs(_run(clip(verdict.suggestion, SUGGESTION_LIMIT)))],
            }
        )
    elif verdict.findings:
        body.append(_subtle("No safe rewrite: this one is better not posted."))
    token = dispute_token(profile.id, (f.rule for f in verdict.findings), "review")
    actions = [dispute_action(token)] if token is not None else None
    return card(body, fallback=review_summary(verdict, profile), actions=actions)


def dispute_action(token: DisputeToken) -> Element:
    """ "Not a problem?": opens an optional one-line reason and a Send button, in the card itself.

    The submitted data names the profile and the rules (the token), never the message.
    """
    rules = ", ".join(token.rules)
    return {
        "type": "Action.ShowCard",
        "title": DISPUTE_LABEL,
        "card": {
            "type": "AdaptiveCard",
            "body": [
                _subtle(
                    f"Tell the integrity team that {rules} flagged something that was fine. Only the rule "
                    "and the policy are recorded, not your message or your name."
                ),
                {
                    "type": "Input.Text",
                    "id": DISPUTE_REASON_INPUT,
                    "label": "Why? (optional, one line)",
                    "maxLength": MAX_REASON,
                },
            ],
            "actions": [
                {
                    "type": "Action.Submit",
                    "title": "Send",
                    "data": {"thinktwice": DISPUTE_MARKER, DISPUTE_MARKER: token.encode()},
                }
            ],
        },
    }


def dispute_thanks(token: DisputeToken) -> str:
    return f"Thanks: noted that {', '.join(token.rules)} flagged something that was fine."


# -- the draft box (personal chat `checkpost` alone, and the message extension's task module) --------------
def draft_card(profile: Profile, draft: str = "") -> Card:
    return card(
        [
            _text("Check a post before you make it", weight="Bolder"),
            _subtle(f"Checked against the {profile.short_name} policy. Only you see the result."),
            {
                "type": "Input.Text",
                "id": DRAFT_INPUT,
                "label": "Your draft post",
                "isMultiline": True,
                "maxLength": MAX_DRAFT_CHARS,
                "placeholder": "Paste or type the post you are thinking of making",
                "value": clip(draft, MAX_DRAFT_CHARS),
                "isRequired": True,
                "errorMessage": "Paste or type a draft to check.",
            },
        ],
        fallback="Paste or type the post you are thinking of making, then choose Check.",
        actions=[{"type": "Action.Submit", "title": "Check", "data": dict(SUBMIT_MARKER)}],
    )


# -- answers, nudges, help, errors -----------------------------------------------------------------------
def answer_card(answer: Answer, profile: Profile) -> Card:
    body: list[Element] = [_runs(_run(answer.text))]
    if answer.citations:
        body.append(_subtle("Source: " + _cites(answer.citations, profile)))
    if answer.abstained and answer.contact:
        body.append(_text(f"Ask a person: {answer.contact}", spacing="Small"))
    return card(body, fallback=answer_text(answer).strip())


def unavailable_sentence(profile: Profile) -> str:
    return f"Sorry, I can't answer questions just now. Please ask {profile.contact}."


def nudge_text(nudge: Nudge, profile: Profile) -> str:
    return nudge.message or f"Please check this message against the {profile.short_name} social media policy."


_PRIVATE_OPENING = re.compile(r"^Just a quiet heads-up, only you can see this: your message in this channel")


def thread_nudge_text(nudge: Nudge, profile: Profile) -> str:
    """The reminder for the fallback, a threaded reply others can see: it must not claim to be private."""
    return _PRIVATE_OPENING.sub("A quick heads-up: your message", nudge_text(nudge, profile))


def nudge_card(nudge: Nudge, profile: Profile) -> Card:
    message = nudge_text(nudge, profile).replace(
        "your message in this channel", "your message in a channel that is mirrored to Yammer or Lync", 1
    )
    body = [_text(message)]
    if nudge.citations:
        body.append(_subtle("Policy: " + _cites(nudge.citations, profile)))
    token = dispute_token(profile.id, nudge.rules, "nudge")
    return card(body, fallback=message, actions=[dispute_action(token)] if token is not None else None)


def help_lines(profile: Profile) -> list[str]:
    return [
        f"Check a post before you make it ({profile.short_name} social media policy):",
        "- **checkpost** followed by your draft checks it; only you see the result.",
        "- **checkpost** on its own opens a box for longer drafts.",
        "- **Check post** in the message box's … menu, or in any message's … menu, checks that text.",
        "- Anything else you send me here is a question about the policy.",
        "- **help** shows this again.",
    ]


def help_card(profile: Profile, nudge_categories: tuple[str, ...]) -> Card:
    lines = help_lines(profile)
    watched = ", ".join(category_label(c).lower() for c in nudge_categories)
    body = [
        _text(lines[0], weight="Bolder"),
        _text("\n".join(lines[1:])),
        _subtle(
            "In channels mirrored to Yammer or Lync I send you a private reminder if a message "
            f"looks like it includes {watched}."
        ),
        _subtle(f"Questions the policy doesn't answer: {profile.contact}"),
    ]
    fallback = (
        f"How to use thinktwice ({profile.short_name} policy): send checkpost followed by your draft; "
        "send checkpost alone for a larger box; use Check post from a message's menu; "
        "or send me a question."
    )
    return card(body, fallback=fallback)


def sentence(text: str) -> str:
    """An error's text as a sentence: capital first, full stop last."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
