"""Mirrored-channel messages written for this table: which ones earn a nudge, and for what.

Everyday chat that brushes against the nudge rules (service lines, room numbers,
version numbers, "protected mode") must stay quiet; official contact details and
protective markings in any written form must not.
"""

from __future__ import annotations

import pytest

from bot.config import load_config
from bot.service import Thinktwice

MESSAGES: list[tuple[str, list[str], str]] = [
    ("dss", [], "Stand-up moved to 10:30, same room."),
    ("dss", [], "Can someone send me the link to the leave form?"),
    ("dhs", [], "Call Centrelink on 132 850 if your mum needs help with the form."),
    ("dibp", [], "Protected mode in the browser keeps breaking the portal login."),
    ("act", [], "Our secret weapon for the bake sale: Margaret's scones."),
    ("vic-dhs", [], "The meeting is confidential? No, it's an all-staff town hall, everyone welcome."),
    ("dss", [], "Room 4.12 is booked 2-3pm for the workshop."),
    ("dhs", [], "Version 2.3.1 of the tool is out, release notes in the wiki."),
    ("dss", [], "Anyone up for lunch at 12? Thai place on Marcus Clarke St."),
    ("dibp", [], "PR 4471 fixes the date bug, please review."),
    ("act", [], "Fire drill at 2pm, meet at the assembly area."),
    ("dss", [], "Try the Lifeline number 13 11 14 if you're not ok."),
    ("dss", ["contact-details"], "If the vendor calls, give them my direct line 02 6244 9910."),
    ("dhs", ["contact-details"], "Send the forms to m.chen@servicesaustralia.gov.au by Friday."),
    ("dss", ["contact-details"], "My desk phone is ext 5521 if the system goes down again."),
    ("vic-dhs", ["contact-details"], "Reach me at +61 3 9096 5000 for the rollout."),
    ("act", ["contact-details"], "Mobile for the on-call roster this week: 0438 221 907."),
    ("dibp", ["classified"], "Pasting the summary from the SECRET AUSTEO cable here for reference."),
    ("dhs", ["classified"], "[SEC=OFFICIAL:Sensitive] Draft figures attached for the estimates brief."),
    ("dss", ["classified"], "This one's marked Sensitive: Legal so don't forward it outside the team."),
    ("act", ["classified"], "It's a Cabinet-in-Confidence paper, just fyi before I paste it."),
    ("dss", ["classified"], "X-Protective-Marking: PROTECTED heads up on the attached."),
    ("dibp", ["classified"], "Classified document from the ops centre, grab it quick before it's pulled."),
    (
        "dss",
        ["contact-details", "classified"],
        "PROTECTED brief is with me, ring 02 6146 2231 if you want a copy.",
    ),
    ("dhs", ["contact-details"], "email me: a dot nguyen at humanservices dot gov dot au"),
    ("dss", ["contact-details"], "Jane's work mobile is 0412 555 019 if you need her urgently."),
    ("dss", ["classified"], "T O P  S E C R E T notes from the briefing below."),
]


@pytest.fixture(scope="module")
def bot() -> Thinktwice:
    return Thinktwice.start(load_config({}))


@pytest.mark.parametrize(("profile", "categories", "text"), MESSAGES)
def test_nudge_categories(bot: Thinktwice, profile: str, categories: list[str], text: str) -> None:
    nudge = bot.scan(text, profile)
    assert nudge.nudge == bool(categories)
    assert sorted(nudge.categories) == sorted(categories)
