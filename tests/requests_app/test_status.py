"""The request status machine: which event may happen in which status, and where it leads."""

import pytest

from requests_app.status import (
    BEFORE_THE_RESPONSE,
    TRANSITIONS,
    EventKind,
    Status,
    TransitionRefused,
    next_status,
)

ALLOWED = [
    pytest.param(status, kind, target or status, id=f"{kind}-from-{status}")
    for kind, (allowed_from, target) in TRANSITIONS.items()
    for status in allowed_from
    if target != BEFORE_THE_RESPONSE
]

REFUSED = [
    (status, kind)
    for kind, (allowed_from, _) in TRANSITIONS.items()
    for status in Status
    if status not in allowed_from
]


@pytest.mark.parametrize(("status", "kind", "expected"), ALLOWED)
def test_it_allows_every_transition_of_the_table(status, kind, expected):
    assert next_status(status, kind) == expected


@pytest.mark.parametrize("before", [Status.SENT, Status.EXTENDED, Status.FEE_NOTICE])
def test_withdrawing_a_response_returns_to_the_status_the_response_found(before):
    assert (
        next_status(Status.RESPONDED, EventKind.RESPONSE_WITHDRAWN, before_the_response=before)
        == before
    )


def test_withdrawing_a_response_with_none_on_record_is_refused():
    with pytest.raises(TransitionRefused, match="no response on record"):
        next_status(Status.RESPONDED, EventKind.RESPONSE_WITHDRAWN)


@pytest.mark.parametrize(("status", "kind"), REFUSED)
def test_it_refuses_every_pair_the_table_leaves_out(status, kind):
    with pytest.raises(TransitionRefused):
        next_status(status, kind)


# Written out by hand from the issue, so that a wrong row in the table itself is caught.
@pytest.mark.parametrize(
    ("status", "kind", "expected"),
    [
        ("draft", "sent", "sent"),
        ("sent", "acknowledged", "sent"),
        ("extended", "acknowledged", "extended"),
        ("sent", "clarification_requested", "awaiting_clarification"),
        ("awaiting_clarification", "clarification_received", "sent"),
        ("sent", "fee_notice", "fee_notice"),
        ("fee_notice", "fee_paid", "sent"),
        ("sent", "extension", "extended"),
        ("sent", "response", "responded"),
        ("extended", "response", "responded"),
        ("awaiting_clarification", "response", "responded"),
        ("fee_notice", "response", "responded"),
        ("responded", "internal_review_requested", "review_requested"),
        ("review_requested", "internal_review_response", "review_answered"),
        ("sent", "complaint", "complaint"),
        ("review_answered", "complaint", "complaint"),
        ("draft", "withdrawn", "withdrawn"),
        ("fee_notice", "withdrawn", "withdrawn"),
        ("responded", "closed", "closed"),
        ("complaint", "closed", "closed"),
    ],
)
def test_it_leads_each_event_to_the_expected_status(status, kind, expected):
    assert next_status(status, kind) == expected


def test_the_table_has_a_row_for_every_kind_of_event():
    assert set(TRANSITIONS) == set(EventKind)


def test_the_table_allows_this_many_transitions():
    # 1 sent + 2 acknowledged + 2 clarification_requested + 1 clarification_received + 1 fee_notice
    # + 1 fee_paid + 2 extension + 4 response + 1 internal_review_requested
    # + 1 internal_review_response + 5 complaint + 5 withdrawn + 4 closed = 30
    assert len(ALLOWED) == 30


@pytest.mark.parametrize(
    ("status", "kind", "message"),
    [
        (
            "draft",
            "response",
            "'Response received' cannot be recorded while the request is 'draft'; only when it "
            "is: 'sent, awaiting response'; 'awaiting clarification'; 'fee notice (clock "
            "paused)'; 'public-interest extension'.",
        ),
        (
            "sent",
            "fee_paid",
            "'Fee paid' cannot be recorded while the request is 'sent, awaiting response'; only "
            "when it is: 'fee notice (clock paused)'.",
        ),
        (
            "sent",
            "internal_review_requested",
            "'Internal review requested' cannot be recorded while the request is 'sent, awaiting "
            "response'; only when it is: 'responded'.",
        ),
        (
            "sent",
            "closed",
            "'Closed' cannot be recorded while the request is 'sent, awaiting response'; only "
            "when it is: 'responded'; 'internal review requested'; 'internal review answered'; "
            "'complaint to the regulator'.",
        ),
        (
            "draft",
            "acknowledged",
            "'Acknowledged by the force' cannot be recorded while the request is 'draft'; only "
            "when it is: 'sent, awaiting response'; 'public-interest extension'.",
        ),
    ],
)
def test_a_refusal_names_the_statuses_in_which_the_event_is_allowed(status, kind, message):
    with pytest.raises(TransitionRefused) as refused:
        next_status(status, kind)
    assert str(refused.value) == message


@pytest.mark.parametrize("status", ["withdrawn", "closed"])
@pytest.mark.parametrize("kind", list(EventKind))
def test_nothing_can_happen_to_a_withdrawn_or_closed_request(status, kind):
    with pytest.raises(TransitionRefused, match=f"while the request is '{status}'"):
        next_status(status, kind)


def test_it_refuses_a_kind_of_event_it_does_not_know():
    with pytest.raises(TransitionRefused) as refused:
        next_status("sent", "lost_in_the_post")
    assert str(refused.value) == "'lost_in_the_post' is not a kind of event."
