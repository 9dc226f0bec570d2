"""Writes of responses_app, by area: the reference lists, responses and their documents,
figures. Callers import from here (`from responses_app import services`)."""

from responses_app.services.figures import (
    REASON_LENGTH,
    FigureEntry,
    ImportResult,
    figure_check,
    figure_check_value,
    figure_correct,
    figure_enter,
    figure_verify,
    figures_import,
    figures_read,
)
from responses_app.services.reference import (
    FIXTURES,
    campaign_categories_set,
    reference_lists_load,
)
from responses_app.services.responses import (
    document_attach,
    document_check,
    documents_link,
    response_check,
    response_check_exemptions,
    response_check_standing,
    response_record,
    response_record_with_documents,
    response_update,
    response_withdraw,
)

__all__ = [
    "FIXTURES",
    "REASON_LENGTH",
    "FigureEntry",
    "ImportResult",
    "campaign_categories_set",
    "document_attach",
    "document_check",
    "documents_link",
    "figure_check",
    "figure_check_value",
    "figure_correct",
    "figure_enter",
    "figure_verify",
    "figures_import",
    "figures_read",
    "reference_lists_load",
    "response_check",
    "response_check_exemptions",
    "response_check_standing",
    "response_record",
    "response_record_with_documents",
    "response_update",
    "response_withdraw",
]
