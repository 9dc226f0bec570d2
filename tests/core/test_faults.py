"""Hostile or broken requests are refused with a 4xx and logged; a server fault answers a short
generic message, never a traceback or a database's own words."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client, RequestFactory

from core import errors
from requests_app import selectors
from requests_app.models import Campaign, Force
from requests_app.services import request_create
from responses_app import services
from responses_app.models import Document

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2021, 1, 11, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def stored(tmp_path):
    """Documents go to a temporary folder, never to the project's media folder."""
    field = Document._meta.get_field("file")
    saved = field.storage
    field.storage = FileSystemStorage(location=tmp_path / "documents")
    yield tmp_path
    field.storage = saved


@pytest.fixture
def response(campaign, owner, data_entry):
    sent = request_create(
        campaign=campaign,
        force=Force.objects.get(slug="kent"),
        user=owner,
        sent_on=dt.date(2020, 11, 2),
    )
    return services.response_record(
        request=sent, received_on=dt.date(2020, 11, 20), outcome="granted", user=data_entry
    )


def upload(client, response, name: str, content: bytes, content_type: str):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(
        f"/api/v1/responses/{response.pk}/documents/", {"file": file}, format="multipart"
    )


def files_under(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_an_oversize_json_body_is_refused_before_it_is_read_and_logged(
    owner, client_for, settings, caplog
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"title": "' + "x" * 1000 + '"}'  # 11 + 1000 + 2 bytes
    with caplog.at_level(logging.WARNING, logger="core.request_limits"):
        response = client_for(owner).post(
            "/api/v1/campaigns/", body, content_type="application/json"
        )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is 1,013 bytes, over the limit of 1,000 bytes.",
        "errors": [],
    }
    assert not Campaign.objects.exists()
    [record] = [r for r in caplog.records if r.name == "core.request_limits"]
    assert (record.path, record.content_length, record.limit) == ("/api/v1/campaigns/", 1013, 1000)


def test_an_upload_far_over_the_document_limit_is_refused_before_it_is_parsed(
    response, data_entry, client_for, settings, stored
):
    settings.DOCUMENT_MAX_BYTES = 1000
    answer = upload(
        client_for(data_entry), response, "big.pdf", PDF + b"0" * 70_000, "application/pdf"
    )
    assert answer.status_code == 413
    assert answer.json()["detail"].endswith("over the limit of 66,536 bytes.")
    assert not Document.objects.exists() and files_under(stored) == []


def test_a_path_in_a_document_name_never_leaves_the_document_folder(
    response, data_entry, client_for, stored
):
    answer = upload(
        client_for(data_entry), response, "../../../../tmp/evil/reply.pdf", PDF, "application/pdf"
    )
    assert answer.status_code == 201
    document = Document.objects.get()
    assert document.original_name == "reply.pdf"
    # Stored under a random name inside the folder; the name given was used for display only.
    [path] = files_under(stored)
    assert path == f"documents/{document.file.name}"
    assert document.file.name.endswith(".pdf") and "reply" not in document.file.name


def test_a_file_whose_content_type_lies_is_refused_logged_and_not_stored(
    response, data_entry, client_for, stored, caplog
):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        answer = upload(
            client_for(data_entry),
            response,
            "minutes.pdf",
            b"<html><script>alert(1)</script></html>",
            "application/pdf",
        )
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {
            "field": "file",
            "message": "This file is not a PDF, XLSX, XLS, ODS, CSV, TXT or DOCX file.",
        }
    ]
    assert not Document.objects.exists() and files_under(stored) == []
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == [
        f"Bad Request: /api/v1/responses/{response.pk}/documents/"
    ]


def lose_the_database(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly at 10.0.0.5")


def test_a_lost_database_connection_answers_a_generic_503_to_the_api(
    owner, client_for, monkeypatch, caplog
):
    monkeypatch.setattr(selectors, "campaigns_visible_to", lose_the_database)
    with caplog.at_level(logging.ERROR, logger="core.errors"):
        response = client_for(owner).get("/api/v1/campaigns/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "The service is briefly unavailable. Please try again in a few seconds.",
        "errors": [],
    }
    [record] = [r for r in caplog.records if r.name == "core.errors"]
    assert (record.getMessage(), record.error) == ("Database unavailable", "OperationalError")
    assert record.exc_info is not None  # the traceback is in the log, not the answer


def test_any_other_server_error_answers_a_generic_500_without_a_traceback(owner, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("secret internals /srv/app/settings.py")

    monkeypatch.setattr(selectors, "campaigns_visible_to", crash)
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    api = client.get("/api/v1/campaigns/")
    assert api.status_code == 500
    assert api.json() == {
        "detail": "Something went wrong on our side. Please try again later.",
        "errors": [],
    }
    assert "Traceback" not in api.content.decode()


def test_a_server_error_on_a_page_is_plain_text():
    page = errors.server_error(RequestFactory().get("/campaigns/"))
    assert (page.status_code, page["Content-Type"]) == (500, "text/plain; charset=utf-8")
    assert page.content.decode() == "Something went wrong on our side. Please try again later."
