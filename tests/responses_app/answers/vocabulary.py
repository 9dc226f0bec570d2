"""The reference lists as plain data, read from the fixtures the database is loaded from, and
the lists as they stood before sexual communication with a child (Sexual Offences Act 2003
s.15A, Home Office code 71/17) was added."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from responses_app.importing.labels import Term, Vocabulary
from responses_app.importing.periods import Period

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"

H1 = Period(dt.date(2019, 10, 1), dt.date(2020, 3, 31))
H2 = Period(dt.date(2020, 4, 1), dt.date(2020, 9, 30))
CAMPAIGN_PERIODS = (H1, H2)
SEXUAL_COMMUNICATION = Term(
    "sexual-communication-with-a-child", "Sexual communication with a child", code="71/17"
)


def fixture_vocabulary() -> Vocabulary:
    data = json.loads((FIXTURES / "platforms.json").read_text())
    platforms = tuple(
        Term(p["slug"], p["name"], tuple(p.get("aliases", ()))) for p in data["platforms"]
    )
    with (FIXTURES / "offences.csv").open(newline="") as source:
        offences = tuple(
            Term(row["slug"], row["name"], code=row["home_office_code"])
            for row in csv.DictReader(source)
        )
    return Vocabulary(platforms=platforms, offences=offences)


VOCABULARY = fixture_vocabulary()
assert SEXUAL_COMMUNICATION in VOCABULARY.offences, "the fixtures list 71/17"
VOCABULARY_WITHOUT_71_17 = Vocabulary(
    platforms=VOCABULARY.platforms,
    offences=tuple(t for t in VOCABULARY.offences if t != SEXUAL_COMMUNICATION),
)


def without_alias(vocabulary: Vocabulary, alias: str) -> Vocabulary:
    """The lists as they stood before a clerk's decision added `alias`."""
    platforms = tuple(
        Term(t.key, t.name, tuple(a for a in t.aliases if a != alias), t.code)
        for t in vocabulary.platforms
    )
    return Vocabulary(platforms=platforms, offences=vocabulary.offences)


VOCABULARY_WITHOUT_SNAP_CHAT = without_alias(VOCABULARY, "Snap chat")
