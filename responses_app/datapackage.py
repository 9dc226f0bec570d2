"""A release described as a Frictionless Tabular Data Package (datapackage.json, v1 of the
specification): one resource, the release's CSV file, with its checksum and a Table Schema that
gives every column its type, constraints and meaning, so a program can load and check the file
without reading our documentation."""

from __future__ import annotations

from requests_app.deadlines import REGIME_CHOICES
from requests_app.models import Campaign
from requests_app.status import Status
from responses_app.dataset import COLUMNS
from responses_app.models import DatasetRelease, Outcome, PlatformScope, Unit
from responses_app.values import ValueStatus

DATA_FILE = "data.csv"


def _enum(choices) -> dict:
    return {"enum": [value for value, _ in choices]}


# column -> (Table Schema type, description, constraints). Every column of the export is here.
FIELDS: dict[str, tuple[str, str, dict]] = {
    "figure_id": ("integer", "The figure's id in FOI Tracker.", {"required": True, "unique": True}),
    "campaign_id": ("integer", "The campaign (one question sent to many forces).", {}),
    "campaign_title": ("string", "The campaign's title.", {}),
    "synthetic": (
        "boolean",
        "True when the figure is made up (the demo campaign): never cite it.",
        {"required": True},
    ),
    "force_slug": ("string", "The force's police.uk identifier, e.g. 'kent'.", {}),
    "force_name": ("string", "The force's name.", {}),
    "country": ("string", "The force's country.", {}),
    "regime": ("string", "The FOI law the force answers under.", _enum(REGIME_CHOICES)),
    "request_id": ("integer", "The force's copy of the question.", {}),
    "request_status": (
        "string",
        "Where the request stood when the release was made.",
        _enum(Status.choices),
    ),
    "response_id": ("integer", "The force's answer the figure comes from.", {}),
    "response_outcome": ("string", "What the force answered.", _enum(Outcome.choices)),
    "response_received_on": ("date", "When the answer arrived.", {}),
    "period_start": ("date", "First day of the period the figure counts.", {}),
    "period_end": ("date", "Last day of the period the figure counts.", {}),
    "offence_slug": ("string", "The offence category's identifier.", {}),
    "offence_name": ("string", "The offence category.", {}),
    "home_office_code": ("string", "The Home Office offence code; empty for a grouping.", {}),
    "platform_scope": (
        "string",
        "'named': a platform's count; 'not_recorded': the force did not record the platform; "
        "'all_platforms': a total the force stated (never add it to its parts).",
        _enum(PlatformScope.choices),
    ),
    "platform_slug": ("string", "The platform's identifier (a named platform only).", {}),
    "platform_name": ("string", "The platform.", {}),
    "owner_slug": ("string", "Who owned the platform at the period's start; empty: none.", {}),
    "owner_name": ("string", "The platform's owner at the period's start.", {}),
    "unit": ("string", "What is counted; never add different units.", _enum(Unit.choices)),
    "raw": ("string", "The value exactly as the force wrote it, e.g. '12', '*', '<5'.", {}),
    "status": (
        "string",
        "How the value reads: a number, zero, suppressed (a small number hidden by the force), "
        "not held, refused...",
        _enum(ValueStatus.choices),
    ),
    "low": (
        "integer",
        "The lowest the true count can be: the number itself, or 1 for a suppressed cell. "
        "Empty when the value is not a count.",
        {"minimum": 0},
    ),
    "high": (
        "integer",
        "The highest the true count can be: the number itself, or the force's threshold minus "
        "one for a suppressed cell. Empty when the value is not a count.",
        {"minimum": 0},
    ),
    "verified": ("boolean", "A second person keyed the same value.", {}),
    "verified_by_name": ("string", "Who verified it.", {}),
    "entered_by_name": ("string", "Who keyed it.", {}),
    "entered_at": ("datetime", "When it was keyed (ISO 8601, with its offset from UTC).", {}),
    "document_id": ("integer", "The document the figure was read from.", {}),
    "document_name": ("string", "That document's file name.", {}),
    "sheet": ("string", "The sheet of the document.", {}),
    "cell": ("string", "The cell of the sheet, e.g. 'C7'.", {}),
    "page": ("integer", "The page of the document.", {}),
    "note": ("string", "A note on the figure.", {}),
}


def _field(name: str) -> dict:
    kind, description, constraints = FIELDS[name]
    field = {"name": name, "type": kind, "description": description}
    if kind == "datetime":
        field["format"] = "any"
    return {**field, "constraints": constraints} if constraints else field


def release_package_name(release: DatasetRelease) -> str:
    # A package name is lower case letters, digits, '-', '.' and '_'.
    return f"foi-tracker-campaign-{release.campaign_id}-release-{release.number}"


def release_datapackage(release: DatasetRelease, *, homepage: str, publisher: str) -> dict:
    """The descriptor of a release; `homepage` is the release page's full address, and the data
    file's path is relative to it (the descriptor is served beside the file)."""
    campaign: Campaign = release.campaign
    return {
        "profile": "tabular-data-package",
        "name": release_package_name(release),
        "title": f"{campaign.title}: {release.name} (release {release.number})",
        "description": (
            f"{campaign.question}\n\nOne row per figure a police force gave in answer to this "
            "Freedom of Information request. Suppressed cells are intervals, 'low' to 'high'; "
            "shares must be of the rows whose platform was recorded. Text cells that begin with "
            "=, +, - or @ start with an apostrophe, so a spreadsheet shows them as text."
            + (" SYNTHETIC: these figures are made up." if release.synthetic else "")
        ),
        "version": f"{release.number}.0.0",
        "created": release.created_at.isoformat(),
        "homepage": homepage,
        "contributors": [{"title": publisher, "role": "publisher"}],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": "figures",
                "path": DATA_FILE,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": f"sha256:{release.sha256}",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": {
                    "fields": [_field(name) for name in COLUMNS],
                    "primaryKey": ["figure_id"],
                    "missingValues": [""],
                },
            }
        ],
    }
