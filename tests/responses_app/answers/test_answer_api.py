"""POST /api/v1/responses/{id}/import/ given only the answer file: a dry run returns the reading
(names, cell references, how each cell was read, totals checks, questions, digest); confirming
with the digest imports exactly that; a changed decision, an undecided label or an unreadable file
is a 400 that says what to do, and nothing is written."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from responses_app.models import Document, Figure
from tests.responses_app.answers import builders, corpus
from tests.responses_app.answers.corpus import HEADINGS, Case
from tests.responses_app.answers.test_answer_import import (
    CAMPAIGN_PERIODS,
    lists_as_in,
    periods_set,
    stored,
)
from tests.responses_app.answers.test_corpus import CASES, by_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client_for, data_entry, response, campaign):
    periods_set(campaign, CAMPAIGN_PERIODS)
    client = client_for(data_entry)
    url = f"/api/v1/responses/{response.pk}/import/"

    def send(content: bytes, name: str = "answer.xlsx", **fields):
        data = {"file": SimpleUploadedFile(name, content)}
        data |= {k: json.dumps(v) if isinstance(v, dict) else v for k, v in fields.items()}
        return client.post(url, data, format="multipart")

    return send


def test_a_dry_run_reads_the_table_by_itself_and_writes_nothing(post):
    """The corpus's first file: a title, a blank row, footnotes and a Total row; 14 + 0 + 3 =
    17 agrees with the stated 17; 1..4 + 6 + 2 = 9..12 holds the stated 11."""
    answer = post(
        corpus.title_footnotes_and_total().build(), dry_run="true", offence="child-sexual-offences"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["ready"] is True and body["questions"] == [] and body["problems"] == []
    assert len(body["figures"]) == 8
    assert body["figures"][1] == {
        "sheet": "Data",
        "cell": "C4",
        "period_start": "2020-04-01",
        "period_end": "2020-09-30",
        "platform": "Instagram",
        "platform_scope": "named",
        "offence": "Sexual offences against children under 18 (all codes asked about)",
        "unit": "instances",
        "raw": "*",
        "status": "suppressed",
        "low": 1,
        "high": 4,
        "note": "",
    }
    checks = [(t["cell"], t["stated_low"], t["parts_low"], t["parts_high"], t["agrees"])
              for t in body["totals"]]  # fmt: skip
    assert checks == [("B7", 17, 17, 17, True), ("C7", 11, 9, 12, True)]
    cells = {c["ref"]: c["kind"] for t in body["sheets"][0]["tables"] for c in t["cells"]}
    assert (cells["B4"], cells["C4"], cells["B5"], cells["B7"]) == (
        "exact", "interval", "zero", "total",
    )  # fmt: skip
    assert len(body["digest"]) == 64
    assert not Figure.objects.exists() and not Document.objects.exists()


def test_confirming_with_the_digest_imports_exactly_the_reading(post, response):
    content = corpus.title_footnotes_and_total().build()
    preview = post(content, dry_run="true", offence="child-sexual-offences").json()
    done = post(content, offence="child-sexual-offences", digest=preview["digest"])
    assert done.status_code == 201, done.json()
    assert done.json()["created"] == 8
    assert sorted(response.figures.values_list("cell", "raw", "low", "high")) == sorted(
        (f["cell"], f["raw"], f["low"], f["high"]) for f in preview["figures"]
    )
    assert list(response.documents.values_list("original_name", flat=True)) == ["answer.xlsx"]


def test_a_changed_decision_is_refused_as_a_changed_reading(post):
    content = builders.xlsx({"Sheet1": [HEADINGS, ["Instagram", 12, 7], ["Yubo", 3, 1]]})
    skip = {"label:yubo": "skip"}
    preview = post(content, dry_run="true", offence="22B", decisions=skip).json()
    assert preview["ready"] and len(preview["figures"]) == 2
    other = {"label:yubo": "other_platform"}
    answer = post(content, offence="22B", decisions=other, digest=preview["digest"])
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("The file now reads differently from the preview")
    assert len(answer.json()["figures"]) == 4
    assert not Figure.objects.exists() and not Document.objects.exists()


def test_an_undecided_label_is_a_400_naming_sheet_cells_and_choices(post):
    content = builders.xlsx({"Sheet1": [HEADINGS, ["Instagram", 12, 7], ["Yubo", 3, 1]]})
    answer = post(content, offence="22B")
    assert answer.status_code == 400
    [question] = answer.json()["questions"]
    assert (question["key"], question["sheet"], question["cells"]) == (
        "label:yubo", "Sheet1", ["A3"],
    )  # fmt: skip
    assert [c["value"] for c in question["choices"]] == ["not_recorded", "other_platform", "skip"]
    assert question["any_of"] == ["platform", "offence"]
    assert not Figure.objects.exists() and not Document.objects.exists()


def test_an_offence_given_by_its_home_office_code_71_17_resolves(post, response):
    content = builders.xlsx({"Sheet1": [HEADINGS, ["Instagram", 12, 7]]})
    answer = post(content, offence="71/17")
    assert answer.status_code == 201, answer.json()
    assert set(response.figures.values_list("offence__slug", flat=True)) == {
        "sexual-communication-with-a-child"
    }


def test_an_unknown_offence_or_a_bad_decision_is_refused_naming_the_field(post):
    content = builders.xlsx({"Sheet1": [HEADINGS, ["Instagram", 12, 7]]})
    assert post(content, offence="99Z").json()["errors"] == [
        {"field": "offence", "message": "'99Z' is not an offence slug or code."}
    ]
    answer = post(content, offence="22B", decisions={"label:yubo": "platform:myspace"})
    assert answer.status_code == 400
    assert answer.json()["problems"][0]["message"] == (
        "The decision 'platform:myspace' does not answer 'label:yubo'."
    )
    assert not Figure.objects.exists() and not Document.objects.exists()


def test_an_unreadable_file_is_a_400_and_leaves_nothing(post):
    answer = post(b"%PDF-1.4 not really", name="a.pdf")
    assert answer.status_code == 400
    assert answer.json()["problems"]
    assert not Document.objects.exists()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_answer_of_the_corpus_imports_through_the_api_or_is_refused_saying_what_to_decide(
    case: Case, post, response, campaign
):
    periods_set(campaign, case.periods)
    lists_as_in(case.vocabulary)
    content = case.build()
    fields = {"offence": case.offence} if case.offence else {}
    if case.questions or case.outcome != "read":
        undecided = post(content, case.filename, **fields)
        assert undecided.status_code == 400
        assert [q["key"] for q in undecided.json()["questions"]] == case.questions
        if case.outcome == "scanned":
            assert undecided.json()["detail"] == (
                "The file is a scan with no text to read: key its figures by hand."
            )
        for question in undecided.json()["questions"]:
            assert question["sheet"] and question["cells"] and question["text"]
        assert not Figure.objects.exists() and not Document.objects.exists()
        if not case.decisions:
            return
        fields["decisions"] = case.decisions
    preview = post(content, case.filename, dry_run="true", **fields).json()
    assert preview["ready"], preview["questions"] or preview["problems"]
    done = post(content, case.filename, digest=preview["digest"], **fields)
    assert done.status_code == 201, done.json()
    assert stored(response) == by_cell(case.decided if case.decisions else case.figures)
    assert done.json()["created"] == len(preview["figures"])
