"""lam's Python bootstrap: serves a handler over the Lambda Runtime API.

Started by `lam invoke --local` and `lam serve` with the function's code
directory as the working directory and AWS_LAMBDA_RUNTIME_API set. It imports
the handler named by _HANDLER, then loops: GET the next event, call the
handler with a context like Lambda's, POST the result or the error.
Standard library only, so it runs in any Python the project uses.
"""

import decimal
import http.client
import importlib
import json
import math
import os
import socket
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"


class RuntimeClient:
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.host, self.port = host, int(port)
        self.conn = None

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port)
            self.conn.connect()
            self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.conn

    def request(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, BASE + path, body=body, headers=headers or {})
                resp = conn.getresponse()
                return resp, resp.read()
            except (ConnectionError, http.client.HTTPException):
                self.conn = None
                if attempt == 2:
                    raise

    def next(self):
        resp, body = self.request("GET", "/invocation/next")
        return resp.headers, body

    def post(self, path, payload, error_type=None):
        headers = {"Content-Type": "application/json"}
        if error_type:
            headers["Lambda-Runtime-Function-Error-Type"] = error_type
        self.request("POST", path, body=payload, headers=headers)


class LambdaContext:
    """The `context` argument, with the attributes and method Lambda's has."""

    def __init__(self, headers):
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms", "0") or 0)
        identity = headers.get("Lambda-Runtime-Cognito-Identity")
        client_context = headers.get("Lambda-Runtime-Client-Context")
        self.identity = _Obj(json.loads(identity)) if identity else None
        self.client_context = _Obj(json.loads(client_context)) if client_context else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def log(self, message):
        sys.stdout.write(str(message))
        sys.stdout.flush()


class _Obj:
    def __init__(self, data):
        for key, value in (data or {}).items():
            setattr(self, key, value)


# Lambda's Python runtimes from 3.12 on write non-ASCII text as it is; the
# older ones escape it (\u00fc).
RAW_UNICODE = os.environ.get("AWS_EXECUTION_ENV", "").rsplit("python", 1)[-1] in {
    "3.12", "3.13", "3.14", "3.15"}


def marshal(result):
    """The result as Lambda's Python runtime sends it: bytes as they are,
    anything else as JSON, a Decimal written with exactly its digits (every
    DynamoDB number is one) and a NaN Decimal as NaN."""
    if isinstance(result, bytes):
        return result
    digits = []

    def default(obj):
        if isinstance(obj, decimal.Decimal):
            if obj.is_nan():
                return math.nan
            digits.append(str(obj))
            return f"\x00lam-decimal-{len(digits) - 1}\x00"
        raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")

    text = json.dumps(result, default=default, ensure_ascii=not RAW_UNICODE, allow_nan=True)
    # Each placeholder string becomes the number's own digits.
    for i, number in enumerate(digits):
        text = text.replace(json.dumps(f"\x00lam-decimal-{i}\x00"), number, 1)
    return text.encode()


def error_document(message, error_type, stack, request_id=""):
    """An error as Lambda's Python runtime reports it (request id "" at init)."""
    return json.dumps({
        "errorMessage": message,
        "errorType": error_type,
        "requestId": request_id,
        "stackTrace": stack,
    }).encode()


def error_payload(exc, error_type=None, request_id=""):
    return error_document(str(exc), error_type or type(exc).__name__,
                          trace_of(exc.__traceback__), request_id)


def load_handler(client, spec):
    module_path, _, function_name = spec.rpartition(".")
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as exc:
        # The offending line, in the runtime's own words.
        stack = ['  File "%s" Line %s\n    %s' % (exc.filename, exc.lineno, exc.text)]
        report_init_error(client, "Runtime.UserCodeSyntaxError",
                          f"Syntax error in module '{module_name}': {exc}", stack)
    except ImportError as exc:
        report_init_error(client, "Runtime.ImportModuleError",
                          f"Unable to import module '{module_name}': {exc}", [])
    except Exception as exc:  # raised while the module ran: its own type
        report_init_error(client, type(exc).__name__, str(exc), trace_of(exc.__traceback__))
    handler = getattr(module, function_name, None)
    if not callable(handler):
        report_init_error(client, "Runtime.HandlerNotFound",
                          f"Handler '{function_name}' missing on module '{module_name}'", [])
    return handler


def trace_of(tb):
    """The traceback from the first frame outside this bootstrap on, as
    (file, line, function, text), the way the runtime formats it."""
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        if frame[0] != __file__:
            frames = frames[i:]
            break
    return traceback.format_list(frames)


def report_init_error(client, error_type, message, stack):
    sys.stderr.write(f"[ERROR] {error_type}: {message}\n")
    sys.stderr.flush()
    client.post("/init/error", error_document(message, error_type, stack), error_type)
    sys.exit(1)


def main():
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    client = RuntimeClient(API)
    handler = load_handler(client, os.environ["_HANDLER"])
    while True:
        headers, body = client.next()
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        try:
            event = json.loads(body) if body else None
        except ValueError as exc:
            client.post(f"/invocation/{request_id}/error",
                        error_payload(exc, "Runtime.UnmarshalError", request_id),
                        "Runtime.UnmarshalError")
            continue
        context = LambdaContext(headers)
        try:
            result = handler(event, context)
        except Exception as exc:
            etype = type(exc).__name__
            sys.stderr.write(f"[ERROR] {etype}: {exc}\n")
            sys.stderr.flush()
            client.post(f"/invocation/{request_id}/error",
                        error_payload(exc, None, request_id), etype)
            continue
        try:
            payload = marshal(result)
        except (TypeError, ValueError) as exc:
            # The runtime reports it without a trace.
            client.post(f"/invocation/{request_id}/error",
                        error_document(f"Unable to marshal response: {exc}",
                                       "Runtime.MarshalError", [], request_id),
                        "Runtime.MarshalError")
            continue
        client.post(f"/invocation/{request_id}/response", payload)


if __name__ == "__main__":
    main()
