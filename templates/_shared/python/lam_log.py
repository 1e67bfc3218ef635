"""Structured logging: one JSON line per call, which CloudWatch Logs Insights
and `lam logs` read field by field.

    from lam_log import get_logger
    log = get_logger(__name__)
    log.info("order stored", order_id=order_id, items=3)
"""

import json
import os
import sys
import time

_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}
_request_id = None


def set_request_id(context):
    """Call at the top of the handler so every line carries the request id."""
    global _request_id
    _request_id = getattr(context, "aws_request_id", None)


class Logger:
    def __init__(self, name):
        self.name = name
        self.threshold = _LEVELS.get(os.environ.get("LOG_LEVEL", "INFO").upper(), 20)

    def _log(self, level, message, fields):
        if _LEVELS[level] < self.threshold:
            return
        now = time.time()
        record = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z",
            "level": level,
            "message": message,
            "logger": self.name,
        }
        if _request_id:
            record["request_id"] = _request_id
        record.update(fields)
        sys.stdout.write(json.dumps(record, default=str) + "\n")
        sys.stdout.flush()

    def debug(self, message, **fields):
        self._log("DEBUG", message, fields)

    def info(self, message, **fields):
        self._log("INFO", message, fields)

    def warning(self, message, **fields):
        self._log("WARNING", message, fields)

    def error(self, message, **fields):
        self._log("ERROR", message, fields)


def get_logger(name="app"):
    return Logger(name)
