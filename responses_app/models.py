from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Lower
from simple_history.models import HistoricalRecords

from core.dates import validate_date_in_range
from requests_app.deadlines import FOIA_2000, JERSEY_2011
from requests_app.models import Campaign, FoiRequest
from responses_app.values import ValueStatus

# The exemptions police answers cite, per regime; anything else goes in `other_exemptions`.
EXEMPTIONS: dict[str, dict[str, str]] = {
    FOIA_2000: {
        "s12": "s.12 cost of compliance exceeds the appropriate limit",
        "s14": "s.14 vexatious or repeated request",
        "s21": "s.21 information accessible by other means",
        "s23(5)": "s.23(5) neither confirm nor deny: security bodies",
        "s24(2)": "s.24(2) neither confirm nor deny: national security",
        "s30": "s.30 investigations and proceedings",
        "s31": "s.31 law enforcement",
        "s38": "s.38 health and safety",
        "s40(2)": "s.40(2) personal information",
    },
    JERSEY_2011: {
        "art3": "Art 3 not held / not information held by the authority",
        "art16": "Art 16 cost of compliance exceeds the limit",
        "art23": "Art 23 information accessible by other means",
        "art38": "Art 38 national security",
        "art42": "Art 42 law enforcement",
    },
}


class Outcome(models.TextChoices):
    GRANTED = "granted", "Granted"
    PARTLY_GRANTED = "partly_granted", "Partly granted"
    REFUSED = "refused", "Refused"
    NOT_HELD = "not_held", "Not held"
    NEITHER_CONFIRM_NOR_DENY = "neither_confirm_nor_deny", "Neither confirm nor deny"


# Answers that carry no figures to enter: any other outcome gave (some of) the data asked for.
OUTCOMES_WITHOUT_DATA = (Outcome.REFUSED, Outcome.NOT_HELD, Outcome.NEITHER_CONFIRM_NOR_DENY)


class PlatformScope(models.TextChoices):
    NAMED = "named", "A named platform"
    NOT_RECORDED = "not_recorded", "Platform not recorded"
    ALL_PLATFORMS = "all_platforms", "All platforms (a stated total)"


class Unit(models.TextChoices):
    INSTANCES = "instances", "Instances"
    OFFENCES = "offences", "Offences"
    VICTIMS = "victims", "Victims"


class PlatformOwner(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def owner_on(self, day: dt.date) -> int | None:
        """The id of whoever owned the platform on `day` (reads prefetched ownerships)."""
        return PlatformOwnership.owner_id_on(self.ownerships.all(), day)


class PlatformAlias(models.Model):
    """Another spelling forces use for a platform ('insta', 'IG', 'FB Messenger')."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            # Matching ignores case, so 'IG' and 'ig' would be the same alias.
            models.UniqueConstraint(
                Lower("name"),
                name="alias_unique_ignoring_case",
                violation_error_message="Another platform already has this alias.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlatformOwnership(models.Model):
    """Who owned a platform over a date range; an open end means 'still'."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="ownerships")
    owner = models.ForeignKey(PlatformOwner, on_delete=models.PROTECT, related_name="ownerships")
    valid_from = models.DateField(
        null=True,
        blank=True,
        help_text="Empty: since the start.",
        validators=[validate_date_in_range],
    )
    valid_to = models.DateField(
        null=True, blank=True, help_text="Empty: still owned.", validators=[validate_date_in_range]
    )

    class Meta:
        ordering = ["platform__name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from"))
                | Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True),
                name="ownership_in_order",
                violation_error_message="The ownership ends before it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner} owns {self.platform}"

    def covers(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @staticmethod
    def owner_id_on(ownerships: Iterable[PlatformOwnership], day: dt.date) -> int | None:
        """The one answer to "who owned it then", over one platform's ownerships: the owner
        whose range covers the day, or None (a platform with no owner on record)."""
        for ownership in ownerships:
            if ownership.covers(day):
                return ownership.owner_id
        return None


class OffenceCategory(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    home_office_code = models.CharField(
        max_length=20, blank=True, help_text="Empty for a grouping of several codes."
    )

    class Meta:
        ordering = ["home_office_code", "name"]
        verbose_name_plural = "offence categories"

    def __str__(self) -> str:
        code = f" ({self.home_office_code})" if self.home_office_code else ""
        return f"{self.name}{code}"


class OffenceAlias(models.Model):
    """Another way forces write an offence, kept from a clerk's decision at an import so the
    next force's same label is read by itself."""

    offence = models.ForeignKey(OffenceCategory, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "offence aliases"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="offence_alias_unique_ignoring_case",
                violation_error_message="Another offence already has this alias.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class LabelMeaning(models.TextChoices):
    NOT_RECORDED = "not_recorded", "Platform not recorded"
    SKIP = "skip", "Skipped: neither a platform nor an offence"


class LabelAlias(models.Model):
    """A row or column label that is neither a platform nor an offence ('No platform
    identified', 'Of which online'), with what a clerk decided it means at an import."""

    name = models.CharField(max_length=120)
    meaning = models.CharField(max_length=20, choices=LabelMeaning.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "label aliases"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="label_alias_unique_ignoring_case",
                violation_error_message="This label already has a meaning.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_meaning_display()}"


class CampaignCategories(models.Model):
    """The offences and platforms a campaign asks about: the defaults when its answers are read.
    Kept here, not on the campaign, because the requests app never imports this one."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, primary_key=True, related_name="categories"
    )
    offences = models.ManyToManyField(OffenceCategory, blank=True, related_name="+")
    platforms = models.ManyToManyField(Platform, blank=True, related_name="+")

    class Meta:
        verbose_name_plural = "campaign categories"

    def __str__(self) -> str:
        return f"What {self.campaign} asks about"


class FoiResponse(models.Model):
    """What a force sent back. Recorded through `services.response_record`, which moves the
    request's status by a 'response' event."""

    request = models.ForeignKey(FoiRequest, on_delete=models.PROTECT, related_name="responses")
    received_on = models.DateField(validators=[validate_date_in_range])
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    exemptions = models.JSONField(
        default=list, blank=True, help_text="Codes from the regime's pick-list, e.g. ['s12']."
    )
    other_exemptions = models.CharField(max_length=300, blank=True)
    caveats = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    # Withdrawn (recorded in error, or taken back by the force), never deleted: the response, its
    # documents and figures stay, out of the live dataset, and the request can take a new one.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    withdrawal_reason = models.TextField(blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        withdrawn = " (withdrawn)" if self.withdrawn_at else ""
        return f"{self.request.force} answered on {self.received_on}{withdrawn}"


def standing_condition(*, through: str = "") -> Q:
    """The one definition of a response that stands (not withdrawn), in SQL. `through` reaches
    the response from another model, such as "response__" from a figure. Reports count only
    what stands; a withdrawn response and its figures are history."""
    return Q(**{f"{through}withdrawn_at__isnull": True})


# Outside the web root: nothing serves this directory, only the permission-checked view.
# A callable, so the migration names this function rather than one machine's folder.
def document_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.MEDIA_ROOT / "documents", base_url=None)


class Document(models.Model):
    """A file a force sent: it belongs to its request, and to a response once one is recorded
    (a reply's spreadsheet arrives before anyone records the response it carries)."""

    # Nothing with a log is deleted: a request with documents, or a response with documents, is
    # withdrawn, never deleted (nor are they with it).
    request = models.ForeignKey(FoiRequest, on_delete=models.PROTECT, related_name="documents")
    response = models.ForeignKey(
        FoiResponse,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    file = models.FileField(storage=document_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120, help_text="Checked from the bytes.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Empty for a file that came attached to a force's email.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# What identifies a figure's cell within its response: one figure per cell. The unique
# constraint, the second entry of double-entry verification, the importer's duplicate check and
# the stated-total check all read this.
CELL_FIELDS = ("period_start", "period_end", "offence", "platform", "platform_scope", "unit")
# The part of a cell that names the platform: a stated total's parts share the rest of its cell.
PLATFORM_FIELDS = ("platform", "platform_scope")


class Figure(models.Model):
    """One count as the force gave it: the raw text and what it means as an interval."""

    CELL_FIELDS = CELL_FIELDS

    # Figures are written in bulk by imports, so every index costs: a foreign key whose column
    # leads a composite index below takes no index of its own (db_index=False).
    response = models.ForeignKey(
        FoiResponse, on_delete=models.PROTECT, related_name="figures", db_index=False
    )
    period_start = models.DateField(validators=[validate_date_in_range])
    period_end = models.DateField(validators=[validate_date_in_range])
    offence = models.ForeignKey(
        OffenceCategory, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    platform = models.ForeignKey(
        Platform, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    platform_scope = models.CharField(
        max_length=20, choices=PlatformScope.choices, default=PlatformScope.NAMED
    )
    # Copied from the ownership valid at the period's start so aggregates group in one query.
    owner = models.ForeignKey(
        PlatformOwner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.INSTANCES)
    raw = models.CharField(max_length=100, help_text="The value as the force wrote it.")
    status = models.CharField(max_length=20, choices=ValueStatus.choices)
    low = models.PositiveIntegerField(null=True, blank=True)
    high = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="figures"
    )
    sheet = models.CharField(max_length=100, blank=True)
    cell = models.CharField(max_length=20, blank=True, help_text="e.g. 'C7'.")
    page = models.PositiveIntegerField(null=True, blank=True)

    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    verified = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index below: a new figure is not verified yet
    )
    # A second person keyed a different value: kept here until someone corrects the figure.
    disputed = models.BooleanField(default=False)
    disputed_raw = models.CharField(max_length=100, blank=True)
    disputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index below: a new figure is not disputed
    )
    # History is read by figure (`id`) and by date; its copies of the foreign keys need no index.
    history = HistoricalRecords(
        no_db_index=[
            "response",
            "offence",
            "platform",
            "owner",
            "document",
            "entered_by",
            "verified_by",
            "disputed_by",
        ]
    )

    class Meta:
        ordering = ["response_id", "period_start", "offence_id", "platform_id", "id"]
        constraints = [
            models.UniqueConstraint(
                "response",
                # NULLs are distinct in a unique index, so without the coalesce a second 'not
                # recorded' or 'all platforms' row for the same cell would slip through.
                *(Coalesce(f, Value(0)) if f == "platform" else f for f in CELL_FIELDS),
                name="one_figure_per_cell",
                violation_error_message="This response already has a figure for this period, "
                "offence, platform and unit.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="figure_period_in_order",
                violation_error_message="The period ends before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(high__gte=F("low")) | Q(low__isnull=True, high__isnull=True),
                name="figure_interval_in_order",
                violation_error_message="The interval's upper bound is below its lower one.",
            ),
            models.CheckConstraint(
                condition=Q(platform_scope=PlatformScope.NAMED, platform__isnull=False)
                | (~Q(platform_scope=PlatformScope.NAMED) & Q(platform__isnull=True)),
                name="figure_platform_matches_scope",
                violation_error_message="A named platform needs a platform; 'not recorded' "
                "and 'all platforms' take none.",
            ),
        ]
        indexes = [
            models.Index(fields=["platform", "period_start"], name="figure_platform_period"),
            models.Index(fields=["owner", "period_start"], name="figure_owner_period"),
            models.Index(fields=["offence", "period_start"], name="figure_offence_period"),
            models.Index(fields=["period_start", "period_end"], name="figure_period"),
            # The verification queue and the disagreement list are small slices of the table.
            models.Index(fields=["id"], name="figure_unverified", condition=Q(verified=False)),
            models.Index(fields=["id"], name="figure_disputed", condition=Q(disputed=True)),
            # For SET NULL when a person is deleted; rows without one are never looked up.
            models.Index(
                fields=["verified_by"],
                name="figure_verified_by",
                condition=Q(verified_by__isnull=False),
            ),
            models.Index(
                fields=["disputed_by"],
                name="figure_disputed_by",
                condition=Q(disputed_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        where = self.platform or self.get_platform_scope_display()
        return f"{where}, {self.period_start}..{self.period_end}: {self.raw}"

    @classmethod
    def cell_columns(cls) -> tuple[str, ...]:
        """The cell's fields as columns (`offence_id`), for values_list and plain tuples."""
        return tuple(cls._meta.get_field(name).attname for name in CELL_FIELDS)

    def cell_lookup(self) -> dict[str, object]:
        """What identifies this figure within its response, as lookups (not its spreadsheet
        `cell`): `Figure.objects.filter(response=..., **figure.cell_lookup())`."""
        return {column: getattr(self, column) for column in self.cell_columns()}

    def same_value(self, status: str, low: int | None, high: int | None) -> bool:
        return (self.status, self.low, self.high) == (status, low, high)


class FigureAwaitingVerification(Figure):
    """The admin's queue of figures a second person has yet to confirm."""

    class Meta:
        proxy = True
        verbose_name = "figure awaiting verification"
        verbose_name_plural = "figures awaiting verification"


class FigureDisagreement(Figure):
    """The admin's list of figures two people keyed differently."""

    class Meta:
        proxy = True
        verbose_name = "figure in disagreement"
        verbose_name_plural = "figures in disagreement"


class DatasetRelease(models.Model):
    """A campaign's dataset frozen under a number, so a published statistic can be reproduced
    after later corrections: its rows are copies, not references."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="releases")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    coverage = models.JSONField(help_text="Where every force stood when the release was made.")
    row_count = models.PositiveIntegerField(default=0)
    synthetic = models.BooleanField(
        default=False, help_text="Its figures are made up (the demo), as the campaign said."
    )
    sha256 = models.CharField(
        max_length=64, blank=True, help_text="Of the release's CSV file, as it is downloaded."
    )
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text="What changed since the previous release: corrected figures (from, to, "
        "reason), figures added and removed.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                name="one_release_number_per_campaign",
                violation_error_message="This campaign already has a release with that number.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} release {self.number}: {self.name}"

    @property
    def is_published(self) -> bool:
        """A release is public when its campaign is published (`campaigns_visible_to`)."""
        return self.campaign.published


class ReleaseRow(models.Model):
    """One figure as it stood in a release; the columns are the dataset export's. Text columns
    that are empty in the live data (no platform, no owner) stay null here too, so a release
    reads exactly like the live dataset."""

    release = models.ForeignKey(DatasetRelease, on_delete=models.CASCADE, related_name="rows")
    figure_id = models.BigIntegerField()
    campaign_id = models.BigIntegerField()
    campaign_title = models.CharField(max_length=200)
    synthetic = models.BooleanField(default=False)
    force_slug = models.CharField(max_length=50)
    force_name = models.CharField(max_length=120)
    country = models.CharField(max_length=40)
    regime = models.CharField(max_length=40)
    request_id = models.BigIntegerField()
    request_status = models.CharField(max_length=30)
    response_id = models.BigIntegerField()
    response_outcome = models.CharField(max_length=30)
    response_received_on = models.DateField()
    period_start = models.DateField()
    period_end = models.DateField()
    offence_slug = models.CharField(max_length=50)
    offence_name = models.CharField(max_length=200)
    home_office_code = models.CharField(max_length=20, blank=True)
    platform_scope = models.CharField(max_length=20)
    platform_slug = models.CharField(max_length=50, null=True)  # noqa: DJ001
    platform_name = models.CharField(max_length=120, null=True)  # noqa: DJ001
    owner_slug = models.CharField(max_length=50, null=True)  # noqa: DJ001
    owner_name = models.CharField(max_length=120, null=True)  # noqa: DJ001
    unit = models.CharField(max_length=20)
    raw = models.CharField(max_length=100)
    status = models.CharField(max_length=20)
    low = models.PositiveIntegerField(null=True)
    high = models.PositiveIntegerField(null=True)
    verified = models.BooleanField()
    verified_by_name = models.CharField(max_length=150, null=True)  # noqa: DJ001
    entered_by_name = models.CharField(max_length=150, null=True)  # noqa: DJ001
    entered_at = models.DateTimeField()
    document_id = models.BigIntegerField(null=True)
    document_name = models.CharField(max_length=200, null=True)  # noqa: DJ001
    sheet = models.CharField(max_length=100, blank=True)
    cell = models.CharField(max_length=20, blank=True)
    page = models.PositiveIntegerField(null=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["release_id", "figure_id"]
        indexes = [models.Index(fields=["release", "figure_id"], name="release_row_order")]

    def __str__(self) -> str:
        return f"{self.force_slug} {self.platform_slug or self.platform_scope}: {self.raw}"
