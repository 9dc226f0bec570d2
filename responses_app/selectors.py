"""Reads: who may see which responses, documents and figures; the verification queues and the data
entry to-do lists; stated totals that disagree with the sum of their parts; each campaign's
progress; and how well each force answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from requests_app.deadlines import WorkingCalendar, standing_events
from requests_app.models import Campaign, FoiRequest, Force, RequestEvent, overdue_condition
from requests_app.selectors import (
    User,
    requests_visible_to,
    requests_writable_by,
    working_calendars,
)
from responses_app.compliance import (
    Answer,
    ComplianceReport,
    ComplianceRow,
    Summary,
    request_compliance,
    summarise,
    summarise_by_force,
)
from responses_app.importing.labels import Term, Vocabulary
from responses_app.importing.periods import Period
from responses_app.models import (
    CELL_FIELDS,
    OUTCOMES_WITHOUT_DATA,
    PLATFORM_FIELDS,
    CampaignCategories,
    Document,
    Figure,
    FoiResponse,
    LabelAlias,
    LabelMeaning,
    OffenceCategory,
    Platform,
    PlatformScope,
    standing_condition,
)

# Entered once and not yet confirmed by a second person; and keyed differently by two people.
AWAITING_VERIFICATION = Q(verified=False, disputed=False)
DISPUTED = Q(disputed=True)


def responses_visible_to(user: User) -> QuerySet[FoiResponse]:
    return FoiResponse.objects.select_related(
        "request__force", "request__campaign", "entered_by"
    ).filter(request__in=requests_visible_to(user).values("pk"))


def responses_writable_by(user: User) -> QuerySet[FoiResponse]:
    """Data entry and staff: any campaign; researchers: their team's campaigns."""
    return FoiResponse.objects.select_related(
        "request__force", "request__campaign", "entered_by"
    ).filter(request__in=requests_writable_by(user).values("pk"))


def documents_visible_to(user: User) -> QuerySet[Document]:
    return Document.objects.select_related("uploaded_by").filter(
        request__in=requests_visible_to(user).values("pk")
    )


def documents_writable_by(user: User) -> QuerySet[Document]:
    """Documents a figure may cite: those of requests the user may record answers on."""
    return Document.objects.filter(request__in=requests_writable_by(user).values("pk"))


def _with_relations(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    return figures.select_related(
        "offence", "platform", "owner", "entered_by", "verified_by", "disputed_by", "document"
    )


def figures_visible_to(user: User) -> QuerySet[Figure]:
    return _with_relations(
        Figure.objects.filter(response__in=responses_visible_to(user).values("pk"))
    )


def figures_writable_by(user: User) -> QuerySet[Figure]:
    return _with_relations(
        Figure.objects.filter(response__in=responses_writable_by(user).values("pk"))
    )


def figures_awaiting_verification(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    return figures.filter(AWAITING_VERIFICATION)


def figures_disputed(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    return figures.filter(DISPUTED)


def responses_awaiting_figures(responses: QuerySet[FoiResponse]) -> QuerySet[FoiResponse]:
    """Answers that gave data and have no figure yet, oldest first (one index probe each: the
    figures' unique index leads with the response)."""
    return (
        responses.exclude(outcome__in=OUTCOMES_WITHOUT_DATA)
        .filter(~Exists(Figure.objects.filter(response=OuterRef("pk"))))
        .order_by("received_on", "id")
    )


def figure_work_by_response(figures: QuerySet[Figure], *, user: User) -> QuerySet:
    """For each response with unfinished figures, one row: how many the user may confirm
    (entered by someone else), how many of theirs await a second person and how many two people
    keyed differently, oldest answer first. Grouped in one query over the unverified figures,
    a small slice of the table (the partial index figure_unverified)."""
    return (
        figures.filter(AWAITING_VERIFICATION | DISPUTED)
        .values("response")
        .annotate(
            to_confirm=Count("pk", filter=AWAITING_VERIFICATION & ~Q(entered_by=user)),
            awaiting_second=Count("pk", filter=AWAITING_VERIFICATION & Q(entered_by=user)),
            disputed=Count("pk", filter=DISPUTED),
        )
        .order_by("response__received_on", "response")
    )


def _parts_of_total() -> QuerySet[Figure]:
    """The figures a stated total sums: same response, period, offence and unit, every row that
    is not itself a total (named platforms and the 'not recorded' row)."""
    shared = ["response", *(f for f in CELL_FIELDS if f not in PLATFORM_FIELDS)]
    return Figure.objects.filter(**{field: OuterRef(field) for field in shared}).exclude(
        platform_scope=PlatformScope.ALL_PLATFORMS
    )


def _part_aggregate(expression) -> Subquery:
    parts = _parts_of_total().order_by().values("response").annotate(value=expression)
    return Coalesce(Subquery(parts.values("value")[:1], output_field=IntegerField()), 0)


def totals_with_sums(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    """Stated totals annotated with the interval their parts sum to, in one query.

    A suppressed part adds 1..threshold-1; a part with no interval (not held, refused) has an
    unknown size, so it adds 0 to the low end and leaves the high end open (`parts_open` > 0).
    """
    return figures.filter(platform_scope=PlatformScope.ALL_PLATFORMS, low__isnull=False).annotate(
        parts_count=_part_aggregate(Count("id")),
        parts_low=_part_aggregate(Sum("low")),
        parts_high=_part_aggregate(Sum("high")),
        parts_open=_part_aggregate(Count("id", filter=Q(high__isnull=True))),
    )


def total_mismatches(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    """Stated totals that cannot equal the sum of their parts: the total's interval and the
    parts' interval do not overlap."""
    below = Q(high__lt=F("parts_low"))
    above = Q(parts_open=0, low__gt=F("parts_high"))
    return totals_with_sums(figures).filter(parts_count__gt=0).filter(below | above)


def compliance_report(
    *, user: User, today: dt.date, campaign: Campaign | None = None, force: Force | None = None
) -> ComplianceReport:
    """How well forces answered the requests the user may see, of one campaign or one force (or
    both): a row a request, with names, and the totals. Four queries however many requests:
    the requests with their force and campaign, their events, their responses, the holidays."""
    requests = requests_visible_to(user).filter(received_on__isnull=False)
    if campaign is not None:
        requests = requests.filter(campaign=campaign)
    if force is not None:
        requests = requests.filter(force=force)
    requests = requests.order_by("campaign_id", "force__name").prefetch_related(
        Prefetch("events", RequestEvent.objects.order_by("on", "id")),
        Prefetch(
            "responses",
            FoiResponse.objects.filter(standing_condition()).order_by("received_on", "id"),
        ),
    )
    calendars = working_calendars()
    rows = [_compliance_row(r, calendars[r.force.regime], today) for r in requests]
    total = summarise([row.record for row in rows])
    return ComplianceReport(campaign=campaign, force=force, today=today, rows=rows, total=total)


@dataclass(frozen=True)
class ForceCompliance:
    force: Force
    summary: Summary | None  # None: no request to this force in the campaigns the user sees


def compliance_by_force(*, user: User, today: dt.date) -> list[ForceCompliance]:
    """Every force, by name, with its compliance across the campaigns the user may see: the
    report's queries once for all of them and one for the forces, never a query a force."""
    summaries = summarise_by_force(compliance_report(user=user, today=today).rows)
    return [
        ForceCompliance(force, summaries.get(force.slug))
        for force in Force.objects.order_by("name")
    ]


def _compliance_row(
    request: FoiRequest, calendar: WorkingCalendar, today: dt.date
) -> ComplianceRow:
    first = next(iter(request.responses.all()), None)
    answer = None
    if first is not None:
        answer = Answer(first.outcome, tuple(first.exemptions), first.other_exemptions)
    record = request_compliance(
        calendar=calendar,
        received_on=request.received_on,
        events=standing_events(request.events.all()),
        answer=answer,
        overdue=request.is_overdue(today),
        today=today,
    )
    return ComplianceRow(
        request_id=request.pk,
        campaign_id=request.campaign_id,
        campaign_title=request.campaign.title,
        force_slug=request.force.slug,
        force_name=request.force.name,
        regime=request.force.regime,
        status=request.status,
        status_label=request.get_status_display(),
        record=record,
    )


def campaigns_with_progress(campaigns: QuerySet[Campaign], *, today: dt.date) -> QuerySet[Campaign]:
    """Each campaign with the forces asked, answered (a response recorded), answered with
    figures (a figure with a value, as coverage counts them) and overdue, in one grouped query.
    Forces are counted, not requests, so a force re-asked a narrowed question counts once."""
    force = "requests__force"
    # A withdrawn response answers nothing.
    answered = Q(requests__responses__isnull=False) & standing_condition(
        through="requests__responses__"
    )
    return campaigns.annotate(
        asked=Count(force, distinct=True),
        answered=Count(force, distinct=True, filter=answered),
        with_figures=Count(
            force,
            distinct=True,
            filter=answered & Q(requests__responses__figures__low__isnull=False),
        ),
        overdue=Count(force, distinct=True, filter=overdue_condition(today, through="requests__")),
    )


def request_responses(request: FoiRequest) -> QuerySet[FoiResponse]:
    """The request's responses, oldest first, with their documents and figures (three queries
    whatever their number)."""
    figures = Figure.objects.select_related("platform", "offence").order_by(
        "period_start", "offence_id", "platform__name", "id"
    )
    return request.responses.order_by("received_on", "id").prefetch_related(
        "documents", Prefetch("figures", queryset=figures)
    )


def campaign_categories(campaign: Campaign) -> CampaignCategories | None:
    """The offences and platforms the campaign asks about, or None if it names none."""
    return (
        CampaignCategories.objects.filter(campaign=campaign)
        .prefetch_related("offences", "platforms")
        .first()
    )


def reading_vocabulary() -> Vocabulary:
    """The reference lists as the answer reader takes them: every platform and offence with its
    aliases, and the labels clerks decided are the 'not recorded' row or to be skipped (four
    queries, whatever the lists' length)."""
    platforms = tuple(
        Term(p.slug, p.name, tuple(a.name for a in p.aliases.all()))
        for p in Platform.objects.prefetch_related("aliases")
    )
    offences = tuple(
        Term(o.slug, o.name, tuple(a.name for a in o.aliases.all()), o.home_office_code)
        for o in OffenceCategory.objects.prefetch_related("aliases")
    )
    labels = list(LabelAlias.objects.values_list("name", "meaning"))
    return Vocabulary(
        platforms=platforms,
        offences=offences,
        not_recorded=tuple(n for n, m in labels if m == LabelMeaning.NOT_RECORDED),
        skipped=tuple(n for n, m in labels if m == LabelMeaning.SKIP),
    )


def reading_defaults(campaign: Campaign) -> tuple[tuple[Period, ...], str]:
    """What a campaign's answers are read against: the periods it asks about, and its offence
    when it asks about exactly one (a table that names no offence counts that one)."""
    periods = tuple(
        Period(start, end) for start, end in campaign.periods.values_list("start", "end")
    )
    offences = list(
        OffenceCategory.objects.filter(
            pk__in=CampaignCategories.offences.through.objects.filter(
                campaigncategories_id=campaign.pk
            ).values("offencecategory_id")
        ).values_list("slug", flat=True)[:2]
    )
    return periods, offences[0] if len(offences) == 1 else ""
