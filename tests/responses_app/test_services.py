import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from requests_app.models import RequestEvent
from requests_app.services import request_create
from responses_app import services
from responses_app.models import (
    Figure,
    FoiResponse,
    Platform,
    PlatformAlias,
    PlatformOwner,
    PlatformOwnership,
)
from responses_app.selectors import total_mismatches, totals_with_sums
from tests.responses_app.conftest import H1, RECEIVED_ON


def test_it_records_a_response_as_an_event_that_starts_the_review_clock(sent_request, data_entry):
    response = services.response_record(
        request=sent_request,
        received_on=RECEIVED_ON,
        outcome="partly_granted",
        exemptions=["s12", "s40(2)"],
        caveats="Goodwill figures for one period only.",
        user=data_entry,
    )
    sent_request.refresh_from_db()
    assert sent_request.status == "responded"
    event = sent_request.events.get(kind="response")
    assert (event.on, event.created_by, event.to_status) == (RECEIVED_ON, data_entry, "responded")
    # FOIA: an internal review may be asked for within 40 working days of the response (ICO).
    assert sent_request.review_request_by is not None
    assert response.exemptions == ["s12", "s40(2)"]
    assert response.history.get().history_user == data_entry


def test_it_refuses_a_response_to_a_draft_and_writes_nothing(campaign, owner, kent, data_entry):
    draft = request_create(campaign=campaign, force=kent, user=owner)
    with pytest.raises(ValidationError) as refused:
        services.response_record(
            request=draft, received_on=RECEIVED_ON, outcome="granted", user=data_entry
        )
    assert "cannot be recorded while the request is 'draft'" in refused.value.messages[0]
    assert FoiResponse.objects.count() == 0
    assert RequestEvent.objects.count() == 0


def test_it_refuses_exemptions_from_another_regime(sent_request, data_entry):
    with pytest.raises(ValidationError) as refused:
        services.response_record(
            request=sent_request,
            received_on=RECEIVED_ON,
            outcome="refused",
            exemptions=["art16"],
            user=data_entry,
        )
    assert refused.value.message_dict["exemptions"][0].startswith(
        "Not on this regime's list: art16"
    )
    assert FoiResponse.objects.count() == 0
    sent_request.refresh_from_db()
    assert sent_request.status == "sent"


def test_it_sets_the_owner_from_the_ownership_valid_at_the_period(enter):
    figure = enter("12", "instagram").figure
    assert (figure.status, figure.low, figure.high, figure.owner.slug) == (
        "reported",
        12,
        12,
        "meta",
    )


def test_it_follows_a_change_of_owner(response, offence, data_entry):
    twitter = Platform.objects.get(slug="twitter")
    before = services.figure_enter(
        response=response,
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 12, 31),
        offence=offence,
        platform=twitter,
        unit="instances",
        raw="3",
        user=data_entry,
    ).figure
    after = services.figure_enter(
        response=response,
        period_start=dt.date(2023, 4, 1),
        period_end=dt.date(2023, 12, 31),
        offence=offence,
        platform=twitter,
        unit="instances",
        raw="3",
        user=data_entry,
    ).figure
    assert (before.owner.slug, after.owner.slug) == ("twitter", "x-corp")


def test_it_reads_suppressed_cells_with_the_forces_threshold(enter, kent):
    kent.suppression_threshold = 10
    kent.save()
    figure = enter("*").figure
    assert (figure.status, figure.low, figure.high) == ("suppressed", 1, 9)


def test_it_refuses_a_period_that_ends_before_it_starts(response, offence, data_entry):
    with pytest.raises(ValidationError) as refused:
        services.figure_enter(
            response=response,
            period_start=H1[1],
            period_end=H1[0],
            offence=offence,
            platform=Platform.objects.get(slug="instagram"),
            unit="instances",
            raw="1",
            user=data_entry,
        )
    assert "period_end" in refused.value.message_dict
    assert Figure.objects.count() == 0


def test_it_refuses_a_negative_figure(enter):
    with pytest.raises(ValidationError) as refused:
        enter("-4")
    assert "negative" in refused.value.message_dict["raw"][0]


def test_it_confirms_a_figure_when_a_second_person_enters_the_same_value(enter, staff):
    first = enter("<5").figure
    second = enter("1-4", user=staff)
    first.refresh_from_db()
    assert (second.created, second.confirmed) == (False, True)
    assert (first.verified, first.verified_by) == (True, staff)
    assert Figure.objects.count() == 1


def test_it_flags_a_disagreement_when_a_second_person_enters_another_value(enter, staff):
    first = enter("12").figure
    second = enter("21", user=staff)
    first.refresh_from_db()
    assert second.disputed
    assert (first.verified, first.disputed, first.disputed_raw, first.disputed_by) == (
        False,
        True,
        "21",
        staff,
    )
    assert (first.raw, first.low) == ("12", 12)


def test_it_refuses_the_same_person_entering_a_cell_twice(enter):
    enter("12")
    with pytest.raises(ValidationError, match="a second person must confirm"):
        enter("12")


def test_it_refuses_self_approval_and_accepts_a_second_persons(enter, data_entry, staff):
    figure = enter("12").figure
    with pytest.raises(ValidationError, match="second person"):
        services.figure_verify(figure=figure, user=data_entry)
    services.figure_verify(figure=figure, user=staff)
    figure.refresh_from_db()
    assert (figure.verified, figure.verified_by) == (True, staff)


def test_it_keeps_every_version_of_a_corrected_figure_with_who_changed_it(enter, staff):
    figure = enter("12").figure
    enter("13", user=staff)  # a disagreement
    services.figure_correct(figure=figure, raw="13", user=staff)
    figure.refresh_from_db()
    assert (figure.raw, figure.low, figure.verified, figure.disputed) == ("13", 13, False, False)
    versions = list(
        figure.history.order_by("history_id").values_list(
            "raw", "disputed_raw", "history_user__username"
        )
    )
    assert versions == [("12", "", "data_entry"), ("12", "13", "staff"), ("13", "", "staff")]


def test_it_flags_a_stated_total_outside_the_sum_of_its_parts(enter):
    enter("20", "instagram")
    enter("*", "snapchat")  # 1..4
    enter("10", None, scope="not_recorded")
    total = enter("36", None).figure  # the parts sum to 31..34
    sums = totals_with_sums(Figure.objects.all()).get()
    assert (sums.parts_low, sums.parts_high, sums.parts_open) == (31, 34, 0)
    assert list(total_mismatches(Figure.objects.all())) == [total]


def test_it_accepts_a_stated_total_inside_the_interval_of_its_parts(enter):
    enter("20", "instagram")
    enter("*", "snapchat")  # 1..4: the parts sum to 21..24
    enter("22", None)
    assert list(total_mismatches(Figure.objects.all())) == []


def test_it_flags_a_total_below_the_parts_even_when_a_part_is_not_held(enter):
    enter("20", "instagram")
    enter("not held", "snapchat")  # unknown size: the sum is 20 or more
    enter("500", None)
    assert list(total_mismatches(Figure.objects.all())) == []
    Figure.objects.filter(platform_scope="all_platforms").delete()
    total = enter("19", None).figure
    assert list(total_mismatches(Figure.objects.all())) == [total]


def test_it_counts_mismatches_in_one_query(enter, django_assert_num_queries):
    enter("20", "instagram")
    enter("30", None)
    with django_assert_num_queries(1):
        assert len(list(total_mismatches(Figure.objects.all()))) == 1


def test_it_loads_the_reference_lists_again_without_undoing_admin_edits(db):
    instagram = Platform.objects.get(slug="instagram")
    instagram.name = "Instagram (edited)"
    instagram.save()
    counts = (
        Platform.objects.count(),
        PlatformAlias.objects.count(),
        PlatformOwnership.objects.count(),
        PlatformOwner.objects.count(),
    )
    services.reference_lists_load()
    assert Platform.objects.get(slug="instagram").name == "Instagram (edited)"
    assert counts == (
        Platform.objects.count(),
        PlatformAlias.objects.count(),
        PlatformOwnership.objects.count(),
        PlatformOwner.objects.count(),
    )
    meta = set(
        PlatformOwnership.objects.filter(owner__slug="meta").values_list(
            "platform__slug", flat=True
        )
    )
    assert {"facebook", "facebook-messenger", "instagram", "whatsapp"} <= meta
