"""The reminder policy walked day by day with frozen time.

Every date below was counted by hand on a calendar with the FOIA holiday list of
tests/requests_app/test_deadlines.py (2026: 17 Mar NI, 3 and 6 Apr, 4 May, 25 May, 15 Jun
Scotland, 13 Jul NI). Jersey has none of 17 Mar, 15 Jun or 13 Jul. "WD n" is the nth working day
after a date. The default policy: due soon 3 working days before, very overdue 20 after, the
complaint window 5 before it closes, an unanswered clarification after 5.

A request sent on Mon 2 Feb 2026 is due on Mon 2 Mar (WD 20: 3-6, 9-13, 16-20, 23-27 Feb, 2 Mar).
- due soon: Wed 25 Feb (26, 27 Feb and 2 Mar are the 3 working days left);
- due today: Mon 2 Mar; overdue: Tue 3 Mar (WD 1 after);
- very overdue: Tue 31 Mar (WD 20 after 2 Mar: 3-6, 9-13, 16, 18-20, 23-27, 30, 31; 17 skipped).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app import reminders
from requests_app.models import (
    Force,
    Reminder,
    ReminderDigest,
    ReminderKind,
    ReminderPolicy,
    ReminderPreference,
)
from requests_app.services import campaign_send
from requests_app.status import EventKind
from tests.factories import CampaignFactory
from tests.requests_app.reminder_helpers import (
    day,
    log,
    morning,
    outbox_to,
    record,
    sent_request,
    sweep_on,
)

K = ReminderKind
BOTH = ["colleague@example.org", "owner@example.org"]


def to_both(kind: str, clock: str) -> list[tuple[str, str, dt.date]]:
    return [("colleague", kind, day(clock)), ("owner", kind, day(clock))]


def walk(capture, first: str, last: str, events: dict | None = None):
    """Sweep once a day from `first` to `last`; a day's events are recorded before its sweep.
    Returns the reminders claimed on each day and who was emailed, for the days with any."""
    events = events or {}
    claimed, emailed, seen = {}, {}, set()
    date = day(first)
    while date <= day(last):
        for action in events.get(date.isoformat(), []):
            action()
        mail.outbox.clear()
        sweep_on(date, capture)
        new = log() - seen
        seen |= new
        if new:
            claimed[date] = sorted(new)
        if mail.outbox:
            emailed[date] = outbox_to()
        date += dt.timedelta(days=1)
    return claimed, emailed


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_it_reminds_of_an_answer_due_soon_today_overdue_and_very_overdue(campaign, owner, capture):
    sent_request(campaign, owner, day("2026-02-02"))

    claimed, emailed = walk(capture, "2026-02-02", "2026-04-10")

    assert claimed == {
        day("2026-02-25"): to_both(K.DUE_SOON, "2026-03-02"),
        day("2026-03-02"): to_both(K.DUE_TODAY, "2026-03-02"),
        day("2026-03-03"): to_both(K.OVERDUE, "2026-03-02"),
        day("2026-03-31"): to_both(K.VERY_OVERDUE, "2026-03-02"),
    }
    assert emailed == {date: BOTH for date in claimed}
    assert set(ReminderDigest.objects.values_list("state", flat=True)) == {"sent"}


def test_it_walks_a_request_through_extension_answer_and_internal_review(campaign, owner, capture):
    """Extension on Fri 27 Feb with an estimate of Mon 16 Mar; the ceiling is WD 20 after 2 Mar,
    Tue 31 Mar. Answered Thu 2 Apr: the complaint window closes Thu 14 May (6 weeks), warned on
    Thu 7 May (8, 11, 12, 13, 14 May left; 4 May is a holiday but outside). Review asked on Mon
    11 May: due Tue 9 Jun (WD 20, 25 May skipped), limit Wed 8 Jul (WD 40, 15 Jun skipped)."""
    request = sent_request(campaign, owner, day("2026-02-02"))
    events = {
        "2026-02-27": [
            lambda: record(
                request, EventKind.EXTENSION, day("2026-02-27"), owner, until=day("2026-03-16")
            )
        ],
        "2026-04-02": [lambda: record(request, EventKind.RESPONSE, day("2026-04-02"), owner)],
        "2026-05-11": [
            lambda: record(request, EventKind.INTERNAL_REVIEW_REQUESTED, day("2026-05-11"), owner)
        ],
    }

    claimed, emailed = walk(capture, "2026-02-02", "2026-07-10", events)

    assert claimed == {
        day("2026-02-25"): to_both(K.DUE_SOON, "2026-03-02"),
        # The extension moved the clock: nothing is due on 2 Mar any more.
        day("2026-03-11"): to_both(K.DUE_SOON, "2026-03-16"),  # 12, 13, 16 Mar left
        day("2026-03-16"): to_both(K.DUE_TODAY, "2026-03-16"),
        day("2026-03-18"): to_both(K.EXTENSION_PASSED, "2026-03-16"),  # 17 Mar is a holiday
        day("2026-04-01"): to_both(K.EXTENSION_CEILING_PASSED, "2026-03-31"),
        day("2026-05-07"): to_both(K.COMPLAINT_CLOSING, "2026-05-14"),
        day("2026-06-10"): to_both(K.REVIEW_OVERDUE, "2026-06-09"),
        day("2026-07-09"): to_both(K.REVIEW_VERY_OVERDUE, "2026-07-08"),
    }
    assert emailed == {date: BOTH for date in claimed}


def test_it_nudges_an_unanswered_clarification_and_rearms_the_restarted_clock(
    campaign, owner, capture
):
    """Clarification asked Wed 11 Feb: nudged Wed 18 Feb (WD 5). Sent back Mon 23 Feb: the 20
    days run again, due Tue 24 Mar (17 Mar skipped); due soon Thu 19 Mar (20, 23, 24 Mar left),
    overdue Wed 25 Mar. The old clock's 25 Feb and 2 Mar reminders never come."""
    request = sent_request(campaign, owner, day("2026-02-02"))
    events = {
        "2026-02-11": [
            lambda: record(request, EventKind.CLARIFICATION_REQUESTED, day("2026-02-11"), owner)
        ],
        "2026-02-23": [
            lambda: record(request, EventKind.CLARIFICATION_RECEIVED, day("2026-02-23"), owner)
        ],
    }

    claimed, _ = walk(capture, "2026-02-02", "2026-03-26", events)

    assert claimed == {
        day("2026-02-18"): to_both(K.CLARIFICATION_UNANSWERED, "2026-02-11"),
        day("2026-03-19"): to_both(K.DUE_SOON, "2026-03-24"),
        day("2026-03-24"): to_both(K.DUE_TODAY, "2026-03-24"),
        day("2026-03-25"): to_both(K.OVERDUE, "2026-03-24"),
    }


def test_it_counts_working_days_in_the_forces_own_regime(campaign, owner, capture):
    """Both received Mon 16 Feb 2026 and due Mon 16 Mar. Tue 17 Mar is a holiday under the Act
    (Northern Ireland) but a working day in Jersey, so Jersey's request is overdue a day
    earlier."""
    sent_request(campaign, owner, day("2026-02-16"), force="kent")
    sent_request(campaign, owner, day("2026-02-16"), force="jersey")
    walk(capture, "2026-03-16", "2026-03-18")

    overdue = Reminder.objects.filter(kind=K.OVERDUE, recipient__username="owner")
    assert sorted(overdue.values_list("request__force__slug", "digest__on")) == [
        ("jersey", day("2026-03-17")),
        ("kent", day("2026-03-18")),
    ]


def test_it_sends_nothing_new_when_the_sweep_runs_twice(campaign, owner, capture):
    sent_request(campaign, owner, day("2026-02-02"))
    first = sweep_on(day("2026-02-25"), capture)
    assert (first.claimed, outbox_to()) == (2, BOTH)

    second = sweep_on(day("2026-02-25"), capture)

    assert (second.claimed, second.digests) == (0, [])
    assert len(mail.outbox) == 2


def test_it_catches_up_a_day_the_sweep_did_not_run(campaign, owner, capture):
    sent_request(campaign, owner, day("2026-02-02"))

    sweep_on(day("2026-02-26"), capture)  # no sweep on 25 Feb

    assert log() == set(to_both(K.DUE_SOON, "2026-03-02"))
    assert outbox_to() == BOTH


def test_it_sends_only_the_reminder_still_true_after_a_long_gap(campaign, owner, capture):
    sent_request(campaign, owner, day("2026-02-02"))

    sweep_on(day("2026-03-04"), capture)  # no sweep from 25 Feb to 3 Mar

    assert log() == set(to_both(K.OVERDUE, "2026-03-02"))


def test_it_sends_nothing_for_withdrawn_and_closed_requests(campaign, owner, capture):
    withdrawn = sent_request(campaign, owner, day("2026-02-02"), force="kent")
    record(withdrawn, EventKind.WITHDRAWN, day("2026-02-20"), owner)
    closed = sent_request(campaign, owner, day("2026-02-02"), force="essex")
    record(closed, EventKind.RESPONSE, day("2026-02-20"), owner)
    record(closed, EventKind.CLOSED, day("2026-02-21"), owner)

    claimed, emailed = walk(capture, "2026-02-21", "2026-04-10")

    assert (claimed, emailed) == ({}, {})


def test_it_sends_one_digest_a_day_per_person_grouped_by_campaign(owner, colleague, capture):
    first = CampaignFactory(owner=owner, title="Cyber-flashing offences")
    second = CampaignFactory(owner=owner, title="Online grooming offences")
    second.collaborators.add(colleague)
    with _frozen("2026-02-02"):
        campaign_send(
            campaign=first,
            forces=list(Force.objects.filter(slug__in=["kent", "essex"])),
            sent_on=day("2026-02-02"),
            user=owner,
        )
    sent_request(second, owner, day("2026-02-02"), force="jersey")

    sweep_on(day("2026-02-25"), capture)

    assert outbox_to() == BOTH
    to_owner = next(m for m in mail.outbox if m.to == ["owner@example.org"])
    assert to_owner.subject == "FOI deadlines: 3 reminders for 25 Feb 2026"
    text = to_owner.body
    assert text.index("Cyber-flashing offences") < text.index("Essex Police")
    assert text.index("Essex Police") < text.index("Kent Police")
    assert text.index("Kent Police") < text.index("Online grooming offences")
    assert text.index("Online grooming offences") < text.index("States of Jersey Police")
    assert "Answer due soon (Mon 2 Mar 2026)" in text
    assert "The force must answer by Mon 2 Mar 2026." in text
    kent = Force.objects.get(slug="kent").requests.get()
    link = f"http://127.0.0.1:8000/admin/requests_app/foirequest/{kent.pk}/change/"
    assert link in text
    html, mimetype = to_owner.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{link}">Kent Police</a>' in html
    to_colleague = next(m for m in mail.outbox if m.to == ["colleague@example.org"])
    assert "Cyber-flashing" not in to_colleague.body
    assert "States of Jersey Police" in to_colleague.body


def test_it_leaves_out_people_who_turned_reminders_off_or_cannot_receive_them(
    campaign, owner, colleague, outsider, data_entry, capture
):
    ReminderPreference.objects.create(user=colleague, receives_reminders=False)
    outsider.is_active = False
    outsider.save()
    data_entry.email = ""
    data_entry.save()
    campaign.collaborators.add(outsider, data_entry)
    sent_request(campaign, owner, day("2026-02-02"))

    sweep_on(day("2026-02-25"), capture)

    assert outbox_to() == ["owner@example.org"]
    assert log() == {("owner", K.DUE_SOON, day("2026-03-02"))}


def test_it_keeps_items_found_after_todays_digest_for_tomorrow(campaign, owner, capture):
    """A request sent Wed 4 Feb is due Wed 4 Mar (WD 20). With 3 days' warning it is due soon on
    Fri 27 Feb; the admin raises the warning to 5 days in the middle of 25 Feb (26, 27 Feb, 2, 3,
    4 Mar left), after the morning digest went out."""
    sent_request(campaign, owner, day("2026-02-02"), force="kent")
    sent_request(campaign, owner, day("2026-02-04"), force="essex")
    sweep_on(day("2026-02-25"), capture)
    ReminderPolicy.objects.filter(pk=1).update(due_soon_working_days=5)

    later = sweep_on(day("2026-02-25"), capture)
    next_day = sweep_on(day("2026-02-26"), capture)

    assert later.claimed == 0
    assert next_day.claimed == 2
    essex = Reminder.objects.filter(request__force__slug="essex")
    assert set(essex.values_list("kind", "deadline", "digest__on")) == {
        (K.DUE_SOON, day("2026-03-04"), day("2026-02-26"))
    }
    assert len(mail.outbox) == 4


def test_it_reads_the_policy_defaults_when_the_row_is_missing(db):
    ReminderPolicy.objects.all().delete()

    policy = ReminderPolicy.current()

    assert (policy.pk, policy.due_soon_working_days, policy.very_overdue_working_days) == (1, 3, 20)
    assert (policy.complaint_closing_working_days, policy.clarification_working_days) == (5, 5)
    assert not ReminderPolicy.objects.exists()


@pytest.mark.parametrize("forces", [3, 30])
def test_it_sweeps_with_the_same_number_of_queries_for_3_or_30_requests(owner, colleague, forces):
    campaign = CampaignFactory(owner=owner)
    campaign.collaborators.add(colleague)
    with _frozen("2026-02-02"):
        campaign_send(
            campaign=campaign,
            forces=list(Force.objects.order_by("slug")[:forces]),
            sent_on=day("2026-02-02"),
            user=owner,
        )
    queued = []
    # Jersey and Guernsey are not among the first 30 slugs, so every request is due on 2 Mar.
    with _frozen("2026-02-25"), CaptureQueriesContext(connection) as queries:
        result = reminders.reminders_sweep(today=day("2026-02-25"), send=queued.append)

    assert result.claimed == 2 * forces
    assert Reminder.objects.count() == 2 * forces
    # Counted once for 3 requests and found the same for 30: no query per request.
    assert len(queries) == SWEEP_QUERIES[connection.vendor]


# 7 reads (policy, holidays, requests, owners, collaborators, claimed reminders, today's digests);
# in one transaction, 7 more (insert digests, the digests won, insert reminders, count them, look
# for empty digests, the digests waiting, record the sweep's run); and 4 savepoint statements,
# because the test itself runs in a transaction.
SWEEP_QUERIES = {"sqlite": 18, "postgresql": 18}


def test_the_command_runs_the_sweep_and_sends_synchronously(campaign, owner, capsys):
    sent_request(campaign, owner, day("2026-02-02"))

    with _frozen("2026-02-25"):
        call_command("send_reminders")

    assert outbox_to() == BOTH
    assert "Reminders for 2026-02-25: 2 claimed; digests sent 2, not sent 0." in (
        capsys.readouterr().out
    )


def test_the_command_dry_run_prints_what_would_be_sent_and_writes_nothing(campaign, owner, capsys):
    sent_request(campaign, owner, day("2026-02-02"))

    with _frozen("2026-03-10"):
        call_command("send_reminders", "--date", "2026-03-03", "--dry-run")

    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Dry run for 2026-03-03: 2 reminders would be sent.",
        f"  colleague@example.org: {campaign.title} / Kent Police: overdue (2026-03-02)",
        f"  owner@example.org: {campaign.title} / Kent Police: overdue (2026-03-02)",
    ]
    assert (Reminder.objects.count(), ReminderDigest.objects.count(), len(mail.outbox)) == (0, 0, 0)


def test_the_command_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="--date must be a date as YYYY-MM-DD"):
        call_command("send_reminders", "--date", "25/02/2026")


def _frozen(iso: str):
    import time_machine

    return time_machine.travel(morning(day(iso)), tick=False)
