"""Plain-text renderings of core results, for the command line and the console.

Platform adapters render their own formats (Block Kit, Adaptive Cards); this is
the text a person reads in a terminal, and the screen-reader fallback text.
"""

from __future__ import annotations

from .types import Answer, Citation, Nudge, Profile, Verdict

_HEADLINE = {
    "ok": "OK: nothing in this draft conflicts with the policy.",
    "caution": "CAUTION: review this draft before you post it.",
    "stop": "STOP: do not post this as written.",
}


# What the chat platforms say of a verdict: the headline word, then the sentence after it.
CHAT_HEADLINE = {
    "ok": ("OK to post", "nothing in this draft conflicts with the {policy} policy."),
    "caution": ("Caution", "review this draft against the {policy} policy before you post it."),
    "stop": ("Stop", "do not post this as written: it breaks the {policy} policy."),
}
SEVERITY_WORDS = {"stop": "must change", "caution": "worth a second look"}


def category_label(category: str) -> str:
    return category.replace("-", " ").capitalize()


def review_summary(verdict: Verdict, profile: Profile) -> str:
    """The review in a sentence or three: what notifications, card fallbacks and screen readers get."""
    word, rest = CHAT_HEADLINE[verdict.level]
    lines = [f"{word}: {rest.format(policy=profile.short_name)}"]
    if verdict.findings:
        n = len(verdict.findings)
        found = ", ".join(dict.fromkeys(category_label(f.category).lower() for f in verdict.findings))
        lines.append(f"{n} finding{'s' if n != 1 else ''}: {found}.")
        lines.append(
            "A suggested rewrite is included."
            if verdict.suggestion
            else "There is no safe rewrite for this one."
        )
    return " ".join(lines)


def citation_label(c: Citation, short_name: str | None = None) -> str:
    section = f"s{c.section}" if c.section[:1].isdigit() else c.section
    name = short_name or c.policy.upper()
    if section == c.heading:
        return f"{name} policy, {c.heading}"
    return f"{name} policy {section}, {c.heading}"


def _highlight(text: str, start: int, end: int, color: bool, context: int = 40) -> str:
    left = max(0, start - context)
    right = min(len(text), end + context)
    before = ("…" if left > 0 else "") + text[left:start]
    after = text[end:right] + ("…" if right < len(text) else "")
    mark = f"\033[1;31m{text[start:end]}\033[0m" if color else f"»{text[start:end]}«"
    return " ".join(f"{before}{mark}{after}".split())


def verdict_text(text: str, verdict: Verdict, profile: Profile, color: bool = False) -> str:
    lines = [_HEADLINE[verdict.level] + f" ({profile.short_name} policy)"]
    whole = len(text)
    for i, f in enumerate(verdict.findings, 1):
        lines.append("")
        lines.append(f"{i}. {f.category} ({f.severity}), rule {f.rule}")
        if not (f.start == 0 and f.end == whole and len(verdict.findings) > 0 and f.end - f.start > 80):
            lines.append(f"   {_highlight(text, f.start, f.end, color)}")
        lines.append(f"   {f.explanation}")
        lines.append("   Cites: " + "; ".join(citation_label(c, profile.short_name) for c in f.citations))
    if verdict.suggestion:
        lines.append("")
        lines.append("Suggested rewrite:")
        lines.extend(f"   {line}" for line in verdict.suggestion.splitlines())
    elif verdict.findings:
        lines.append("")
        lines.append("No safe rewrite: this one is better not posted.")
    return "\n".join(lines) + "\n"


def answer_text(answer: Answer) -> str:
    lines = [answer.text]
    if answer.citations:
        lines.append("Source: " + "; ".join(citation_label(c) for c in answer.citations))
    if answer.abstained and answer.contact and answer.contact not in answer.text:
        lines.append(f"Ask: {answer.contact}")
    return "\n".join(lines) + "\n"


def nudge_line(item_id: object, nudge: Nudge) -> str:
    if not nudge.nudge:
        return f"{item_id}: no nudge\n"
    return f"{item_id}: nudge [{', '.join(nudge.categories)}] {nudge.message}\n"
