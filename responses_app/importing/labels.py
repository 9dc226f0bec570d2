"""Row and column labels matched to platforms and offences through a vocabulary passed in as
plain data (the service builds it from the reference lists), so this module never reads the
database.

Exact matches only, after normalising case, spacing, '&' and a trailing footnote mark. Offence
codes as police write them ('22B', 'Code 22B', 'HO code 71/17', '71/17 Sexual communication
with a child', 'Sexual communication with a child (71/17)') resolve by the code, exactly: a code
not in the vocabulary is a question, never the nearest code ('71/17' is not '71').

Anything else unknown becomes a question with suggestions. The similarity rule: both spellings
reduced to their letters and digits, compared with difflib's ratio (twice the matched characters
over the total characters, 0..1); a name or alias scoring SUGGESTION_THRESHOLD or more is
suggested, at most MAX_SUGGESTIONS, best first. 'Snap Chat' scores 1.0 against Snapchat;
'Text message' 0.74 against iMessage and 'Yubo' 0.55 against YouTube, so neither is suggested.
Codes are never suggested. A suggestion is only ever applied by a decision.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from responses_app.importing.periods import split_footnote_mark

SUGGESTION_THRESHOLD = 0.8
MIN_NAME_IN_TITLE = 8  # shorter names ('rape') are too common in titles about other things
MAX_SUGGESTIONS = 3

PLATFORM = "platform"
OFFENCE = "offence"
NOT_RECORDED = "not_recorded"
TOTAL = "total"
SUBTOTAL = "subtotal"
UNKNOWN = "unknown"
SKIP = "skip"
OTHER_PLATFORM = "other_platform"

TOTAL_WORDS = {
    "total", "totals", "grand total", "overall total", "sum", "all platforms", "all",
    "total all platforms", "total offences", "total instances",
}  # fmt: skip
SUBTOTAL_WORDS = {"sub-total", "subtotal", "sub total", "sub-totals", "subtotals"}
NOT_RECORDED_WORDS = {
    "not recorded", "platform not recorded", "unknown", "not known", "no platform recorded",
    "platform unknown", "unknown platform", "none recorded",
}  # fmt: skip

_CODE = r"(\d{1,3}[a-z]?(?:/\d{1,3})?)"
_CODE_ALONE = re.compile(rf"(?:(?:home office|ho)\s*)?(?:offence\s*)?(?:code|classification)?"
                         rf"\s*[:#]?\s*{_CODE}")  # fmt: skip
_CODE_FIRST = re.compile(rf"{_CODE}\s*[-:]?\s+[a-z].*")
_CODE_LAST = re.compile(rf".*[a-z].*\(\s*(?:code\s*)?{_CODE}\s*\)")


@dataclass(frozen=True)
class Term:
    """A platform or offence: its key (the slug), name, other spellings and, for an offence,
    its Home Office code."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    code: str = ""


@dataclass(frozen=True)
class Vocabulary:
    platforms: tuple[Term, ...] = ()
    offences: tuple[Term, ...] = ()
    # The platform a decision 'other platform' files a label under.
    other_platform: str = "other"
    # Labels a clerk decided are the 'not recorded' row, or are to be skipped (kept aliases).
    not_recorded: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    kind: str
    key: str
    name: str
    score: float


@dataclass(frozen=True)
class Match:
    """What a label is: a platform or offence (with its key), a stated total or sub-total, the
    'not recorded' row, skipped by decision, or unknown (with suggestions)."""

    kind: str
    key: str = ""
    suggestions: tuple[Suggestion, ...] = field(default=())
    decided: bool = False


def normalise_label(label: object) -> str:
    text, _ = split_footnote_mark(" ".join(str(label or "").split()))
    text = text.casefold().replace("&", " and ").replace("’", "'")  # noqa: RUF001
    return " ".join(text.split()).strip(" :.;-")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w/]+", " ", normalise_label(text)).split())


def _compact(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class LabelMatcher:
    """Built once per reading from the vocabulary; `match` is a dictionary look-up."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.names: dict[str, tuple[str, str]] = {}
        self.codes: dict[str, str] = {}
        self.spellings: list[tuple[str, str, str, str]] = []  # compact, kind, key, name
        for kind, terms in ((PLATFORM, vocabulary.platforms), (OFFENCE, vocabulary.offences)):
            for term in terms:
                for spelling in (term.key, term.name, *term.aliases):
                    self.names.setdefault(normalise_label(spelling), (kind, term.key))
                    self.spellings.append((_compact(spelling), kind, term.key, term.name))
                if term.code:
                    self.codes[term.code.casefold().replace(" ", "")] = term.key
        self.not_recorded = {normalise_label(name) for name in vocabulary.not_recorded}
        self.skipped = {normalise_label(name) for name in vocabulary.skipped}

    def match(self, label: object, decision: str | None = None) -> Match:
        if decision:
            return self.decided(decision)
        key = normalise_label(label)
        if not key:
            return Match(UNKNOWN)
        if key in TOTAL_WORDS or key.startswith("grand total") or key.startswith("total "):
            return Match(TOTAL)
        if key in SUBTOTAL_WORDS or key.startswith(("sub-total", "subtotal", "sub total")):
            return Match(SUBTOTAL)
        if key in NOT_RECORDED_WORDS or key in self.not_recorded:
            return Match(NOT_RECORDED)
        if key in self.skipped:
            return Match(SKIP, decided=True)
        if key in self.names:
            kind, term = self.names[key]
            return Match(kind, term)
        code = offence_code(key)
        if code is not None:
            term = self.codes.get(code)
            return Match(OFFENCE, term) if term else Match(UNKNOWN)
        return Match(UNKNOWN, suggestions=self.suggest(key))

    def offence_named_in(self, text: str) -> str:
        """The one offence whose name or alias a sentence contains (a table's title), or ""."""
        sentence = f" {_words(text)} "
        found = {
            key
            for name, (kind, key) in self.names.items()
            if kind == OFFENCE
            and len(name) >= MIN_NAME_IN_TITLE
            and f" {_words(name)} " in sentence
        }
        return found.pop() if len(found) == 1 else ""

    def suggest(self, key: str) -> tuple[Suggestion, ...]:
        wanted = _compact(key)
        best: dict[tuple[str, str], Suggestion] = {}
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        for compact, kind, term, name in self.spellings:
            matcher.set_seq1(compact)
            score = round(matcher.ratio(), 3)
            if score >= SUGGESTION_THRESHOLD and score > best.get((kind, term), _NONE).score:
                best[(kind, term)] = Suggestion(kind, term, name, score)
        ranked = sorted(best.values(), key=lambda s: (-s.score, s.name))
        return tuple(ranked[:MAX_SUGGESTIONS])

    def decided(self, decision: str) -> Match:
        """A person's decision: 'platform:<key>', 'offence:<key>', 'not_recorded',
        'other_platform' or 'skip'. ValueError names what is wrong with it."""
        kind, _, key = decision.partition(":")
        if kind == SKIP and not key:
            return Match(SKIP, decided=True)
        if kind == NOT_RECORDED and not key:
            return Match(NOT_RECORDED, decided=True)
        if kind == OTHER_PLATFORM and not key:
            return Match(PLATFORM, self.vocabulary.other_platform, decided=True)
        terms = {PLATFORM: self.vocabulary.platforms, OFFENCE: self.vocabulary.offences}
        if kind in terms and any(term.key == key for term in terms[kind]):
            return Match(kind, key, decided=True)
        raise ValueError(
            f"'{decision}' is not a decision: give platform:<key>, offence:<key>, "
            "not_recorded, other_platform or skip, with a key from the lists."
        )


_NONE = Suggestion("", "", "", -1.0)


def offence_code(key: str) -> str | None:
    """The Home Office code a label gives ('code 22b' -> '22b'), or None when it gives none."""
    for pattern in (_CODE_ALONE, _CODE_FIRST, _CODE_LAST):
        if match := pattern.fullmatch(key):
            return match.group(1)
    return None
