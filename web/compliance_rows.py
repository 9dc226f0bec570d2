"""The compliance report (responses_app/compliance.py) as a page writes it: each request's
record in words, and the totals line. The rules stay in the report; this only names its facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format

from requests_app.deadlines import WorkingCalendar
from requests_app.models import ReviewOutcome
from requests_app.status import Status
from responses_app.compliance import ComplianceReport, ComplianceRow, Share, Summary
from responses_app.shares import percent_text, plural

NONE = "\u2013"  # a dash for "nothing to say"
STOPPED = (Status.WITHDRAWN, Status.CLOSED)


def day(on: dt.date | None) -> str:
    return NONE if on is None else date_format(on, "j M Y")


def working_days(count: int) -> str:
    return plural(count, "working day")


@dataclass(frozen=True)
class PageRow:
    force: str
    force_slug: str
    campaign: str
    campaign_id: int
    request_id: int
    received: str
    due: str
    answered: str
    days: str
    in_time: str
    late: bool  # shown as late (highlighted)
    extension: str
    in_extended_time: str
    outcome: str
    review: str


def page_row(row: ComplianceRow, calendar: WorkingCalendar, today: dt.date) -> PageRow:
    record = row.record
    return PageRow(
        force=row.force_name,
        force_slug=row.force_slug,
        campaign=row.campaign_title,
        campaign_id=row.campaign_id,
        request_id=row.request_id,
        received=day(record.received_on),
        due=day(record.due_on),
        answered=day(record.answered_on) if record.answered_on else "Not yet",
        days=NONE if record.working_days is None else str(record.working_days),
        in_time=_in_time(row, calendar, today),
        late=record.in_time is False,
        extension=_extension(row),
        in_extended_time=_yes_no(record.in_extended_time),
        outcome=_outcome(row),
        review=_review(row),
    )


def _yes_no(judged: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Not yet known"}[judged]


def _in_time(row: ComplianceRow, calendar: WorkingCalendar, today: dt.date) -> str:
    """'Yes', or how late: by the regime's calendar, working days after the due date up to the
    answer (or, with no answer yet, up to today)."""
    record = row.record
    if record.in_time is None:
        return "Not due yet"
    if record.in_time:
        return "Yes"
    if record.answered_on is not None:
        late = calendar.working_days_between(record.due_on, record.answered_on)
        return f"No: {working_days(late)} late"
    if row.status in STOPPED:
        return "No: no answer before it was withdrawn"
    late = calendar.working_days_between(record.due_on, today)
    return f"No answer: {working_days(late)} past the due date"


def _extension(row: ComplianceRow) -> str:
    extension = row.record.extension
    if extension is None:
        return NONE
    estimate = day(extension.estimate) if extension.estimate else "no date given"
    if extension.proper:
        verdict = "proper"
    elif not extension.notice_in_time:
        verdict = "notice late"
    elif extension.estimate is None:
        verdict = "no estimate, which s.17(2) requires"
    else:
        verdict = "beyond the ceiling"
    kept = {True: "; answered by the ceiling", False: "; the ceiling passed", None: ""}
    return (
        f"Notice {day(extension.notice_on)}, answer by {estimate} (ceiling "
        f"{day(extension.ceiling)}): {verdict}{kept[extension.kept_to_ceiling]}"
    )


def _outcome(row: ComplianceRow) -> str:
    answer = row.record.answer
    if answer is None:
        return NONE
    cited = [label for _, label in answer.labelled_exemptions]
    if answer.other_exemptions.strip():
        cited.append(answer.other_exemptions.strip())
    return answer.outcome_label + (f" ({'; '.join(cited)})" if cited else "")


def _review(row: ComplianceRow) -> str:
    """The review's dates and outcome; its note is a working record, left to the request page."""
    review = row.record.review
    if review is None:
        return NONE
    asked = f"Asked {day(review.requested_on)}"
    if review.answered_on is None:
        late = " (late)" if review.answered_in_time is False else ""
        return f"{asked}; no answer yet, due {day(review.due_on)}{late}"
    timing = "in time" if review.answered_in_time else "late"
    return f"{asked}; {decided(review.outcome)} {day(review.answered_on)}, {timing}"


def decided(outcome: str) -> str:
    """A review's outcome in two words: 'Upheld'; a review logged before outcomes were kept
    says so (the decision is in its note, on the request page)."""
    label = dict(ReviewOutcome.choices).get(outcome)
    return label.split(":")[0] if label else "Outcome not recorded"


def share_text(share: Share) -> str:
    """'3 of 7 (42.9%)', by the one rounding rule; 'none judged yet' when nothing is due."""
    if share.of == 0:
        return "none judged yet"
    return f"{share.count} of {share.of} ({percent_text(share.share)})"


def days_text(value: Decimal | None) -> str:
    return NONE if value is None else f"{value.normalize():f}"


@dataclass(frozen=True)
class Totals:
    requests: str
    in_time: str
    in_extended_time: str
    median: str
    p90: str
    extensions: str
    refusals: str
    reviews: str
    overdue: str


def totals(summary: Summary) -> Totals:
    extensions, reviews, refusals = summary.extensions, summary.reviews, summary.refusals
    review_outcomes = ", ".join(f"{decided(c.code)} {c.count}" for c in reviews.outcomes)
    return Totals(
        requests=f"{plural(summary.requests, 'request')}, {summary.answered} answered",
        in_time=share_text(summary.in_time),
        in_extended_time=share_text(summary.in_extended_time),
        median=days_text(summary.working_days.median),
        p90=days_text(summary.working_days.p90),
        extensions=(
            f"{extensions.count} ({extensions.proper} proper, "
            f"{extensions.kept_to_ceiling} answered by the ceiling)"
            if extensions.count
            else "None"
        ),
        refusals=(
            "; ".join(f"{c.label}: {c.count}" for c in refusals.by_exemption)
            if refusals.by_exemption
            else "None"
        ),
        reviews=(
            f"{reviews.requested} asked, {reviews.answered_in_time} answered in time"
            + (f" ({review_outcomes})" if review_outcomes else "")
            if reviews.requested
            else "None"
        ),
        overdue=str(summary.overdue),
    )


def page_rows(report: ComplianceReport, calendars: dict[str, WorkingCalendar]) -> list[PageRow]:
    return [page_row(row, calendars[row.regime], report.today) for row in report.rows]
