import json
import os
from types import SimpleNamespace

import app

CONTEXT = SimpleNamespace(aws_request_id="test-request")
EVENTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "events")


def test_a_scheduled_event_sets_the_window():
    with open(os.path.join(EVENTS, "scheduled.json")) as f:
        event = json.load(f)
    result = app.lambda_handler(event, CONTEXT)
    assert result["until"] == "2026-01-01T00:15:00+00:00"
    assert result["since"] == "2026-01-01T00:00:00+00:00"
    assert result["processed"] == 0


def test_a_malformed_event_falls_back_to_now():
    result = app.lambda_handler({"time": "yesterday"}, CONTEXT)
    assert result["since"] < result["until"]
    assert app.lambda_handler(None, CONTEXT)["processed"] == 0
