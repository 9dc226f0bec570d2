"""Labels matched exactly through the vocabulary; codes resolve exactly; anything else is a
question whose suggestions follow the documented similarity rule (difflib ratio of the letters
and digits, 2 x matched / total, at least 0.8)."""

from __future__ import annotations

import pytest

from responses_app.importing.labels import (
    NOT_RECORDED,
    OFFENCE,
    PLATFORM,
    SKIP,
    SUBTOTAL,
    TOTAL,
    UNKNOWN,
    LabelMatcher,
    Match,
    Term,
    Vocabulary,
)
from tests.responses_app.answers.vocabulary import (
    VOCABULARY,
    VOCABULARY_WITHOUT_71_17,
    VOCABULARY_WITHOUT_SNAP_CHAT,
)

MATCHER = LabelMatcher(VOCABULARY)


@pytest.mark.parametrize(
    ("label", "kind", "key"),
    [
        ("Instagram", PLATFORM, "instagram"),
        ("  INSTAGRAM* ", PLATFORM, "instagram"),
        ("insta", PLATFORM, "instagram"),
        ("Facebook & Messenger", PLATFORM, "facebook-or-messenger"),
        ("Snap chat", PLATFORM, "snapchat"),
        ("Other", PLATFORM, "other"),
        ("Not recorded", NOT_RECORDED, ""),
        ("Platform unknown", NOT_RECORDED, ""),
        ("Total", TOTAL, ""),
        ("Grand Total", TOTAL, ""),
        ("Sum:", TOTAL, ""),
        ("Sub-total", SUBTOTAL, ""),
        ("Subtotal (messaging)", SUBTOTAL, ""),
        ("22B", OFFENCE, "sexual-activity-child-under-16"),
        ("Code 22B", OFFENCE, "sexual-activity-child-under-16"),
        ("HO code 22b", OFFENCE, "sexual-activity-child-under-16"),
        ("22B Sexual activity involving a child under 16", OFFENCE,
         "sexual-activity-child-under-16"),
        ("Sexual activity (22B)", OFFENCE, "sexual-activity-child-under-16"),
        ("71/17", OFFENCE, "sexual-communication-with-a-child"),
        ("71", OFFENCE, "child-prostitution-and-pornography"),
        ("11A", UNKNOWN, ""),
    ],
)  # fmt: skip
def test_it_matches_labels_and_codes_exactly(label, kind, key):
    match = MATCHER.match(label)
    assert (match.kind, match.key) == (kind, key)


def test_71_17_never_resolves_to_71_when_the_lists_lack_it():
    match = LabelMatcher(VOCABULARY_WITHOUT_71_17).match("71/17")
    assert match == Match(UNKNOWN)


def test_11a_resolves_once_the_lists_have_it():
    vocabulary = Vocabulary(offences=(Term("assault-11a", "Assault", code="11A"),))
    assert LabelMatcher(vocabulary).match("11a").key == "assault-11a"


def suggested(vocabulary, label) -> list[tuple[str, float]]:
    return [(s.key, s.score) for s in LabelMatcher(vocabulary).match(label).suggestions]


def test_snap_chat_is_suggested_as_snapchat_but_not_applied():
    """'snapchat' against 'snapchat': every character matches, 1.0."""
    match = LabelMatcher(VOCABULARY_WITHOUT_SNAP_CHAT).match("Snap Chat")
    assert match.kind == UNKNOWN
    assert suggested(VOCABULARY_WITHOUT_SNAP_CHAT, "Snap Chat") == [("snapchat", 1.0)]


@pytest.mark.parametrize("label", ["Yubo", "Text message"])
def test_weak_likenesses_are_not_suggested(label):
    """'yubo' against 'youtube' matches y, u, b of 4 + 7 letters: 0.55. 'textmessage' against
    'imessage' matches 'message', 14 of 19: 0.74. Both are below 0.8."""
    assert suggested(VOCABULARY, label) == []


def test_the_threshold_is_inclusive_at_exactly_0_8():
    """'sign' against 'signal' matches 4 letters of 4 + 6: 8 / 10 = 0.8, suggested;
    'omeglechat' against 'omegle' matches 6 of 10 + 6: 12 / 16 = 0.75, not."""
    vocabulary = Vocabulary(platforms=(Term("signal", "Signal"), Term("omegle", "Omegle")))
    assert suggested(vocabulary, "Sign") == [("signal", 0.8)]
    assert suggested(vocabulary, "Omegle chat") == []


def test_at_most_three_suggestions_best_first():
    vocabulary = Vocabulary(platforms=tuple(Term(f"kik-{n}", f"Kik{n}") for n in range(1, 6)))
    assert [key for key, _ in suggested(vocabulary, "Kik")] == ["kik-1", "kik-2", "kik-3"]


@pytest.mark.parametrize(
    ("decision", "match"),
    [
        ("platform:snapchat", Match(PLATFORM, "snapchat", decided=True)),
        ("offence:indecent-image-offences", Match(OFFENCE, "indecent-image-offences",
                                                  decided=True)),
        ("not_recorded", Match(NOT_RECORDED, decided=True)),
        ("other_platform", Match(PLATFORM, "other", decided=True)),
        ("skip", Match(SKIP, decided=True)),
    ],
)  # fmt: skip
def test_a_decision_says_what_a_label_is(decision, match):
    assert MATCHER.match("Yubo", decision) == match


@pytest.mark.parametrize("decision", ["platform:myspace", "snapchat", "offence:", "skip:x"])
def test_a_decision_naming_nothing_in_the_lists_is_refused(decision):
    with pytest.raises(ValueError, match="is not a decision"):
        MATCHER.match("Yubo", decision)


def test_a_title_names_an_offence_only_when_one_name_is_in_it():
    assert MATCHER.offence_named_in("Table 2: Indecent image offences, 2019/20") == (
        "indecent-image-offences"
    )
    assert MATCHER.offence_named_in("Offences by platform") == ""
