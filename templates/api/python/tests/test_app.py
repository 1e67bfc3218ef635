import json
from types import SimpleNamespace

import pytest

import app

CONTEXT = SimpleNamespace(aws_request_id="test-request")


def rest_event(method, path, body=None, query=None, headers=None, path_params=None):
    return {
        "httpMethod": method,
        "path": path,
        "headers": headers,
        "queryStringParameters": query,
        "pathParameters": path_params,
        "body": body,
        "isBase64Encoded": False,
    }


def call(event):
    result = app.lambda_handler(event, CONTEXT)
    body = json.loads(result["body"]) if result["body"] else None
    return result["statusCode"], result["headers"], body


@pytest.fixture(autouse=True)
def empty_store():
    app.ITEMS.clear()


def test_health():
    status, _, body = call(rest_event("GET", "/"))
    assert status == 200 and body["status"] == "ok"


def test_create_then_read():
    status, _, item = call(rest_event("POST", "/items", json.dumps({"name": " pen "})))
    assert status == 201 and item == {"id": "1", "name": "pen"}
    status, _, got = call(rest_event("GET", "/items/1", path_params={"id": "1"}))
    assert status == 200 and got["name"] == "pen"
    status, _, listing = call(rest_event("GET", "/items", query=None))
    assert listing["items"] == [item]


@pytest.mark.parametrize("body", [None, "", "{not json", "[1, 2]", json.dumps({"name": ""})])
def test_bad_bodies_are_400(body):
    status, _, payload = call(rest_event("POST", "/items", body))
    assert status == 400 and "error" in payload


def test_bad_query_is_400():
    status, _, _ = call(rest_event("GET", "/items", query={"limit": "many"}))
    assert status == 400


def test_unknown_item_and_path():
    assert call(rest_event("GET", "/items/9", path_params={"id": "9"}))[0] == 404
    assert call(rest_event("GET", "/nope"))[0] == 404
    assert call(rest_event("DELETE", "/items"))[0] == 405


def test_preflight_and_cors_headers():
    status, headers, body = call(rest_event("OPTIONS", "/items", headers={"Origin": "https://app.example"}))
    assert status == 204 and body is None
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]


def test_http_api_events_work_too():
    event = {
        "version": "2.0",
        "rawPath": "/items",
        "requestContext": {"http": {"method": "POST"}},
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"name": "cup"}),
        "isBase64Encoded": False,
    }
    status, _, item = call(event)
    assert status == 201 and item["name"] == "cup"
