import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

import app

CONTEXT = SimpleNamespace(aws_request_id="test-request")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(2)
        status = 500 if self.path == "/fail" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_all_succeed_concurrently(server):
    started = time.monotonic()
    result = app.lambda_handler({"urls": [f"{server}/a", f"{server}/b", f"{server}/c"]}, CONTEXT)
    assert result["statusCode"] == 200
    assert all(r["ok"] and r["status"] == 200 for r in json.loads(result["body"])["results"])
    assert time.monotonic() - started < 2


def test_partial_failures_and_timeouts_are_reported(server, monkeypatch):
    monkeypatch.setattr(app, "REQUEST_TIMEOUT", 0.5)
    started = time.monotonic()
    result = app.lambda_handler({"urls": [f"{server}/fast", f"{server}/slow", f"{server}/fail", "http://127.0.0.1:9/closed"]}, CONTEXT)
    assert time.monotonic() - started < 1.9, "the slow URL did not hold up the others"
    assert result["statusCode"] == 207
    by_path = {r["url"].rsplit("/", 1)[1]: r for r in json.loads(result["body"])["results"]}
    assert by_path["fast"]["ok"]
    assert "timed out" in by_path["slow"]["error"]
    assert by_path["fail"]["status"] == 500 and not by_path["fail"]["ok"]
    assert "error" in by_path["closed"]


def test_bad_input_is_a_400():
    assert app.lambda_handler({"urls": "https://example.com"}, CONTEXT)["statusCode"] == 400
