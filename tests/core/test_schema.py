from __future__ import annotations

import pytest


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_the_error_shape(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "errors"]
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) > 30
    for path, method, operation in operations:
        for code in ("401", "403", "429"):
            assert code in operation["responses"], (path, method, code)
        if "{" in path:
            assert "404" in operation["responses"], (path, method)
        if method in ("post", "put", "patch"):
            assert "400" in operation["responses"], (path, method)


def test_the_aggregates_parameters_are_described(schema):
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/v1/aggregates/"]["get"]["parameters"]
    }
    assert {"group_by", "campaign", "release", "platform", "owner", "force", "unit"} <= set(
        parameters
    )
    assert "One or two of: platform, owner, force" in parameters["group_by"]["description"]
