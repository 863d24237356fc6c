"""A positive and a negative table for every judgement rule in rules/detectors.yaml.

The sentences here are written for these tests, not taken from the evaluation
sets: they check that each rule carries its policy concept to wording it has not
seen, and stays quiet on the everyday wording closest to it. A positive names
the rule that must report it (under the profile given); a negative names the
rule that must not.
"""

from __future__ import annotations

import pytest

from bot.config import load_config
from bot.service import Thinktwice

# rule id -> (profile, positives, negatives)
CASES: dict[str, tuple[str, list[str], list[str]]] = {
    "unannounced-embargo": (
        "dss",
        [
            "Embargoed till Thursday, but the carer payment is getting a bump.",
            "This isn't public until the Minister's speech: rent assistance is being doubled.",
            "You didn't hear this from me, but the grants round is being cancelled.",
        ],
        ["The embargo on Australian beef was lifted years ago.", "The announcement was made on Monday."],
    ),
    "unannounced-plan-from-inside": (
        "dhs",
        [
            "From the briefing this morning: the regional offices are set to close in March.",
            "Saw the draft memo, the card program will be scrapped from next financial year.",
        ],
        [
            "The pool is set to close in March for repairs.",
            "Our book club will start from next month, bring snacks.",
        ],
    ),
    "unannounced-leak-cue": (
        "act",
        ["Between you and me, the bus fares are going up next month."],
        ["Between you and me, I think the cat is smarter than the dog."],
    ),
    "on-behalf-of-agency": (
        "dss",
        [
            "On behalf of the Department, we reject those claims entirely.",
            "The department's position is that the trial worked.",
            "That's our view and it won't change.",
        ],
        ["I'm not speaking on behalf of the department, just sharing a photo of the lake."],
    ),
    "insider-policy-opinion": (
        "dss",
        [
            "As a DSS employee, trust me, the new payment rules are a mistake.",
            "I work at DSS and the pension changes make a lot of sense.",
        ],
        [
            "I work at DSS and I love the lake walks at lunch.",
            "I work at DSS and the pension changes make sense. Views are my own.",
        ],
    ),
    "agency-backs-policy": (
        "dibp",
        ["The Department strongly supports the new visa caps."],
        ["My footy club strongly supports the new ground rules."],
    ),
    "work-comment-without-disclaimer": (
        "vic-dhs",
        ["As a caseworker in my department, I think these housing reforms will help families."],
        [
            "As a caseworker in my department, I think these housing reforms will help. Views are my own.",
            "As a caseworker I love a quiet Sunday.",
        ],
    ),
    "logo-with-own-views": (
        "dss",
        ["New blog with the department logo in the header, where I'll share my thoughts on welfare."],
        ["Sharing my thoughts on the new season of the show."],
    ),
    "harsh-political-comment": (
        "act",
        [
            "The Chief Minister is a clueless fool who should be voted out.",
            "These senators are spineless cowards.",
        ],
        ["The minister opened the new library today.", "That movie was pathetic."],
    ),
    "criticism-of-workplace": (
        "dss",
        [
            "My director couldn't manage a lemonade stand.",
            "Our branch head is a joke and morale has never been lower.",
            "Senior executives here are hopeless, honestly.",
        ],
        ["My manager is brilliant and the team loves her.", "The weather this week has been hopeless."],
    ),
    "criticism-of-clients": (
        "dss",
        ["Half our clients are bludgers gaming the system."],
        ["Our clients deserve patience and respect."],
    ),
    "criticism-of-employer-decision": (
        "dibp",
        ["As a public servant I can say the Department's new roster system is the worst idea yet."],
        ["The council's new parking system is the worst idea yet."],
    ),
    "threat-or-incitement": (
        "vic-dhs",
        [
            "Someone should tell his boss what he did.",
            "I know where she lives, just saying.",
            "I'll sort him out after work.",
        ],
        ["I know where the best coffee is."],
    ),
    "personal-abuse": (
        "dss",
        ["He's a lying snake and everyone knows it."],
        ["We saw a snake on the bush walk."],
    ),
    "discrimination": (
        "dibp",
        ["So sick of listening to their accents on the bus.", "Send them back where they came from."],
        ["Send the parcel back where it came from."],
    ),
    "sexual-objectification": (
        "dhs",
        ["Let's rate the hottest guys in the call centre."],
        ["Today was the hottest day of the year."],
    ),
    "mocking-colleague": (
        "act",
        ["Did you see the new grad's report? What a muppet."],
        ["What an idiot I was to forget my keys.", "The Muppets movie is on tonight."],
    ),
    "contact-list-upload": (
        "dss",
        ["I've uploaded all my work contacts to the new app so you can find each other."],
        ["My contact list is a mess, I need to tidy it."],
    ),
    "named-person-sensitive": (
        "vic-dhs",
        ["My colleague Sarah Jones has been diagnosed with cancer, please keep her in your thoughts."],
        ["Sarah Jones won the bake-off with a lemon tart."],
    ),
    "sensitive-fact-from-records": (
        "dhs",
        ["Checked his file at work: he's on a bridging visa that expires soon."],
        ["Checked the file and the report is due Friday."],
    ),
    "address-of-another": (
        "dss",
        ["Here is the home address of the landlord who won't fix the heating."],
        ["Please update your address in the staff portal."],
    ),
    "official-client-case": (
        "dss",
        ["Had a client today whose payment was cancelled after a compliance review."],
        ["Had a client lunch today, lovely restaurant."],
    ),
    "official-records-at-work": (
        "dhs",
        ["Looked up his record and he owes thousands.", "This came up in our audit last week."],
        ["I looked up the recipe online."],
    ),
    "operations-and-enforcement": (
        "dibp",
        ["Our team intercepted two boats off the coast last night.", "Operation Sandstorm starts tomorrow."],
        ["The boats were racing on the harbour at the weekend."],
    ),
    "internal-documents-and-systems": (
        "dibp",
        ["Here's the internal guidance on visa cancellations.", "The passenger database was down all day."],
        ["The internal combustion engine is a marvel."],
    ),
    "self-identifies-with-agency": (
        "dibp",
        ["I've been working at Border Force for six years now.", "Loving my first week as an ABF officer!"],
        ["I crossed the border into Victoria yesterday."],
    ),
    "posts-about-official-duties": (
        "dibp",
        ["Night shift at the airport again, so tired.", "We detained three people at the terminal today."],
        ["Great win for the team on Saturday, go Raiders!", "We had a quiet day at the beach."],
    ),
    "location-tag": (
        "dibp",
        ["📍 Christmas Island", "Checked in at the Villawood centre."],
        ["Checking in on everyone after the storm."],
    ),
    "location-routine": (
        "dibp",
        ["I'm on the early shift every weekday, leaving home at 5."],
        ["I wish every day was a holiday."],
    ),
    "work-location": (
        "dibp",
        ["Deployed to Nauru for the next month.", "Our Border Force base in Darwin is flat out."],
        ["Off to the shops for bread."],
    ),
    "staff-at-named-site": (
        "dibp",
        ["We're at Sydney Airport all week doing the new checks."],
        ["The queues at Sydney Airport were long when I flew home."],
    ),
    "government-insignia": (
        "act",
        ["I put the ACT Government logo on our fundraiser flyer."],
        ["My kid drew a logo for her soccer team."],
    ),
    "copied-material": (
        "dss",
        [
            "Photocopied the whole workbook so no one has to buy it.",
            "I scanned the entire textbook so nobody needs to buy it.",
        ],
        ["I scanned the receipts for my tax return."],
    ),
}


@pytest.fixture(scope="module")
def bot() -> Thinktwice:
    return Thinktwice.start(load_config({}))


def _rules_found(bot: Thinktwice, text: str, profile: str) -> set[str]:
    return {f.rule for f in bot.review(text, profile).findings}


def test_every_judgement_rule_has_a_table(bot: Thinktwice) -> None:
    judgement = {
        spec.id
        for specs in bot.rulebooks.rules.values()
        for spec in specs
        if spec.category not in {"contact-details", "classified"} and spec.detector is None
    }
    assert judgement <= set(CASES), sorted(judgement - set(CASES))


@pytest.mark.parametrize(
    ("rule", "profile", "text"),
    [(rule, profile, text) for rule, (profile, positives, _) in CASES.items() for text in positives],
)
def test_rule_reports(bot: Thinktwice, rule: str, profile: str, text: str) -> None:
    assert rule in _rules_found(bot, text, profile)


@pytest.mark.parametrize(
    ("rule", "profile", "text"),
    [(rule, profile, text) for rule, (profile, _, negatives) in CASES.items() for text in negatives],
)
def test_rule_stays_quiet(bot: Thinktwice, rule: str, profile: str, text: str) -> None:
    assert rule not in _rules_found(bot, text, profile)


@pytest.mark.parametrize(
    ("text", "dibp_rules", "act_rules"),
    [
        # The ACT asks staff to identify themselves; DIBP forbids it.
        ("I work for the ACT Government in community services.", {"self-identifies-with-agency"}, set()),
    ],
)
def test_profiles_differ(bot: Thinktwice, text: str, dibp_rules: set[str], act_rules: set[str]) -> None:
    assert _rules_found(bot, text.replace("ACT Government", "Border Force"), "dibp") >= dibp_rules
    assert _rules_found(bot, text, "act") == act_rules


# Whole posts, written for this table: the categories each must get, no more and no fewer.
# Everyday posts that brush against a rule's words sit beside the risky ones.
POSTS: list[tuple[str, list[str], str]] = [
    ("dss", [], "Anyone know a good mechanic in Belconnen? My car is making a weird noise."),
    ("dss", [], "Loved the keynote at the conference today, so many good ideas about community resilience."),
    ("act", [], "I work for the ACT Government and I'm proud of the new library in Gungahlin."),
    ("dibp", [], "Beautiful sunset over the harbour tonight."),
    ("dhs", [], "Our team won the trivia night! Big thanks to the quizmaster."),
    ("vic-dhs", [], "Reminder: the Flu vaccine clinic is open at the local pharmacy this week."),
    ("dss", [], "The minister's speech was long but the catering was great."),
    ("dss", [], "My manager is amazing, best boss I've had."),
    ("dibp", [], "Flying out of Brisbane Airport tomorrow for a family wedding!"),
    ("dss", [], "Classified as one of the best podcasts of the year, highly recommend."),
    ("act", [], "The Canberra Raiders were hopeless tonight, what a disaster of a game."),
    ("dss", [], "Our cat is a fat, lazy ball of fluff and we love him."),
    ("vic-dhs", [], "Top secret: I'm making lasagne for dinner."),
    ("dhs", [], "Cabinet makers are so underrated, look at this dresser my uncle built."),
    ("dss", [], "Please vote in the school council election this Friday."),
    ("dibp", [], "Just finished a marathon, never again!"),
    ("dss", [], "Our office is hosting a blood drive next week, sign up on the intranet."),
    ("act", [], "The government's light rail stage 2 opens next year, can't wait to use it."),
    ("dhs", [], "Happy to report my garden finally produced a pumpkin."),
    ("dss", [], "He's a snake charmer at the Royal Show, honestly amazing."),
    # risky
    (
        "dss",
        ["contact-details"],
        "For the grants round, just ring me on (02) 6146 8820 during business hours.",
    ),
    ("dhs", ["classified"], "Attaching the PROTECTED brief for anyone who missed the meeting."),
    ("dss", ["political-comment"], "The Treasurer is a heartless liar and his budget is a disgrace."),
    ("act", ["criticism"], "Our director is completely clueless, the branch is falling apart under her."),
    ("dibp", ["identifies-employee"], "Ten years in the Border Force uniform today!"),
    (
        "dibp",
        ["location", "identifies-employee"],
        "Rostered on at the Villawood detention centre every Monday to Friday.",
    ),
    ("dss", ["privacy"], "My neighbour Tom Baker is on the disability pension and spends it all at the pub."),
    ("vic-dhs", ["harassment"], "Karen in payroll is a two-faced cow, someone should tell her."),
    ("dhs", ["official-information", "privacy"], "We pulled up her customer record and she has three debts."),
    (
        "dss",
        ["unannounced"],
        "Can't say too much but big changes to Youth Allowance will be announced next month.",
    ),
    ("dss", ["speaking-for-agency"], "Speaking on behalf of DSS: we will not be extending the trial."),
    ("act", ["copyright"], "Used the ACT Government crest on my band's poster, looks official lol."),
    ("dss", ["contact-details"], "DM me or email j.nguyen@dss.gov.au for the template."),
    ("dibp", ["official-information"], "The intel assessment on the smuggling network is scary reading."),
    ("dhs", ["harassment"], "I hope he rots, that supervisor made my life hell."),
    ("vic-dhs", ["criticism"], "Clients who rort the system should be ashamed, they're leeches."),
    (
        "dss",
        ["classified"],
        "Here's the Cabinet submission on the payment changes, marked Sensitive: Cabinet.",
    ),
    ("dibp", ["location"], "📍 Perth Airport, international terminal"),
    ("act", ["political-comment"], "These Liberals are a pack of corrupt frauds."),
    ("dss", ["privacy"], "Her TFN is 123 456 782 if anyone needs it for the form."),
    # a second batch
    ("dss", [], "Great turnout at the Reconciliation Week morning tea, thanks to everyone who baked."),
    ("dhs", [], "Anyone else think the new season of Bluey is the best yet?"),
    ("dibp", [], "Off to Bali next week for a friend's wedding, can't wait!"),
    ("vic-dhs", [], "So proud of my daughter for finishing her first half marathon."),
    ("act", [], "Does anyone have a spare ticket to the Brumbies game on Saturday?"),
    ("dss", [], "Reading a fascinating book on the history of the Australian welfare state."),
    ("dibp", [], "The new passport photo booth at the post office is so much better."),
    ("dhs", [], "Who else is watching the cricket today? What a catch!"),
    ("dss", [], "Our street party raised $600 for the local animal shelter."),
    ("vic-dhs", [], "Recommend the new café near Flinders Street, great coffee."),
    ("act", [], "Just voted at the local primary school, sausage sizzle was excellent."),
    ("dss", [], "Learning to play the ukulele, my neighbours are very patient."),
    ("dibp", [], "Visited the immigration museum in Melbourne, really moving exhibits."),
    ("dhs", [], "My manager bought the whole team lunch today, legend."),
    ("dss", [], "The department's annual report is now public on the website, worth a read."),
    # risky
    (
        "dss",
        ["contact-details"],
        "Happy to chat about the grant guidelines, call me at work on 02 6121 7744.",
    ),
    ("dhs", ["contact-details"], "Reach out anytime: k.patel@servicesaustralia.gov.au"),
    (
        "dibp",
        ["classified", "official-information"],
        "Leaked: the PROTECTED threat assessment on the northern approaches.",
    ),
    ("act", ["unannounced"], "Keep this quiet but the new stadium funding will be announced next month."),
    ("dss", ["speaking-for-agency"], "The department's position is that the cashless card works, full stop."),
    ("vic-dhs", ["political-comment"], "The Premier is a corrupt disgrace and should resign."),
    ("dhs", ["criticism"], "My team leader is utterly useless, can't make a single decision."),
    ("act", ["harassment"], "Karen from accounts is a fat useless cow."),
    ("dss", ["privacy"], "My colleague Priya Shah just had a miscarriage, so sad."),
    (
        "dibp",
        ["identifies-employee", "official-information"],
        "We intercepted a boat off Ashmore Reef this morning, 30 people on board.",
    ),
    ("dibp", ["identifies-employee"], "Proud to wear the Border Force uniform for 8 years now."),
    ("dibp", ["location", "identifies-employee"], "Rostered at Brisbane Airport every weekend this month."),
    ("act", ["copyright"], "Put the ACT Government logo on my personal blog header, looks legit."),
    (
        "vic-dhs",
        ["speaking-for-agency"],
        "As a DHS case worker I can tell you the housing reforms are exactly right.",
    ),
    (
        "dss",
        ["official-information"],
        "Had a client today whose Centrelink debt was cancelled after review, what a relief for her.",
    ),
    (
        "dhs",
        ["privacy", "official-information"],
        "Looked up my neighbour's record at work, turns out she's on the disability pension.",
    ),
    ("dss", ["harassment"], "If I see that guy from payroll again I'll smash him."),
    ("vic-dhs", ["criticism"], "Our clients are ungrateful liars, every single one."),
    ("dss", ["unannounced"], "Embargoed until Monday: the age pension rate goes up 3%."),
    ("dibp", ["classified"], "Here's the cable marked SECRET AUSTEO, don't share it."),
    # a third batch
    ("dss", [], "The new Parenting Payment rates are on the website now, check if you're eligible."),
    ("act", [], "The budget was handed down today; lots of interesting commentary in the papers."),
    ("dhs", [], "Looking forward to the long weekend, heading down the coast."),
    ("dibp", [], "Watched a great doco about the history of migration to Australia."),
    ("vic-dhs", [], "The department has released its annual report, link in the comments."),
    ("dss", [], "I don't agree with everything the government does, but I respect the process."),
    ("act", [], "Our team just finished a 10k charity walk, thanks for the donations!"),
    ("dss", [], "Working from home today, the cat is my new supervisor."),
    ("dhs", [], "The minister visited our office today, great to hear her speak about service delivery."),
    ("dibp", [], "Just got my citizenship certificate framed, proud day for my family."),
    ("vic-dhs", [], "Does anyone know a good family lawyer in Geelong? Asking for a friend."),
    ("dss", [], "Just read the Productivity Commission report, some interesting ideas on housing."),
    # risky
    (
        "dss",
        ["unannounced"],
        "Can't say much, but the Family Tax Benefit changes will be announced next week and they're big.",
    ),
    (
        "act",
        ["unannounced"],
        "Heard in a briefing today that the Belconnen pool will close in June. Not public yet!",
    ),
    (
        "dhs",
        ["official-information"],
        "Our internal fraud detection manual says they only check claims over $5k, lol.",
    ),
    (
        "dibp",
        ["official-information", "identifies-employee"],
        "We seized 200kg of cocaine at the port today, biggest bust of my career.",
    ),
    (
        "vic-dhs",
        ["speaking-for-agency"],
        "On behalf of the department, I want to apologise for the delays in your case.",
    ),
    (
        "dss",
        ["speaking-for-agency"],
        "I work at DSS and we fully support the new welfare rules, they're the right call.",
    ),
    ("act", ["political-comment"], "The Chief Minister is a corrupt clown, vote them out."),
    ("dss", ["political-comment"], "Every MP who voted for this bill is a heartless coward."),
    ("dhs", ["copyright"], "Scanned the whole textbook and uploaded it, so nobody needs to buy it."),
    (
        "vic-dhs",
        ["copyright", "speaking-for-agency"],
        "I've added the department logo to my blog so people know my thoughts on child protection are legit.",
    ),
    (
        "dss",
        ["criticism"],
        "Senior executives in this department are completely clueless about frontline work.",
    ),
    ("dhs", ["harassment"], "That new guy in my team is such a loser, someone should tell him to quit."),
    ("dss", ["privacy"], "My colleague Mark Chen is going through a divorce and is really struggling."),
    ("dibp", ["location"], "📍 Villawood, another long shift."),
    ("dibp", ["identifies-employee"], "Ten years with the Australian Border Force this week!"),
    ("act", ["contact-details"], "For event bookings call me on my direct line 02 6205 1234."),
    (
        "dss",
        ["classified"],
        "Sharing the Cabinet submission on the payment reforms, it's really interesting.",
    ),
    ("vic-dhs", ["official-information"], "A client of mine had her kids removed today, heartbreaking case."),
]


@pytest.mark.parametrize(("profile", "categories", "text"), POSTS)
def test_post_categories(bot: Thinktwice, profile: str, categories: list[str], text: str) -> None:
    assert sorted({f.category for f in bot.review(text, profile).findings}) == sorted(categories)
