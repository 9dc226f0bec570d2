"""Chasers: once a request is overdue by the campaign's number of working days, the force gets
one polite letter per deadline citing the duty it missed; a missed day is caught up and a
second run sends nothing new.

Sent on Mon 2 Mar 2026. Kent (FOIA) is due Tue 31 Mar (counted in test_sending.py). Jersey
counts on its own calendar (no St Patrick's Day): 3-6 Mar are days 1-4, 9-13 5-9, 16-20 10-14,
23-27 15-19, Mon 30 Mar 20: due 30 March; its 65th working day, past Good Friday 3 Apr, Easter
Monday 6 Apr, 4 May and 25 May (Liberation Day falls on Saturday 9 May): 31 Mar is 21,
1-2 Apr 23, 7-10 Apr 27, 13-17 32, 20-24 37, 27-30 41, 1 May 42, 5-8 May 46, 11-15 51,
18-22 56, 26-29 60, 1-5 Jun 65: Fri 5 June 2026.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.db import connections

from correspondence.models import ForceContact, Message
from correspondence.services import chasers, sending
from requests_app.models import Force
from requests_app.services import request_record_event
from tests.correspondence.conftest import at


@pytest.fixture
def chasing(mail_campaign):
    mail_campaign.chase_by_email = True
    mail_campaign.chase_after_working_days = 1
    mail_campaign.save()
    return mail_campaign


def send_on_2_march(campaign, owner, capture, *slugs):
    if "jersey" in slugs:
        ForceContact.objects.create(
            force=Force.objects.get(slug="jersey"), address="foi@jersey.example.je"
        )
    with time_machine.travel(at("2026-03-02"), tick=False), capture(execute=True):
        return sending.campaign_send_by_email(
            campaign=campaign, forces=[Force.objects.get(slug=s) for s in slugs], user=owner
        )


def sweep_on(day: str, capture) -> int:
    with time_machine.travel(at(day, 8), tick=False), capture(execute=True):
        return chasers.chasers_sweep(today=dt.date.fromisoformat(day)).claimed


def test_the_day_after_the_deadline_the_force_is_chased_once_citing_s10(
    chasing, owner, smtp_server, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    [kent] = send_on_2_march(chasing, owner, capture, "kent")
    first_letter = Message.objects.get(request=kent)
    assert sweep_on("2026-03-31", capture) == 0  # due today: not overdue yet
    assert sweep_on("2026-04-01", capture) == 1
    assert sweep_on("2026-04-01", capture) == 0
    assert sweep_on("2026-04-02", capture) == 0

    [chaser] = [d.parsed() for d in smtp_server.received[1:]]
    assert chaser["Subject"] == (
        f"Overdue Freedom of Information request: {chasing.title} [FT-{kent.pk}]"
    )
    # Stripped: a long Message-ID is folded onto the header's next line.
    assert (chaser["In-Reply-To"].strip(), chaser["References"].strip()) == (
        first_letter.message_id,
        first_letter.message_id,
    )
    body = chaser.get_content().replace("\r\n", "\n")
    assert f'"{chasing.title}" was sent to you on 2 March 2026.' in body
    assert (
        "Section 10(1) of the Freedom of Information Act 2000 required an answer promptly and in "
        "any event not later than the twentieth working day following receipt, which was "
        "31 March 2026. I have not yet received one."
    ) in body
    row = Message.objects.get(letter="chaser")
    assert (row.deadline, row.state, row.created_by) == (dt.date(2026, 3, 31), "sent", None)


def test_a_missed_sweep_is_caught_up_by_the_next(
    chasing, owner, smtp_server, django_capture_on_commit_callbacks
):
    """Three working days after Tue 31 Mar: Wed 1, Thu 2, then (Good Friday and Easter Monday
    are holidays) Tue 7 Apr. The sweep of the 7th did not run; the 8th's sends it."""
    chasing.chase_after_working_days = 3
    chasing.save()
    capture = django_capture_on_commit_callbacks
    send_on_2_march(chasing, owner, capture, "kent")
    assert sweep_on("2026-04-06", capture) == 0
    assert sweep_on("2026-04-08", capture) == 1
    assert len(smtp_server.received) == 2


def test_no_chaser_when_the_policy_is_off_or_the_force_has_answered(
    mail_campaign, owner, smtp_server, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    [kent, essex] = send_on_2_march(mail_campaign, owner, capture, "kent", "essex")
    assert sweep_on("2026-04-01", capture) == 0  # the campaign does not chase
    mail_campaign.chase_by_email = True
    mail_campaign.save()
    with time_machine.travel(at("2026-03-20"), tick=False):
        request_record_event(request=essex, kind="response", on=dt.date(2026, 3, 20), user=owner)
    assert sweep_on("2026-04-01", capture) == 1
    assert list(Message.objects.filter(letter="chaser").values_list("request", flat=True)) == [
        kent.pk
    ]


def test_a_passed_extension_estimate_is_chased_citing_s10_3_and_s17_2(
    chasing, owner, smtp_server, django_capture_on_commit_callbacks
):
    """The extension's ceiling is 20 working days after 31 Mar: Thu 30 Apr 2026
    (test_actions.py counts it)."""
    capture = django_capture_on_commit_callbacks
    [kent] = send_on_2_march(chasing, owner, capture, "kent")
    with time_machine.travel(at("2026-03-27"), tick=False):
        request_record_event(
            request=kent,
            kind="extension",
            on=dt.date(2026, 3, 27),
            until=dt.date(2026, 4, 14),
            user=owner,
        )
    assert sweep_on("2026-04-14", capture) == 0
    assert sweep_on("2026-04-15", capture) == 1
    body = smtp_server.received[-1].parsed().get_content().replace("\r\n", "\n")
    assert (
        "On 27 March 2026 you extended the time to consider the public interest (section 10(3) "
        "of the Freedom of Information Act 2000), and estimated that you would reach a decision "
        "by 14 April 2026 (section 17(2)). That date has passed"
    ) in body
    assert "which ends on 30 April 2026." in body


def test_jersey_is_chased_at_its_target_and_again_at_the_laws_limit(
    chasing, owner, smtp_server, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    send_on_2_march(chasing, owner, capture, "jersey")
    assert sweep_on("2026-03-31", capture) == 1
    target = smtp_server.received[-1].parsed().get_content().replace("\r\n", "\n")
    assert (
        "The Freedom of Information (Jersey) Law 2011 expects an answer within 20 working days "
        "of receipt, which was 30 March 2026. I have not yet received one. The Law's limit of 65 "
        "working days falls on 5 June 2026."
    ) in target
    assert sweep_on("2026-06-05", capture) == 0
    assert sweep_on("2026-06-08", capture) == 1
    limit = smtp_server.received[-1].parsed().get_content().replace("\r\n", "\n")
    assert "That limit ended on 5 June 2026 and I have not yet received an answer." in limit
    assert sorted(Message.objects.filter(letter="chaser").values_list("deadline", flat=True)) == [
        dt.date(2026, 3, 30),
        dt.date(2026, 6, 5),
    ]


def test_after_a_long_silence_only_the_latest_duty_is_chased(
    chasing, owner, smtp_server, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    send_on_2_march(chasing, owner, capture, "jersey")
    assert sweep_on("2026-06-08", capture) == 1
    assert list(Message.objects.filter(letter="chaser").values_list("deadline", flat=True)) == [
        dt.date(2026, 6, 5)
    ]


def test_the_command_shows_a_dry_run_then_queues(
    chasing, owner, smtp_server, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    send_on_2_march(chasing, owner, capture, "kent")
    dry, real = io.StringIO(), io.StringIO()
    with time_machine.travel(at("2026-04-01", 8), tick=False), capture(execute=True):
        call_command("send_chasers", "--date", "2026-04-01", "--dry-run", stdout=dry)
        assert not Message.objects.filter(letter="chaser").exists()
        call_command("send_chasers", "--date", "2026-04-01", stdout=real)
    assert dry.getvalue() == (
        "Dry run for 2026-04-01: 1 chasers would be sent.\n"
        f"  {chasing.title} / Kent Police: due 2026-03-31\n"
    )
    assert real.getvalue() == "Chasers for 2026-04-01: 1 queued.\n"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", range(2))
def test_two_sweeps_at_the_same_moment_chase_once(postgres, chasing, owner, settings, run):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(at("2026-03-02"), tick=False):
        sending.campaign_send_by_email(
            campaign=chasing, forces=[Force.objects.get(slug="kent")], user=owner
        )
    barrier = threading.Barrier(2, timeout=10)
    build = chasers.letters_build
    results = []

    def build_together(**kwargs):
        letters = build(**kwargs)
        barrier.wait()
        return letters

    def sweep():
        try:
            with time_machine.travel(at("2026-04-01", 8), tick=False):
                results.append(chasers.chasers_sweep(today=dt.date(2026, 4, 1)).claimed)
        finally:
            connections.close_all()

    with mock.patch("correspondence.services.chasers.letters_build", build_together):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(results) == [0, 1]
    assert Message.objects.filter(letter="chaser").count() == 1
