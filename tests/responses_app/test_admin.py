import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from responses_app.models import Document, FoiResponse
from tests.responses_app.sheets import LONG_HEADER, csv_bytes, long_row


@pytest.fixture
def admin_client_for_staff(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.mark.parametrize(
    "page",
    [
        "platformowner",
        "platform",
        "offencecategory",
        "foiresponse",
        "figure",
        "figureawaitingverification",
        "figuredisagreement",
    ],
)
def test_every_admin_list_and_add_page_opens(admin_client_for_staff, enter, page):
    enter("12")
    assert admin_client_for_staff.get(f"/admin/responses_app/{page}/").status_code == 200
    if page not in ("figureawaitingverification", "figuredisagreement"):
        assert admin_client_for_staff.get(f"/admin/responses_app/{page}/add/").status_code == 200


def test_the_response_page_shows_its_documents_and_figures(admin_client_for_staff, enter, response):
    figure = enter("<5").figure
    page = admin_client_for_staff.get(f"/admin/responses_app/foiresponse/{response.pk}/change/")
    assert page.status_code == 200
    assert b"Import figures" in page.content and b"&lt;5" in page.content
    assert (
        admin_client_for_staff.get(f"/admin/responses_app/figure/{figure.pk}/change/").status_code
        == 200
    )
    assert (
        admin_client_for_staff.get(f"/admin/responses_app/figure/{figure.pk}/history/").status_code
        == 200
    )


def test_the_mismatch_filter_lists_disagreeing_totals(admin_client_for_staff, enter):
    enter("20", "instagram")
    enter("25", None)
    page = admin_client_for_staff.get("/admin/responses_app/figure/?total=mismatch")
    assert page.status_code == 200
    assert b"All platforms (a stated total)" in page.content


def test_figures_are_imported_from_the_data_entry_page_not_the_admin(
    admin_client_for_staff, response
):
    """The preview and confirmation moved to the pages (tests/web/entry/test_import_page.py)."""
    page = admin_client_for_staff.get(f"/admin/responses_app/foiresponse/{response.pk}/change/")
    assert f'href="/responses/{response.pk}/import/">Import figures' in page.content.decode()


def test_the_confirm_action_verifies_other_peoples_figures(admin_client_for_staff, enter):
    figure = enter("12").figure
    admin_client_for_staff.post(
        "/admin/responses_app/figure/",
        {"action": "confirm_figures", "_selected_action": [figure.pk]},
    )
    figure.refresh_from_db()
    assert figure.verified


COUNTS = ("TOTAL_FORMS", "INITIAL_FORMS")


def _add_response(client: Client, request_pk: int, attach) -> object:
    return client.post(
        "/admin/responses_app/foiresponse/add/",
        {
            "request": request_pk,
            "received_on": "2020-11-20",
            "outcome": "granted",
            "other_exemptions": "",
            "caveats": "",
            "attach": attach,
            # The inlines (documents, figures) are read-only, but their formsets still post.
            **{f"{inline}-{count}": 0 for inline in ("documents", "figures") for count in COUNTS},
        },
    )


def test_a_refused_attachment_leaves_no_response_no_event_and_no_file(
    admin_client_for_staff, sent_request, document_files
):
    """The form refuses the file beside its field before anything is saved. Before the fix, the
    response was saved and the request moved to 'responded' while the page showed the error."""
    not_a_spreadsheet = SimpleUploadedFile("figures.xlsx", b"MZ\x90\x00 an executable, not a zip")
    page = _add_response(admin_client_for_staff, sent_request.pk, not_a_spreadsheet)
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["attach"]
    sent_request.refresh_from_db()
    assert sent_request.status == "sent"
    assert sent_request.events.count() == 1  # the 'sent' event only
    assert not FoiResponse.objects.exists()
    assert not Document.objects.exists()
    assert not document_files.exists() or not any(document_files.iterdir())


def test_a_refused_transition_is_shown_beside_the_date_and_writes_nothing(
    admin_client_for_staff, sent_request
):
    """A response dated before the request was sent: the status machine's check, in the form."""
    page = admin_client_for_staff.post(
        "/admin/responses_app/foiresponse/add/",
        {"request": sent_request.pk, "received_on": "2020-10-01", "outcome": "granted"},
    )
    assert page.status_code == 200
    assert page.status_code == 200
    assert "before the request was sent" in str(page.context["adminform"].form.errors)
    assert not FoiResponse.objects.exists()


def test_a_good_attachment_is_stored_with_the_response(admin_client_for_staff, sent_request):
    csv_file = SimpleUploadedFile("figures.csv", csv_bytes([LONG_HEADER, long_row("IG", "12")]))
    page = _add_response(admin_client_for_staff, sent_request.pk, csv_file)
    assert page.status_code == 302, page.context["adminform"].form.errors
    response = FoiResponse.objects.get()
    assert [d.original_name for d in response.documents.all()] == ["figures.csv"]
    sent_request.refresh_from_db()
    assert sent_request.status == "responded"
