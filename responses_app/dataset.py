"""The combined dataset: one tidy row per figure, with its force, campaign, request, response,
provenance and verification. Live figures are annotated with the same column names that a
frozen release stores, so exports and aggregates read either the same way."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q, QuerySet

from core.spreadsheet_cells import spreadsheet_safe
from requests_app.models import Campaign, FoiRequest
from requests_app.roles import reads_records
from requests_app.selectors import campaign_ids_visible_to
from responses_app.models import Figure, standing_condition

# column -> where a live figure finds it. Release rows store these columns as they are.
LIVE_COLUMNS: dict[str, F | str] = {
    "figure_id": F("pk"),
    "campaign_id": F("response__request__campaign_id"),
    "campaign_title": F("response__request__campaign__title"),
    "synthetic": F("response__request__campaign__synthetic_data"),
    "force_slug": F("response__request__force__slug"),
    "force_name": F("response__request__force__name"),
    "country": F("response__request__force__country"),
    "regime": F("response__request__force__regime"),
    "request_id": F("response__request_id"),
    "request_status": F("response__request__status"),
    "response_outcome": F("response__outcome"),
    "response_received_on": F("response__received_on"),
    "offence_slug": F("offence__slug"),
    "offence_name": F("offence__name"),
    "home_office_code": F("offence__home_office_code"),
    "platform_slug": F("platform__slug"),
    "platform_name": F("platform__name"),
    "owner_slug": F("owner__slug"),
    "owner_name": F("owner__name"),
    "document_name": F("document__original_name"),
    "entered_by_name": F("entered_by__username"),
    "verified_by_name": F("verified_by__username"),
}
COLUMNS = [
    "figure_id",
    "campaign_id",
    "campaign_title",
    "synthetic",
    "force_slug",
    "force_name",
    "country",
    "regime",
    "request_id",
    "request_status",
    "response_id",
    "response_outcome",
    "response_received_on",
    "period_start",
    "period_end",
    "offence_slug",
    "offence_name",
    "home_office_code",
    "platform_scope",
    "platform_slug",
    "platform_name",
    "owner_slug",
    "owner_name",
    "unit",
    "raw",
    "status",
    "low",
    "high",
    "verified",
    "verified_by_name",
    "entered_by_name",
    "entered_at",
    "document_id",
    "document_name",
    "sheet",
    "cell",
    "page",
    "note",
]


# Who keyed and who confirmed each figure: for the team's own checking, never published.
PEOPLE_COLUMNS = ("verified_by_name", "entered_by_name")


def columns_for(user) -> list[str]:
    """The export's columns for this reader: the people's names only for those who read the
    working records (roles.reads_records); a consumer or an anonymous reader gets the rest."""
    if reads_records(user):
        return COLUMNS
    return [column for column in COLUMNS if column not in PEOPLE_COLUMNS]


def live_dataset(
    figures: QuerySet[Figure] | None = None, columns: Iterable[str] | None = None
) -> QuerySet:
    """Figures annotated with the dataset's column names (no query runs until it is read):
    all of them, or only `columns`. Every annotation joins its table into the query whether it
    is read or not, so a report that reads few columns names them (an aggregate over a million
    figures scans twice as fast without the seven joins it does not need)."""
    figures = Figure.objects.all() if figures is None else figures
    wanted = LIVE_COLUMNS if columns is None else set(columns)
    # Django refuses an annotation named like a field, hence `figure_id` and the *_slug names.
    return figures.annotate(**{name: at for name, at in LIVE_COLUMNS.items() if name in wanted})


def dataset_rows(rows: QuerySet, columns: Sequence[str] = COLUMNS) -> Iterator[dict]:
    """Rows in the export's column order, read in chunks so memory stays flat."""
    return rows.order_by("figure_id").values(*columns).iterator(chunk_size=2000)


class _Line:
    """A file-like sink that hands back what csv.writer writes, one line at a time."""

    def write(self, line: str) -> str:
        return line


def _cell(value: object) -> object:
    # ISO 8601 with its 'T', as the data package's datetime type reads it.
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return spreadsheet_safe(value)


def csv_lines(rows: Iterable[dict], columns: Sequence[str] = COLUMNS) -> Iterator[str]:
    """The export's lines; the same rows give the same bytes every time (a release's checksum
    is of them)."""
    writer = csv.writer(_Line())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([_cell(row[column]) for column in columns])


def json_chunks(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array streamed one row at a time."""
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(row, cls=DjangoJSONEncoder)
    yield "]"


# dataset_scope reads the campaigns the user may see unless it is handed them.
ASK = object()


@dataclass
class DatasetScope:
    """The rows a report reads, and what it needs to describe them."""

    rows: QuerySet
    requests: QuerySet | None  # live scope: the requests behind the rows, for coverage
    coverage: dict | None  # a release: its coverage as frozen
    synthetic: bool
    release: object | None
    filename: str


def dataset_scope(
    *,
    user,
    campaign=None,
    release=None,
    series=None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    offence: Sequence[str] = (),
    platform: Sequence[str] = (),
    owner: Sequence[str] = (),
    force: Sequence[str] = (),
    country: str | None = None,
    unit: str | None = None,
    verified: bool = False,
    columns: Sequence[str] | None = None,
    visible_ids: list[int] | object | None = ASK,
) -> DatasetScope:
    """Rows of a release, or live figures of the campaigns the user may see, filtered. Every
    filter value arrives validated; none reaches SQL as text. `columns`: the only columns the
    report reads (default: all), besides those the filters need. `visible_ids`: the campaigns
    the user may see, when the caller has read them already (campaign_ids_visible_to)."""
    row_filters = {
        "period_start__gte": period_start,
        "period_end__lte": period_end,
        "offence_slug__in": offence,
        "platform_slug__in": platform,
        "owner_slug__in": owner,
        "force_slug__in": force,
        "country": country,
        "unit": unit,
        "verified": True if verified else None,
    }
    row_filters = {lookup: value for lookup, value in row_filters.items() if value}
    if release is not None:
        scope = DatasetScope(
            rows=release.rows.all(),
            requests=None,
            coverage=release.coverage,
            synthetic=release.campaign.synthetic_data,
            release=release,
            filename=f"campaign-{release.campaign_id}-release-{release.number}",
        )
    else:
        if visible_ids is ASK:
            visible_ids = campaign_ids_visible_to(user)
        campaign_ids = _campaign_ids(visible_ids, campaign, series)
        figures = Figure.objects.filter(standing_condition(through="response__"))
        requests = FoiRequest.objects.all()
        # Every campaign: no filter at all. Else the ids as a list, which the planner probes
        # by index; a subquery of the visible campaigns made it join that to every figure.
        if campaign_ids is not None:
            figures = figures.filter(response__request__campaign_id__in=campaign_ids)
            requests = requests.filter(campaign_id__in=campaign_ids)
        if columns is not None:
            columns = [*columns, *(lookup.split("__")[0] for lookup in row_filters)]
        scope = DatasetScope(
            rows=live_dataset(figures, columns),
            requests=requests,
            coverage=None,
            synthetic=_synthetic(campaign, campaign_ids),
            release=None,
            filename=_filename(campaign, series),
        )
    scope.rows = scope.rows.filter(**row_filters)
    if scope.requests is not None:
        request_filters = {"force__slug__in": force, "force__country": country}
        scope.requests = scope.requests.filter(**{k: v for k, v in request_filters.items() if v})
    return scope


def _pk_in(campaign_ids: list[int] | None) -> dict:
    return {} if campaign_ids is None else {"pk__in": campaign_ids}


def _campaign_ids(visible_ids: list[int] | None, campaign, series) -> list[int] | None:
    """The campaigns a live scope reads: those visible (None: every one), narrowed to one
    campaign or one series of waves."""
    if campaign is None and series is None:
        return visible_ids
    if campaign is not None:
        return [campaign.pk] if visible_ids is None or campaign.pk in visible_ids else []
    campaigns = Campaign.objects.filter(**_pk_in(visible_ids))
    root = series.series_root_id()
    campaigns = campaigns.filter(Q(pk=root) | Q(first_wave_id=root))
    return list(campaigns.order_by("pk").values_list("pk", flat=True))


def _synthetic(campaign, campaign_ids: list[int] | None) -> bool:
    if campaign is not None:
        return campaign.synthetic_data
    return Campaign.objects.filter(synthetic_data=True, **_pk_in(campaign_ids)).exists()


def _filename(campaign, series) -> str:
    if series is not None:
        return f"series-{series.series_root_id()}"
    return f"campaign-{campaign.pk}" if campaign else "dataset"
