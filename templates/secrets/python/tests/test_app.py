import hashlib
import hmac
import json
from types import SimpleNamespace

import app

CONTEXT = SimpleNamespace(aws_request_id="test-request")


def test_signs_with_the_secret_and_never_returns_it(monkeypatch, capsys):
    monkeypatch.setenv("LAM_SECRET_SIGNING_KEY", "k3y")
    result = app.lambda_handler({"body": "{\"order\": 1}"}, CONTEXT)
    expected = hmac.new(b"k3y", b"{\"order\": 1}", hashlib.sha256).hexdigest()
    assert result["statusCode"] == 200
    assert json.loads(result["body"]) == {"signature": expected}
    assert "k3y" not in result["body"]
    assert "k3y" not in capsys.readouterr().out


def test_a_missing_secret_is_a_503_not_a_crash(monkeypatch):
    monkeypatch.delenv("LAM_SECRET_SIGNING_KEY", raising=False)
    monkeypatch.delenv("SIGNING_KEY_SECRET_ARN", raising=False)
    result = app.lambda_handler({"body": "x"}, CONTEXT)
    assert result["statusCode"] == 503
