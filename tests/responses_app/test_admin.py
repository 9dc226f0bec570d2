import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from responses_app.models import Document, Figure
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


def test_the_import_screen_previews_then_imports_on_confirmation(admin_client_for_staff, response):
    url = f"/admin/responses_app/foiresponse/{response.pk}/import/"
    assert admin_client_for_staff.get(url).status_code == 200
    content = csv_bytes([LONG_HEADER, long_row("IG", "12"), long_row("Snap", "*")])
    preview = admin_client_for_staff.post(
        url, {"file": SimpleUploadedFile("f.csv", content), "shape": "long", "unit": "instances"}
    )
    assert preview.status_code == 200
    assert b"2 figures would be created" in preview.content
    assert Figure.objects.count() == 0
    document = Document.objects.get()
    confirm = admin_client_for_staff.post(
        url, {"document": document.pk, "confirm": "on", "shape": "long", "unit": "instances"}
    )
    assert confirm.status_code == 302
    assert list(Figure.objects.values_list("raw", "document_id")) == [
        ("12", document.pk),
        ("*", document.pk),
    ]


def test_the_import_screen_lists_bad_rows(admin_client_for_staff, response):
    url = f"/admin/responses_app/foiresponse/{response.pk}/import/"
    content = csv_bytes([LONG_HEADER, long_row("IG", "-2")])
    page = admin_client_for_staff.post(
        url, {"file": SimpleUploadedFile("f.csv", content), "shape": "long", "unit": "instances"}
    )
    assert b"Nothing can be imported: 1 problem" in page.content
    assert b"is negative" in page.content
    assert Figure.objects.count() == 0


def test_the_confirm_action_verifies_other_peoples_figures(admin_client_for_staff, enter):
    figure = enter("12").figure
    admin_client_for_staff.post(
        "/admin/responses_app/figure/",
        {"action": "confirm_figures", "_selected_action": [figure.pk]},
    )
    figure.refresh_from_db()
    assert figure.verified
