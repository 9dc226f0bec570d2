"""The corpus through the import service: each answer file, unedited, imports exactly the figures
worked out by hand (with the sheet and cell of the original file), or imports nothing and says
what to decide; then, decided, imports exactly. Previews attach nothing, the same file twice is
one document, a decision is kept as an alias for the next force, and a confirmation imports only
what its preview showed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.models import CampaignPeriod, Force
from requests_app.services import request_create
from responses_app import answer_import as answer_import_module
from responses_app import services
from responses_app.answer_import import ReadingNotReady, answer_import, answer_read
from responses_app.importing.outcome import AnswerRefused, Hints
from responses_app.importing.periods import Period
from responses_app.models import (
    Document,
    Figure,
    LabelAlias,
    OffenceAlias,
    OffenceCategory,
    PlatformAlias,
)
from responses_app.selectors import reading_vocabulary
from tests.responses_app.answers import builders, corpus
from tests.responses_app.answers.corpus import HEADINGS, Case, F
from tests.responses_app.answers.test_corpus import CASES, by_cell
from tests.responses_app.answers.vocabulary import (
    CAMPAIGN_PERIODS,
    VOCABULARY,
    VOCABULARY_WITHOUT_71_17,
    VOCABULARY_WITHOUT_SNAP_CHAT,
)
from tests.responses_app.conftest import RECEIVED_ON, SENT_ON

pytestmark = pytest.mark.django_db
CSO = Hints(offence=corpus.CSO)


def periods_set(campaign, periods: tuple[Period, ...]) -> None:
    CampaignPeriod.objects.filter(campaign=campaign).delete()
    for period in periods:
        CampaignPeriod.objects.create(campaign=campaign, start=period.start, end=period.end)


def lists_as_in(vocabulary) -> None:
    """The database's lists as the case's vocabulary has them."""
    if vocabulary is VOCABULARY_WITHOUT_71_17:
        OffenceCategory.objects.filter(home_office_code="71/17").delete()
    elif vocabulary is VOCABULARY_WITHOUT_SNAP_CHAT:
        PlatformAlias.objects.filter(name__iexact="Snap chat").delete()


def stored(response) -> list[F]:
    return by_cell(
        [
            F(
                f.sheet,
                f.cell,
                f.raw,
                f.status,
                f.low,
                f.high,
                Period(f.period_start, f.period_end),
                f.platform.slug if f.platform else f.platform_scope,
                f.offence.slug,
            )
            for f in response.figures.select_related("platform", "offence")
        ]
    )


def import_case(case: Case, response, user, decisions=None):
    return answer_import(
        response=response,
        content=case.build(),
        name=case.filename,
        user=user,
        hints=Hints(offence=case.offence, decisions=decisions or {}),
    )


def terms(vocabulary) -> set:
    return {
        (kind, t.key, t.name, frozenset(t.aliases), t.code)
        for kind, listed in (("platform", vocabulary.platforms), ("offence", vocabulary.offences))
        for t in listed
    }


def test_the_database_lists_are_the_fixture_lists():
    assert terms(reading_vocabulary()) == terms(VOCABULARY)


def test_71_17_resolves_to_sexual_communication_with_a_child():
    offence = OffenceCategory.objects.get(home_office_code="71/17")
    assert offence.name == "Sexual communication with a child"
    assert (
        OffenceCategory.objects.get(slug="meeting-a-child-following-grooming").home_office_code
        == ""
    )


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_answer_imports_exactly_or_imports_nothing_and_asks(
    case: Case, campaign, response, data_entry, document_files
):
    periods_set(campaign, case.periods)
    lists_as_in(case.vocabulary)
    if case.questions or case.outcome != "read":
        with pytest.raises(ReadingNotReady) as refused:
            import_case(case, response, data_entry)
        assert [q.key for q in refused.value.reading.questions] == case.questions
        assert not Figure.objects.exists() and not Document.objects.exists()
        assert not document_files.exists() or not any(document_files.iterdir())
        if not case.decisions:
            return
    result = import_case(case, response, data_entry, case.decisions)
    expected = case.decided if case.decisions else case.figures
    assert result.created == len(expected)
    assert stored(response) == by_cell(expected)
    assert set(response.figures.values_list("document", flat=True)) == {result.document.pk}
    assert result.document.original_name == case.filename


def test_a_preview_attaches_nothing_and_writes_nothing(campaign, response, document_files):
    case = corpus.title_footnotes_and_total()
    periods_set(campaign, CAMPAIGN_PERIODS)
    reading = answer_read(response=response, content=case.build(), name=case.filename)
    assert reading.ready and len(reading.figures) == len(case.figures)
    assert not Figure.objects.exists() and not Document.objects.exists()
    assert not document_files.exists() or not any(document_files.iterdir())


def test_the_same_file_twice_is_one_document(campaign, response, data_entry):
    periods_set(campaign, CAMPAIGN_PERIODS)
    content = builders.xlsx({"Sheet1": [HEADINGS, ["Instagram", 12, 7]]})
    attached = services.document_attach(
        response=response, name="answer.xlsx", content=content, user=data_entry
    )
    result = answer_import(
        response=response, content=content, name="answer copy.xlsx", user=data_entry, hints=CSO
    )
    assert result.document == attached
    assert list(response.documents.all()) == [attached]
    assert result.created == 2


def test_a_refused_import_leaves_no_file(campaign, response, data_entry, document_files, enter):
    """The response already has Instagram's first half-year: the file is refused naming the
    cell, and nothing of it is kept."""
    periods_set(campaign, CAMPAIGN_PERIODS)
    enter("12")
    content = builders.xlsx({"Sheet1": [HEADINGS, ["Instagram", 12, 7]]})
    with pytest.raises(ReadingNotReady) as refused:
        answer_import(response=response, content=content, name="a.xlsx", user=data_entry, hints=CSO)
    [problem] = refused.value.reading.problems
    assert (problem.sheet, problem.cells) == ("Sheet1", ("B2",))
    assert "already has this figure" in problem.message
    assert Figure.objects.count() == 1 and not Document.objects.exists()
    assert not document_files.exists() or not any(document_files.iterdir())


def test_a_figure_keyed_between_the_reading_and_the_write_refuses_the_whole_import(
    campaign, response, data_entry, document_files, enter, monkeypatch
):
    """The check before writing is bypassed, as when another clerk keys Instagram's first
    half-year in between: the database's unique cell refuses it, nothing is kept, and the new
    reading names the cell."""
    periods_set(campaign, CAMPAIGN_PERIODS)
    content = builders.xlsx({"Sheet1": [HEADINGS, ["Instagram", 12, 7]]})
    enter("12")
    checked = answer_import_module._storing_problems
    calls = []

    def first_unchecked(response, reading):
        calls.append(reading)
        return [] if len(calls) == 1 else checked(response, reading)

    monkeypatch.setattr(answer_import_module, "_storing_problems", first_unchecked)
    with pytest.raises(ReadingNotReady) as refused:
        answer_import(response=response, content=content, name="a.xlsx", user=data_entry, hints=CSO)
    assert refused.value.changed
    assert [p.cells for p in refused.value.reading.problems] == [("B2",)]
    assert Figure.objects.count() == 1 and not Document.objects.exists()
    assert not document_files.exists() or not any(document_files.rglob("*.xlsx"))


def test_an_attached_document_is_kept_when_its_import_is_refused(
    campaign, response, data_entry, document_files, enter
):
    periods_set(campaign, CAMPAIGN_PERIODS)
    enter("12")
    content = builders.xlsx({"Sheet1": [HEADINGS, ["Instagram", 12, 7]]})
    document = services.document_attach(
        response=response, name="a.xlsx", content=content, user=data_entry
    )
    with pytest.raises(ReadingNotReady):
        answer_import(
            response=response, content=content, name="a.xlsx", user=data_entry, hints=CSO,
            document=document,
        )  # fmt: skip
    assert list(Document.objects.all()) == [document]
    assert len(list(document_files.rglob("*.xlsx"))) == 1
    assert Figure.objects.count() == 1


def test_an_unreadable_file_is_refused_naming_what_is_wrong(response, data_entry):
    with pytest.raises(AnswerRefused):
        answer_import(response=response, content=b"\x00\x01junk", name="a.csv", user=data_entry)
    assert not Document.objects.exists()


def test_a_confirmation_imports_only_what_the_preview_showed(campaign, response, data_entry):
    """Previewed with Yubo skipped, confirmed with Yubo as another platform: the digest differs,
    nothing is imported, and the new reading is returned to be previewed."""
    periods_set(campaign, CAMPAIGN_PERIODS)
    content = builders.xlsx({"Sheet1": [HEADINGS, ["Instagram", 12, 7], ["Yubo", 3, 1]]})
    skip = Hints(offence=corpus.CSO, decisions={"label:yubo": "skip"})
    other = Hints(offence=corpus.CSO, decisions={"label:yubo": "other_platform"})
    preview = answer_read(response=response, content=content, name="a.xlsx", hints=skip)
    assert preview.ready and len(preview.figures) == 2
    with pytest.raises(ReadingNotReady) as refused:
        answer_import(
            response=response,
            content=content,
            name="a.xlsx",
            user=data_entry,
            hints=other,
            digest=preview.digest,
        )
    assert refused.value.changed
    assert len(refused.value.reading.figures) == 4
    assert not Figure.objects.exists() and not Document.objects.exists()
    result = answer_import(
        response=response,
        content=content,
        name="a.xlsx",
        user=data_entry,
        hints=skip,
        digest=preview.digest,
    )
    assert result.created == 2


def test_a_label_decision_maps_the_next_forces_file(campaign, owner, response, data_entry):
    """Kent's 'Snap Chat Inc' is decided to be Snapchat, 'No platform identified' the not
    recorded row, 'Of which online' skipped and 'Sexual comms' the 71/17 offence: Essex's
    file with the same labels reads by itself."""
    periods_set(campaign, CAMPAIGN_PERIODS)
    rows = [
        HEADINGS,
        ["Snap Chat Inc", 4, 5],
        ["No platform identified", 6, 2],
        ["Of which online", 10, 7],
    ]
    decisions = {
        "label:snap chat inc": "platform:snapchat",
        "label:no platform identified": "not_recorded",
        "label:of which online": "skip",
    }
    hints = Hints(offence="child-sexual-offences")
    content = builders.xlsx({"Sheet1": rows})
    with pytest.raises(ReadingNotReady) as refused:
        answer_import(
            response=response, content=content, name="k.xlsx", user=data_entry, hints=hints
        )
    assert [q.key for q in refused.value.reading.questions] == list(decisions)
    result = answer_import(
        response=response,
        content=content,
        name="k.xlsx",
        user=data_entry,
        hints=Hints(offence="child-sexual-offences", decisions=decisions),
    )
    assert result.created == 4
    assert PlatformAlias.objects.get(name="snap chat inc").platform.slug == "snapchat"
    assert LabelAlias.objects.get(name="no platform identified").meaning == "not_recorded"
    assert LabelAlias.objects.get(name="of which online").meaning == "skip"

    essex = request_create(
        campaign=campaign, force=Force.objects.get(slug="essex"), user=owner, sent_on=SENT_ON
    )
    second = services.response_record(
        request=essex, received_on=RECEIVED_ON, outcome="granted", user=data_entry
    )
    result = answer_import(
        response=second, content=content, name="e.xlsx", user=data_entry, hints=hints
    )
    assert stored(second) == by_cell(
        [
            F("Sheet1", "B2", "4", "reported", 4, 4, CAMPAIGN_PERIODS[0], "snapchat", corpus.CSO),
            F("Sheet1", "C2", "5", "reported", 5, 5, CAMPAIGN_PERIODS[1], "snapchat", corpus.CSO),
            F(
                "Sheet1",
                "B3",
                "6",
                "reported",
                6,
                6,
                CAMPAIGN_PERIODS[0],
                "not_recorded",
                corpus.CSO,
            ),
            F(
                "Sheet1",
                "C3",
                "2",
                "reported",
                2,
                2,
                CAMPAIGN_PERIODS[1],
                "not_recorded",
                corpus.CSO,
            ),
        ]
    )


def test_a_decision_about_a_label_the_file_does_not_have_is_not_kept(
    campaign, response, data_entry
):
    periods_set(campaign, CAMPAIGN_PERIODS)
    content = builders.xlsx({"Sheet1": [HEADINGS, ["Instagram", 12, 7]]})
    decisions = {"label:facebook page": "platform:instagram"}
    result = answer_import(
        response=response,
        content=content,
        name="a.xlsx",
        user=data_entry,
        hints=Hints(offence=corpus.CSO, decisions=decisions),
    )
    assert result.created == 2
    assert not PlatformAlias.objects.filter(name__iexact="facebook page").exists()


def test_an_offence_decision_becomes_an_offence_alias(campaign, response, data_entry):
    h1 = CAMPAIGN_PERIODS[0]
    periods_set(campaign, (h1,))
    rows = [["Platform", "Indecent image offences", "Sexual comms with child"], ["Instagram", 4, 9]]
    decisions = {"label:sexual comms with child": "offence:sexual-communication-with-a-child"}
    result = answer_import(
        response=response,
        content=builders.xlsx({"Sheet1": rows}),
        name="k.xlsx",
        user=data_entry,
        hints=Hints(period=h1, decisions=decisions),
    )
    assert stored(response) == [
        F("Sheet1", "B2", "4", "reported", 4, 4, h1, "instagram", corpus.IIO),
        F("Sheet1", "C2", "9", "reported", 9, 9, h1, "instagram", corpus.CODE_71_17),
    ]
    assert result.created == 2
    alias = OffenceAlias.objects.get(name="sexual comms with child")
    assert alias.offence.home_office_code == "71/17"
    assert terms(reading_vocabulary()) != terms(VOCABULARY)


def test_a_reading_makes_as_many_queries_for_twenty_platforms_as_for_two(
    campaign, response, django_assert_num_queries
):
    """The lists, aliases, campaign defaults and the response's figures are each one query,
    whatever the number of rows: count a 2-row table's reading, then a 20-row table's."""
    periods_set(campaign, CAMPAIGN_PERIODS)
    platforms = [t.name for t in VOCABULARY.platforms][:20]

    def content(rows: int) -> bytes:
        body = [[name, 3, 4] for name in platforms[:rows]]
        return builders.xlsx({"Sheet1": [HEADINGS, *body]})

    small, large = content(2), content(20)
    # The response's request and force are loaded once, then cached on the response.
    answer_read(response=response, content=small, name="a.xlsx", hints=CSO)
    with CaptureQueriesContext(connection) as counted:
        answer_read(response=response, content=small, name="a.xlsx", hints=CSO)
    with django_assert_num_queries(len(counted)):
        reading = answer_read(response=response, content=large, name="a.xlsx", hints=CSO)
    assert len(reading.figures) == 40
