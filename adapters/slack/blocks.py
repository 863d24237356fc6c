"""Block Kit for every reply: the review, the modals, answers, nudges, help and App Home.

Each renderer returns a `Rendered` (Block Kit blocks plus the plain `text`
Slack shows in notifications and screen readers read when blocks cannot be
shown). The text is a sentence or two that stands on its own, not a dump of
the blocks. Pure functions of core results: no I/O, nothing Slack-bound but
the shape of the dicts.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bot.render import (
    CHAT_HEADLINE,
    SEVERITY_WORDS,
    answer_text,
    category_label,
    citation_label,
    review_summary,
)
from bot.types import Answer, Citation, Finding, Nudge, Profile, Verdict

from ..dispute import DISPUTE_ACTION, DISPUTE_LABEL, MAX_REASON, DisputeToken, dispute_token
from .text import clip, escape

Block = dict[str, Any]
View = dict[str, Any]

# Slack's limits, with a margin: section text 3000, header 150, modal title 24, 50 blocks per message.
SECTION_LIMIT = 2900
EXCERPT_LIMIT = 300
MAX_FINDINGS_SHOWN = 12

CHECKPOST_CALLBACK = "checkpost_modal"
DRAFT_BLOCK = "draft"
DRAFT_ACTION = "draft_input"
SHORTCUT_CALLBACK = "check_this_post"
DISPUTE_CALLBACK = "thinktwice_dispute_reason"
REASON_BLOCK = "reason"
REASON_ACTION = "reason_input"

_EMOJI = {"ok": ":white_check_mark:", "caution": ":warning:", "stop": ":octagonal_sign:"}


class Rendered(NamedTuple):
    text: str
    blocks: list[Block]


def _mrkdwn(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT)}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, SECTION_LIMIT)}]}


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, 150), "emoji": True}}


def _preformatted(text: str) -> Block:
    """A copyable block: rich text carries the characters exactly, with no mrkdwn to escape."""
    return {
        "type": "rich_text",
        "elements": [{"type": "rich_text_preformatted", "elements": [{"type": "text", "text": text}]}],
    }


def _cites(citations: tuple[Citation, ...], profile: Profile) -> str:
    return (
        "; ".join(citation_label(c, profile.short_name) for c in citations) or f"{profile.short_name} policy"
    )


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in escape(clip(text, EXCERPT_LIMIT)).splitlines() or [">"])


# -- the review -------------------------------------------------------------------------------------------


def _finding_blocks(i: int, finding: Finding, text: str, profile: Profile) -> list[Block]:
    title = f"*{i}. {category_label(finding.category)}* ({SEVERITY_WORDS[finding.severity]})"
    whole_post = finding.start == 0 and finding.end == len(text) and len(text) > 80
    body = [title]
    if not whole_post:
        body.append(_quote(finding.excerpt))
    body.append(escape(finding.explanation))
    return [
        _mrkdwn("\n".join(body)),
        _context(f"Policy: {escape(_cites(finding.citations, profile))} · rule `{finding.rule}`"),
    ]


def review_blocks(text: str, verdict: Verdict, profile: Profile) -> list[Block]:
    emoji, (word, rest) = _EMOJI[verdict.level], CHAT_HEADLINE[verdict.level]
    blocks: list[Block] = [_mrkdwn(f"{emoji} *{word}:* {rest.format(policy=escape(profile.short_name))}")]
    shown = verdict.findings[:MAX_FINDINGS_SHOWN]
    for i, finding in enumerate(shown, 1):
        blocks.append({"type": "divider"})
        blocks.extend(_finding_blocks(i, finding, text, profile))
    if len(verdict.findings) > len(shown):
        blocks.append(_context(f"…and {len(verdict.findings) - len(shown)} more findings not shown."))
    if verdict.suggestion:
        blocks.append({"type": "divider"})
        blocks.append(_mrkdwn("*Suggested rewrite* (copy it from the box below):"))
        blocks.append(_preformatted(clip(verdict.suggestion, SECTION_LIMIT)))
    elif verdict.findings:
        blocks.append(_context("No safe rewrite: this one is better not posted."))
    token = dispute_token(profile.id, (f.rule for f in verdict.findings), "review")
    if token is not None:
        blocks.append(dispute_actions(token))
    return blocks


def dispute_actions(token: DisputeToken) -> Block:
    """The "Not a problem?" button: its value names the profile and rules, never the text."""
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": DISPUTE_ACTION,
                "text": {"type": "plain_text", "text": DISPUTE_LABEL},
                "value": token.encode(),
            }
        ],
    }


def dispute_modal(token: DisputeToken) -> View:
    """Asks for the optional one-line reason; sending it records the dispute."""
    rules = ", ".join(f"`{r}`" for r in token.rules)
    return _modal(
        "Not a problem?",
        [
            _mrkdwn(
                f"Thanks for saying so. Sending this tells the integrity team that {rules} flagged something "
                "that was fine. Only the rule and the policy are recorded, not your message or your name."
            ),
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "Why? (optional, one line)"},
                "element": {"type": "plain_text_input", "action_id": REASON_ACTION, "max_length": MAX_REASON},
            },
        ],
        callback_id=DISPUTE_CALLBACK,
        private_metadata=token.encode(),
        submit={"type": "plain_text", "text": "Send"},
    )


def review_message(text: str, verdict: Verdict, profile: Profile) -> Rendered:
    return Rendered(review_summary(verdict, profile), review_blocks(text, verdict, profile))


# -- modals ------------------------------------------------------------------------------------------------
def _modal(title: str, blocks: list[Block], **extra: Any) -> View:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": clip(title, 24)},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks,
        **extra,
    }


def draft_modal(profile: Profile) -> View:
    """The modal `/checkpost` opens when given no text: one multi-line input."""
    return _modal(
        "Check a post",
        [
            {
                "type": "input",
                "block_id": DRAFT_BLOCK,
                "label": {"type": "plain_text", "text": "Your draft post"},
                "hint": {
                    "type": "plain_text",
                    "text": f"Checked against the {profile.short_name} policy. Only you see the result.",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": DRAFT_ACTION,
                    "multiline": True,
                    "max_length": 3000,
                    "placeholder": {
                        "type": "plain_text",
                        "text": "Paste or type the post you are thinking of making",
                    },
                },
            }
        ],
        callback_id=CHECKPOST_CALLBACK,
        submit={"type": "plain_text", "text": "Check"},
    )


def review_modal(text: str, verdict: Verdict, profile: Profile) -> View:
    """The result shown in place of the input modal (or opened by the message shortcut)."""
    return _modal("Post check", review_blocks(text, verdict, profile))


def notice_modal(title: str, sentence: str) -> View:
    return _modal(title, [_mrkdwn(escape(sentence))])


# -- help, errors ------------------------------------------------------------------------------------------
def help_message(profile: Profile) -> Rendered:
    lines = [
        f"*Check a post before you make it* ({escape(profile.short_name)} social media policy)",
        "• `/checkpost your draft text` checks a draft; only you see the result.",
        "• `/checkpost` on its own opens a box for longer drafts.",
        "• *Check this post* in any message's ⋮ menu checks that message.",
        "• Send me a direct message, or mention me, to ask a question about the policy.",
        "• `/checkpost help` shows this again.",
    ]
    text = (
        f"How to use thinktwice ({profile.short_name} policy): type /checkpost followed by your draft; "
        "type /checkpost alone for a larger box; use Check this post from a message's menu; "
        "or send me a direct message with a question."
    )
    return Rendered(text, [_mrkdwn("\n".join(lines))])


def error_message(sentence: str) -> Rendered:
    sentence = sentence[:1].upper() + sentence[1:]
    sentence = sentence if sentence.endswith((".", "?", "!")) else sentence + "."
    return Rendered(sentence, [_mrkdwn(f":information_source: {escape(sentence)}")])


# -- answers and nudges ------------------------------------------------------------------------------------
def answer_message(answer: Answer, profile: Profile) -> Rendered:
    blocks = [_mrkdwn(escape(answer.text))]
    if answer.citations:
        blocks.append(_context("Source: " + escape(_cites(answer.citations, profile))))
    if answer.abstained and answer.contact:
        blocks.append(_context(f"Ask a person: {escape(answer.contact)}"))
    return Rendered(answer_text(answer).strip(), blocks)


def unavailable_answer(profile: Profile) -> Rendered:
    sentence = f"Sorry, I can't answer questions just now. Please ask {profile.contact}."
    return Rendered(sentence, [_mrkdwn(escape(sentence))])


def nudge_message(nudge: Nudge, profile: Profile) -> Rendered:
    message = (
        nudge.message or f"Please check this message against the {profile.short_name} social media policy."
    )
    blocks = [_mrkdwn(f":shushing_face: {escape(message)}")]
    if nudge.citations:
        blocks.append(_context("Policy: " + escape(_cites(nudge.citations, profile))))
    token = dispute_token(profile.id, nudge.rules, "nudge")
    if token is not None:
        blocks.append(dispute_actions(token))
    return Rendered(message, blocks)


# -- App Home ----------------------------------------------------------------------------------------------
def home_view(profile: Profile, nudge_categories: tuple[str, ...]) -> View:
    blocks: list[Block] = [
        _header("thinktwice: check before you post"),
        _mrkdwn(f"Active policy: *{escape(profile.name)}* ({escape(profile.short_name)})"),
        {"type": "divider"},
        *help_message(profile).blocks,
    ]
    if profile.highlights:
        blocks.append({"type": "divider"})
        blocks.append(_mrkdwn("*What matters most in this policy*"))
        blocks.append(_mrkdwn("\n".join(f"• {escape(h)}" for h in profile.highlights)))
    watched = ", ".join(category_label(c).lower() for c in nudge_categories)
    blocks.append(
        _context(
            f"In channels mirrored to Yammer or Lync I send you a private reminder (nobody else sees it) "
            f"if a message looks like it includes {escape(watched)}."
        )
    )
    blocks.append(_context(f"Questions the policy doesn't answer: {escape(profile.contact)}"))
    return {"type": "home", "blocks": blocks}
