from requests_app.services import request_create
from responses_app.models import Figure, FoiResponse
from tests.responses_app.conftest import H1, RECEIVED_ON, SENT_ON
from tests.responses_app.sheets import LONG_HEADER, csv_bytes, long_row

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def figure_payload(response, raw="12", platform="instagram", **extra):
    return {
        "response": response.pk,
        "period_start": str(H1[0]),
        "period_end": str(H1[1]),
        "offence": "child-sexual-offences",
        "platform": platform,
        "raw": raw,
        **extra,
    }


def test_it_lists_the_reference_lists_by_slug_in_constant_queries(
    client_for, consumer, django_assert_num_queries
):
    client = client_for(consumer)
    with django_assert_num_queries(4):  # count, platforms, aliases, ownerships with owners
        answer = client.get("/api/v1/platforms/?page_size=100")
    instagram = next(p for p in answer.json()["results"] if p["slug"] == "instagram")
    assert sorted(instagram["aliases"]) == ["IG", "Insta gram", "insta"]
    assert instagram["ownerships"] == [{"owner": "meta", "valid_from": None, "valid_to": None}]
    assert client.get("/api/v1/owners/meta/").json()["slug"] == "meta"
    offence = client.get("/api/v1/offences/sexual-activity-child-under-16/").json()
    assert offence["home_office_code"] == "22B"


def test_data_entry_records_a_response_on_any_campaign(client_for, data_entry, sent_request):
    answer = client_for(data_entry).post(
        "/api/v1/responses/",
        {
            "request": sent_request.pk,
            "received_on": str(RECEIVED_ON),
            "outcome": "refused",
            "exemptions": ["s12"],
        },
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["force"] == "kent"
    sent_request.refresh_from_db()
    assert sent_request.status == "responded"


def test_it_answers_a_response_to_a_draft_with_the_status_machines_message(
    client_for, owner, campaign, kent
):
    draft = request_create(campaign=campaign, force=kent, user=owner)
    answer = client_for(owner).post(
        "/api/v1/responses/",
        {"request": draft.pk, "received_on": str(RECEIVED_ON), "outcome": "granted"},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "request"
    assert "cannot be recorded while the request is 'draft'" in answer.json()["detail"]
    assert FoiResponse.objects.count() == 0


def test_outsiders_cannot_see_or_write_and_consumers_read_only_what_is_published(
    client_for, outsider, consumer, response, campaign
):
    outside = client_for(outsider)
    assert outside.get(f"/api/v1/responses/{response.pk}/").status_code == 404
    assert outside.get("/api/v1/responses/").json()["count"] == 0
    assert outside.post(f"/api/v1/responses/{response.pk}/documents/").status_code == 404
    campaign.published = True
    campaign.save()
    reader = client_for(consumer)
    # The response is a record behind the published reports, which are all a consumer reads.
    assert reader.get(f"/api/v1/responses/{response.pk}/").status_code == 403
    assert reader.get("/api/v1/dataset/", {"campaign": campaign.pk}).status_code == 200
    assert reader.post("/api/v1/figures/", figure_payload(response)).status_code == 403
    assert client_for(None).get("/api/v1/figures/").status_code in (401, 403)


def test_a_researcher_records_figures_on_their_teams_campaign_only(
    client_for, colleague, outsider, response
):
    assert (
        client_for(colleague).post("/api/v1/figures/", figure_payload(response)).status_code == 201
    )
    refused = client_for(outsider).post("/api/v1/figures/", figure_payload(response, "13"))
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "response"


def test_it_enters_confirms_and_disputes_figures_by_double_entry(
    client_for, data_entry, staff, owner, response
):
    first = client_for(data_entry).post("/api/v1/figures/", figure_payload(response, "<5"))
    assert first.status_code == 201
    body = first.json()
    assert (body["status"], body["low"], body["high"], body["owner"], body["entry"]) == (
        "suppressed",
        1,
        4,
        "meta",
        "created",
    )
    confirmed = client_for(staff).post("/api/v1/figures/", figure_payload(response, "1-4"))
    assert confirmed.status_code == 200
    assert (confirmed.json()["entry"], confirmed.json()["verified_by"]) == ("confirmed", "staff")
    client_for(data_entry).post("/api/v1/figures/", figure_payload(response, "7", "snapchat"))
    disputed = client_for(owner).post("/api/v1/figures/", figure_payload(response, "9", "snapchat"))
    assert disputed.json()["entry"] == "disputed"
    listing = client_for(owner).get("/api/v1/figures/?disputed=true").json()
    assert [(f["raw"], f["disputed_raw"]) for f in listing["results"]] == [("7", "9")]
    verified = client_for(owner).get("/api/v1/figures/?verified=true").json()["results"]
    assert [f["platform"] for f in verified] == ["instagram"]


def test_it_corrects_a_figure_and_keeps_its_history(client_for, data_entry, staff, response):
    figure_id = (
        client_for(data_entry).post("/api/v1/figures/", figure_payload(response)).json()["id"]
    )
    answer = client_for(staff).patch(
        f"/api/v1/figures/{figure_id}/", {"raw": "not held", "platform": "kik"}
    )
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["low"], answer.json()["platform"]) == (
        "not_held",
        None,
        "instagram",
    )
    history = Figure.history.filter(id=figure_id).order_by("history_id")
    assert [(h.raw, h.history_user.username) for h in history] == [
        ("12", "data_entry"),
        ("not held", "staff"),
    ]


def test_it_refuses_self_verification_and_accepts_a_second_persons(
    client_for, data_entry, colleague, response
):
    figure_id = (
        client_for(data_entry).post("/api/v1/figures/", figure_payload(response)).json()["id"]
    )
    refused = client_for(data_entry).post(f"/api/v1/figures/{figure_id}/verify/")
    assert refused.status_code == 400
    assert client_for(colleague).post(f"/api/v1/figures/{figure_id}/verify/").json()["verified"]


def test_it_filters_figures_and_lists_them_in_constant_queries(
    client_for, enter, owner, django_assert_num_queries
):
    enter("12", "instagram")
    client = client_for(owner)
    client.get("/api/v1/figures/")  # the user's roles are read once, then kept on the user
    with django_assert_num_queries(1):  # the page, relations joined (a cursor needs no count)
        client.get("/api/v1/figures/")
    for platform in ("snapchat", "whatsapp", "tiktok", "kik"):
        enter("3", platform)
    with django_assert_num_queries(1):
        answer = client.get("/api/v1/figures/")
    assert len(answer.json()["results"]) == 5
    by_owner = client.get("/api/v1/figures/?owner=meta").json()["results"]
    assert sorted(f["platform"] for f in by_owner) == ["instagram", "whatsapp"]

    def count(query: str) -> int:
        return len(client.get(f"/api/v1/figures/?{query}").json()["results"])

    assert count("platform=kik&status=reported") == 1
    assert count(f"period_from={H1[0]}&force=kent") == 5
    assert count("period_from=2020-04-01") == 0
    assert client.get("/api/v1/figures/?owner=nobody").status_code == 400


def test_it_lists_stated_totals_that_disagree_with_their_parts(client_for, enter, owner):
    enter("20", "instagram")
    enter("*", "snapchat")
    total = enter("30", None).figure
    answer = client_for(owner).get("/api/v1/figures/mismatches/").json()["results"]
    assert [(f["id"], f["parts_low"], f["parts_high"]) for f in answer] == [(total.pk, 21, 24)]


def test_it_serves_the_long_format_template(client_for, data_entry):
    answer = client_for(data_entry).get("/api/v1/figures/template/")
    lines = answer.content.decode().splitlines()
    assert lines[0] == "period_start,period_end,offence,platform,value,unit,note"
    assert answer["Content-Disposition"] == 'attachment; filename="figures-template.csv"'


def test_it_attaches_documents_checked_from_their_bytes(client_for, data_entry, response):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(data_entry)
    upload = SimpleUploadedFile("..\\..\\etc/reply.pdf", PDF, content_type="text/html")
    answer = client.post(
        f"/api/v1/responses/{response.pk}/documents/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["original_name"], body["content_type"], body["size"]) == (
        "reply.pdf",
        "application/pdf",
        len(PDF),
    )
    assert body["sha256"] == __import__("hashlib").sha256(PDF).hexdigest()
    fake = SimpleUploadedFile("reply.pdf", b"<html>not a pdf</html>")
    refused = client.post(
        f"/api/v1/responses/{response.pk}/documents/", {"file": fake}, format="multipart"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {
            "field": "file",
            "message": "This file is not a PDF, XLSX, XLS, ODS, CSV, TXT or DOCX file.",
        }
    ]
    listed = client.get(f"/api/v1/responses/{response.pk}/documents/").json()
    assert [d["original_name"] for d in listed] == ["reply.pdf"]


def test_it_refuses_a_document_over_the_size_limit(client_for, data_entry, response, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DOCUMENT_MAX_BYTES = 10
    upload = SimpleUploadedFile("reply.pdf", PDF)
    answer = client_for(data_entry).post(
        f"/api/v1/responses/{response.pk}/documents/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == f"The file is {len(PDF)} bytes, over the limit of 10 bytes."


def test_it_serves_a_document_only_to_those_who_can_see_the_campaign(
    client_for, data_entry, colleague, outsider, response
):
    from responses_app.services import document_attach

    document = document_attach(response=response, name="reply.pdf", content=PDF, user=data_entry)
    url = f"/api/v1/documents/{document.pk}/download/"
    answer = client_for(colleague).get(url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF
    assert answer["Content-Type"] == "application/pdf"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Content-Disposition"] == 'attachment; filename="reply.pdf"'
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code in (401, 403)


def test_it_imports_through_the_api_with_a_dry_run_first(client_for, data_entry, response):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = csv_bytes([LONG_HEADER, long_row("IG", "12"), long_row("Snap", "*")])
    client = client_for(data_entry)
    url = f"/api/v1/responses/{response.pk}/import/"
    dry = client.post(
        url, {"file": SimpleUploadedFile("f.csv", content), "dry_run": "true"}, format="multipart"
    )
    assert dry.status_code == 200
    assert dry.json()["would_create"] == 2
    assert [(p["raw"], p["low"], p["high"], p["cell"]) for p in dry.json()["preview"]] == [
        ("12", 12, 12, "E2"),
        ("*", 1, 4, "E3"),
    ]
    assert Figure.objects.count() == 0
    done = client.post(url, {"file": SimpleUploadedFile("f.csv", content)}, format="multipart")
    assert done.status_code == 201
    assert done.json()["created"] == 2
    assert Figure.objects.filter(document_id=done.json()["document"]).count() == 2


def test_it_answers_a_bad_import_with_every_row_and_column(client_for, data_entry, response):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = csv_bytes([LONG_HEADER, long_row("IG", "-1"), long_row("Myspace", "2")])
    answer = client_for(data_entry).post(
        f"/api/v1/responses/{response.pk}/import/",
        {"file": SimpleUploadedFile("f.csv", content)},
        format="multipart",
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["detail"] == "Nothing was imported: 2 problems in the file."
    assert body["errors"] == [
        {"row": 2, "column": "E", "message": "'-1' is negative; a count cannot be below zero."},
        {"row": 3, "column": "D", "message": "Unknown platform 'Myspace'. Closest known: 'Skype'."},
    ]
    assert Figure.objects.count() == 0


def test_it_lists_responses_in_constant_queries(
    client_for, owner, data_entry, campaign, response, django_assert_num_queries
):
    from requests_app.models import Force
    from responses_app.services import response_record

    client = client_for(owner)
    client.get("/api/v1/responses/")  # the user's roles are read once, then kept on the user
    with django_assert_num_queries(2):  # count, page (relations joined)
        assert client.get("/api/v1/responses/").json()["count"] == 1
    for slug in ("essex", "surrey", "sussex"):
        request = request_create(
            campaign=campaign, force=Force.objects.get(slug=slug), user=owner, sent_on=SENT_ON
        )
        response_record(
            request=request, received_on=RECEIVED_ON, outcome="not_held", user=data_entry
        )
    with django_assert_num_queries(2):
        assert client.get("/api/v1/responses/").json()["count"] == 4


def test_large_lists_page_by_cursor_and_refuse_a_tampered_one(client_for, enter, owner):
    for platform in ("instagram", "snapchat", "whatsapp"):
        enter("3", platform)
    client = client_for(owner)
    first = client.get("/api/v1/figures/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    seen = [f["id"] for f in first["results"] + second["results"]]
    assert len(set(seen)) == 3
    # "o=abc" once decoded: an offset that is no number.
    tampered = client.get("/api/v1/figures/", {"cursor": "bz1hYmM="})
    assert tampered.status_code == 400
    assert tampered.json()["errors"] == [
        {
            "field": "cursor",
            "message": "This page link is not valid; start again from the first page.",
        }
    ]
