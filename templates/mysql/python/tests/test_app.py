import json
from types import SimpleNamespace

import pymysql
import pytest

import app

CONTEXT = SimpleNamespace(aws_request_id="test-request")


class FakeCursor:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql, args):
        if self.conn.fail:
            raise pymysql.err.OperationalError(2013, "Lost connection to MySQL server")
        self.conn.queries.append((sql, args))

    def fetchall(self):
        return [{"id": 1, "name": "pen"}]


class FakeConnection:
    def __init__(self):
        self.pings = 0
        self.queries = []
        self.fail = False

    def cursor(self):
        return FakeCursor(self)

    def ping(self, reconnect):
        assert reconnect
        self.pings += 1


@pytest.fixture
def db(monkeypatch):
    opened = []

    def connect(**kwargs):
        assert kwargs["password"] == "pw"
        conn = FakeConnection()
        opened.append(conn)
        return conn

    monkeypatch.setenv("LAM_SECRET_DB_PASSWORD", "pw")
    monkeypatch.setattr(pymysql, "connect", connect)
    monkeypatch.setattr(app, "_connection", None)
    return opened


def test_one_connection_is_reused_across_warm_invokes(db):
    for _ in range(3):
        result = app.lambda_handler({"queryStringParameters": {"limit": "5"}}, CONTEXT)
        assert result["statusCode"] == 200
        assert json.loads(result["body"]) == {"items": [{"id": 1, "name": "pen"}]}
    assert len(db) == 1
    assert db[0].pings == 2  # reconnects, if needed, before each reuse
    assert db[0].queries[0][1] == (5,)


def test_a_database_error_is_a_503_and_the_next_invoke_reconnects(db):
    app.lambda_handler({}, CONTEXT)
    db[0].fail = True
    result = app.lambda_handler({}, CONTEXT)
    assert result["statusCode"] == 503
    assert "Lost connection" not in result["body"]
    assert app.lambda_handler({}, CONTEXT)["statusCode"] == 200
    assert len(db) == 2


def test_bad_limit_is_a_400(db):
    assert app.lambda_handler({"queryStringParameters": {"limit": "lots"}}, CONTEXT)["statusCode"] == 400
