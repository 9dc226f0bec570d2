"""A document belongs to its request, and to a response once one is recorded: a force's email
brings its files before anyone records the response they carry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from requests_app.models import Force
from requests_app.services import request_create
from responses_app import services
from responses_app.models import Document, Figure
from tests.responses_app.conftest import H1, RECEIVED_ON, SENT_ON, platform

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
CSV = b"platform,count\nInstagram,12\n"


def test_a_document_can_belong_to_a_request_before_any_response(sent_request, data_entry):
    document = services.document_attach(
        request=sent_request, name="reply.pdf", content=PDF, user=data_entry
    )
    stored = Document.objects.get()
    assert (stored.request_id, stored.response_id) == (sent_request.pk, None)
    assert document.content_type == "application/pdf"


def test_a_response_document_belongs_to_the_responses_request(response, data_entry):
    document = services.document_attach(
        response=response, name="reply.pdf", content=PDF, user=data_entry
    )
    assert (document.request_id, document.response_id) == (response.request_id, response.pk)


def test_it_takes_a_response_or_a_request_not_both(response, data_entry):
    with pytest.raises(TypeError):
        services.document_attach(
            response=response,
            request=response.request,
            name="reply.pdf",
            content=PDF,
            user=data_entry,
        )


def test_it_links_the_requests_documents_to_the_response_once_recorded(sent_request, data_entry):
    early = services.document_attach(
        request=sent_request, name="kent.csv", content=CSV, user=data_entry
    )
    response = services.response_record(
        request=sent_request, received_on=RECEIVED_ON, outcome="granted", user=data_entry
    )
    assert services.documents_link(response=response, documents=[early]) == 1
    early.refresh_from_db()
    assert early.response_id == response.pk
    assert list(response.documents.all()) == [early]


def test_it_refuses_to_link_another_requests_document(campaign, owner, response, data_entry):
    essex = request_create(
        campaign=campaign, force=Force.objects.get(slug="essex"), user=owner, sent_on=SENT_ON
    )
    other = services.document_attach(request=essex, name="essex.csv", content=CSV, user=owner)
    with pytest.raises(ValidationError) as refused:
        services.documents_link(response=response, documents=[other])
    assert refused.value.message_dict == {
        "documents": ["Not this request's unanswered documents: essex.csv."]
    }
    other.refresh_from_db()
    assert other.response_id is None


def test_a_figure_may_cite_a_document_of_its_request_not_yet_linked(
    response, offence, data_entry, campaign, owner
):
    early = services.document_attach(
        request=response.request, name="kent.csv", content=CSV, user=data_entry
    )
    entry = services.figure_enter(
        response=response,
        period_start=H1[0],
        period_end=H1[1],
        offence=offence,
        platform=platform("instagram"),
        unit="instances",
        raw="12",
        user=data_entry,
        document=early,
    )
    assert entry.figure.document_id == early.pk
    essex = request_create(
        campaign=campaign, force=Force.objects.get(slug="essex"), user=owner, sent_on=SENT_ON
    )
    foreign = services.document_attach(request=essex, name="essex.csv", content=CSV, user=owner)
    with pytest.raises(ValidationError) as refused:
        services.figure_enter(
            response=response,
            period_start=H1[0],
            period_end=H1[1],
            offence=offence,
            platform=platform("tiktok"),
            unit="instances",
            raw="3",
            user=data_entry,
            document=foreign,
        )
    assert refused.value.message_dict == {"document": ["The document belongs to another response."]}
    assert Figure.objects.count() == 1


def test_a_request_document_is_served_to_the_campaigns_team_only(
    sent_request, data_entry, colleague, outsider, client_for
):
    document = services.document_attach(
        request=sent_request, name="reply.pdf", content=PDF, user=data_entry
    )
    url = f"/api/v1/documents/{document.pk}/"
    answer = client_for(colleague).get(url)
    assert answer.status_code == 200
    assert (answer.json()["request"], answer.json()["response"]) == (sent_request.pk, None)
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).get(f"{url}download/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_existing_document_its_responses_request(document_files):
    """Two documents of two responses before the migration: after it, each has the request of
    its own response (looked up in one UPDATE)."""
    executor = MigrationExecutor(connection)
    # Both apps as they were, so the old models match the tables.
    before = [
        ("responses_app", "0003_figure_write_fewer_indexes"),
        ("requests_app", "0005_reminder_request_index_in_the_claim"),
    ]
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        ids = _two_old_documents(old)
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)
    documents = Document.objects.select_related("response").order_by("pk")
    assert [(d.pk, d.request_id) for d in documents] == [
        (document_id, request_id) for document_id, request_id in ids
    ]
    assert all(d.request_id == d.response.request_id for d in documents)


def _two_old_documents(apps) -> list[tuple[int, int]]:
    """Documents made with the models as they were: attached to responses only."""
    user = apps.get_model("auth", "User").objects.create(username="before")
    campaign = apps.get_model("requests_app", "Campaign").objects.create(
        title="Before", question="?", period_start=H1[0], period_end=H1[1], owner=user
    )
    foi_request = apps.get_model("requests_app", "FoiRequest")
    response_model = apps.get_model("responses_app", "FoiResponse")
    document_model = apps.get_model("responses_app", "Document")
    made = []
    for slug in ("kent", "essex"):
        force = apps.get_model("requests_app", "Force").objects.get(slug=slug)
        request = foi_request.objects.create(campaign=campaign, force=force, status="responded")
        response = response_model.objects.create(
            request=request, received_on=RECEIVED_ON, outcome="granted"
        )
        document = document_model.objects.create(
            response=response,
            file=f"{slug}.pdf",
            original_name=f"{slug}.pdf",
            content_type="application/pdf",
            size=3,
            sha256="0" * 64,
        )
        made.append((document.pk, request.pk))
    return made
