"""lam's Python bootstrap: serves a handler over the Lambda Runtime API.

Started by `lam invoke --local` and `lam serve` with the function's code
directory as the working directory and AWS_LAMBDA_RUNTIME_API set. It sets up
logging as Lambda's Python runtime does, imports the handler named by
_HANDLER, then loops: GET the next event, call the handler with a context like
Lambda's, POST the result or the error.

Everything a handler can observe (the logging set-up and line format, the
context object, how results are marshalled, the error documents and the error
lines in the log, what ends the process) follows the official runtime
interface client, awslambdaric; tests/local.rs runs a corpus of handlers
through both and requires identical results and logs. Standard library only,
so it runs in any Python the project uses.
"""

import importlib
import json
import os
import sys
import time

# logging, traceback and decimal are not imported here: a function that
# never imports logging does not pay for it (lam's share of a cold start),
# and Lambda's root logger is set up the moment anything imports it.

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"

JSON_LOGS = (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"
# Lambda's application log level; TRACE is Python's DEBUG.
_level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
LOG_LEVEL = "" if _level is None else ("DEBUG" if _level == "TRACE" else _level.upper())

# Lambda's Python runtimes from 3.12 on write non-ASCII text as it is; the
# older ones escape it (\u00fc).
RAW_UNICODE = os.environ.get("AWS_EXECUTION_ENV", "").rsplit("python", 1)[-1] in {
    "3.12", "3.13", "3.14", "3.15"}

# What the runtime logs (as a warning) before an initialisation error.
INIT_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the "
    "function code. However, in rare cases, a Lambda runtime update can cause "
    "unexpected function behavior. For functions using managed runtimes, runtime "
    "updates can be triggered by a function change, or can be applied automatically. "
    "To determine if the runtime has been updated, check the runtime version in the "
    "INIT_START log entry. If this error correlates with a change in the runtime "
    "version, you may be able to mitigate this error by temporarily rolling back to "
    "the previous runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)

# The invocation being served, for log records.
CURRENT = {"request_id": None, "tenant_id": None}


class Fault(Exception):
    """An error the runtime itself reports, with its own type."""

    def __init__(self, error_type, message, stack=None):
        super().__init__(message)
        self.error_type, self.message, self.stack = error_type, message, stack


class Pipes:
    """The Runtime API over two pipes lam opened for this process (Linux):
    no _socket to load (a shared library) and no TCP handshake."""

    def __init__(self, reads, writes):
        self.reads, self.writes = reads, writes

    def recv(self, size):
        return os.read(self.reads, size)

    def sendall(self, data):
        view = memoryview(data)
        while view:
            view = view[os.write(self.writes, view):]

    def close(self):
        pass


class RuntimeClient:
    """HTTP/1.1 over one kept-alive connection: the Runtime API needs no
    more. (http.client would import the email package and ssl, and the
    socket module enum and selectors, at every cold start.)"""

    def __init__(self, address, pipes=None):
        host, _, port = address.rpartition(":")
        self.host, self.port = host, int(port)
        self.pipes = pipes
        self.sock = None
        self.pending = b""

    def _connect(self):
        if self.pipes is not None:
            self.sock, self.pending = self.pipes, b""
            return
        import _socket

        sock = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        sock.connect((self.host, self.port))
        self.sock, self.pending = sock, b""

    def _close(self):
        try:
            if self.sock is not None:
                self.sock.close()
        except OSError:
            pass
        self.sock = None

    def _fill(self):
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionError("the Runtime API closed the connection")
        self.pending += chunk

    def _line(self):
        while b"\n" not in self.pending:
            self._fill()
        line, _, self.pending = self.pending.partition(b"\n")
        return line

    def _exactly(self, size):
        chunks, have = [self.pending], len(self.pending)
        while have < size:
            chunk = self.sock.recv(max(262144, size - have))
            if not chunk:
                raise ConnectionError("the Runtime API closed the connection")
            chunks.append(chunk)
            have += len(chunk)
        data = b"".join(chunks)
        self.pending = data[size:]
        return data[:size]

    def request(self, method, path, body=b"", headers=None):
        head = f"{method} {BASE}{path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Length: {len(body)}\r\n"
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n"
        message = head.encode("utf-8") + b"\r\n" + body
        for attempt in (1, 2):
            if self.sock is None:
                self._connect()
            try:
                self.sock.sendall(message)
                return self._response()
            except (OSError, ValueError):
                self._close()
                if attempt == 2:
                    raise

    def _response(self):
        self._line()  # the status line
        headers = {}
        while True:
            line = self._line().rstrip(b"\r")
            if not line:
                break
            name, _, value = line.decode("utf-8", "replace").partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        return headers, self._exactly(length) if length else b""

    def next(self):
        return self.request("GET", "/invocation/next")

    def post(self, path, payload, content_type="application/json", error_type=None):
        headers = {"Content-Type": content_type}
        if error_type:
            headers[ERROR_TYPE_HEADER] = error_type
        self.request("POST", path, payload, headers)


# --- the context ----------------------------------------------------------

def _fill(obj, data):
    for name in type(obj).__slots__:
        setattr(obj, name, data.get(name))
    return obj


class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return ("CognitoIdentity([cognito_identity_id=%s,cognito_identity_pool_id=%s])"
                % (self.cognito_identity_id, self.cognito_identity_pool_id))


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name",
                 "app_version_code", "app_package_name"]

    def __repr__(self):
        return "Client([%s])" % ",".join(
            f"{name}={getattr(self, name)}" for name in self.__slots__)


class ClientContext:
    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return f"ClientContext([custom={self.custom},env={self.env},client={self.client}])"


class LambdaContext:
    """The `context` argument, with the attributes and methods Lambda's has."""

    def __init__(self, request_id, client_context, identity, deadline_ms,
                 function_arn, tenant_id):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = function_arn
        self.tenant_id = tenant_id
        # W3C trace context travels in the client context, and only its
        # three string fields are kept, apart from it.
        w3c = client_context.pop("w3c", None) if isinstance(client_context, dict) else None
        self._w3c = {key: w3c[key] for key in ("traceparent", "tracestate", "baggage")
                     if isinstance(w3c, dict) and isinstance(w3c.get(key), str)}
        self.client_context = None
        if client_context is not None:
            self.client_context = _fill(ClientContext(), client_context)
            client = self.client_context.client
            self.client_context.client = None if client is None else _fill(Client(), client)
        # Always an object; its fields are None without a Cognito identity.
        self.identity = _fill(CognitoIdentity(), {})
        if identity is not None:
            self.identity.cognito_identity_id = identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def w3c(self):
        return dict(self._w3c)

    def log(self, message):
        sys.stdout.write(str(message))

    def __repr__(self):
        fields = ["aws_request_id", "log_group_name", "log_stream_name", "function_name",
                  "memory_limit_in_mb", "function_version", "invoked_function_arn",
                  "client_context", "identity", "tenant_id"]
        return "LambdaContext([%s])" % ",".join(f"{f}={getattr(self, f)}" for f in fields)


def json_header(value, name):
    if not value:
        return None
    try:
        return json.loads(value)
    except Exception as exc:
        raise Fault("Runtime.LambdaContextUnmarshalError",
                    f"Unable to parse {name} JSON: {exc}")


# --- results --------------------------------------------------------------

def _plain(obj, seen):
    """`obj` with what Lambda's encoder treats specially made plain: a
    namedtuple is an object, bytes are UTF-8 text, a Decimal keeps its own
    digits (every DynamoDB number is one) and a NaN Decimal is NaN."""
    if isinstance(obj, (str, int, float)) or obj is None:
        return obj
    if isinstance(obj, bytes):
        return obj.decode("utf-8")
    # A Decimal exists only when something imported decimal.
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(obj, decimal.Decimal):
        if obj.is_nan():
            return float("nan")
        return _Digits(str(obj))
    if isinstance(obj, (dict, list, tuple)):
        if id(obj) in seen:
            raise ValueError("Circular reference detected")
        seen.add(id(obj))
        try:
            if isinstance(obj, dict):
                return {_key(k): _plain(v, seen) for k, v in obj.items()}
            if isinstance(obj, tuple) and callable(getattr(obj, "_asdict", None)):
                return _plain(obj._asdict(), seen)
            return [_plain(v, seen) for v in obj]
        finally:
            seen.discard(id(obj))
    return obj


def _key(key):
    if isinstance(key, bytes):
        return key.decode("utf-8")
    if isinstance(key, (str, int, float)) or key is None:
        return key
    raise TypeError("keys must be str, int, float, bool or None, not "
                    + type(key).__name__)


class _Digits:
    """A number written exactly as its text."""

    def __init__(self, text):
        self.text = text


def marshal(result):
    """The result as Lambda's Python runtime sends it, with its content type."""
    if isinstance(result, bytes):
        return result, "application/unknown"
    digits = []

    def default(obj):
        if isinstance(obj, _Digits):
            digits.append(obj.text)
            return f"\x00lam-digits-{len(digits) - 1}\x00"
        raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")

    try:
        text = json.dumps(_plain(result, set()), default=default,
                          ensure_ascii=not RAW_UNICODE, allow_nan=True)
    except Exception as exc:
        raise Fault("Runtime.MarshalError", f"Unable to marshal response: {exc}")
    # Each placeholder string becomes the number's own digits.
    for i, number in enumerate(digits):
        text = text.replace(json.dumps(f"\x00lam-digits-{i}\x00"), number, 1)
    return text.encode(), "application/json"


def unmarshal(body, content_type):
    if content_type != "application/json":
        return body
    try:
        return json.loads(body)
    except Exception as exc:
        raise Fault("Runtime.UnmarshalError", f"Unable to unmarshal input: {exc}")


# --- errors ---------------------------------------------------------------

def error_doc(message, error_type, stack, request_id=None):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack or [],
    }


def exception_doc(exc, request_id=None):
    """An exception the user's code raised: its own type and message, and the
    stack from the first frame outside the bootstrap on."""
    import traceback

    frames = [(f.filename, f.lineno, f.name, f.line)
              for f in traceback.extract_tb(exc.__traceback__)]
    for i, frame in enumerate(frames):
        if "/bootstrap.py" not in frame[0]:
            frames = frames[i:]
            break
    return error_doc(str(exc), type(exc).__name__, traceback.format_list(frames), request_id)


def fault_doc(fault, request_id=None):
    return error_doc(fault.message, fault.error_type, fault.stack, request_id)


def log_error(doc):
    """The error as the runtime writes it to the log: one record, its lines
    joined by carriage returns and indented with no-break spaces."""
    if JSON_LOGS:
        record = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  "level": "ERROR", **doc}
        sys.stdout.write(marshal(record)[0].decode() + "\n")
        return
    head = "[ERROR]"
    if doc["errorType"]:
        head += " " + doc["errorType"]
    if doc["errorMessage"]:
        head += (":" if doc["errorType"] else "") + " " + doc["errorMessage"]
    lines = [head, "Traceback (most recent call last):"]
    for element in doc["stackTrace"]:
        if element == "":
            lines.append("")
            continue
        for line in element.splitlines():
            stripped = line.lstrip(" ")
            lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    sys.stdout.write("\r".join(lines) + "\n")


# --- logging --------------------------------------------------------------

class Unbuffered:
    """A stream that flushes after every write, as the runtime's are."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def __getattr__(self, name):
        return getattr(self.stream, name)

    def write(self, text):
        self.stream.write(text)
        self.stream.flush()

    def writelines(self, lines):
        self.stream.writelines(lines)
        self.stream.flush()


# Record attributes that are not extra fields of a JSON log line.
_RESERVED = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module",
    "exc_info", "exc_text", "stack_info", "lineno", "funcName", "created", "msecs",
    "relativeCreated", "thread", "threadName", "processName", "process",
    "aws_request_id", "tenant_id", "_frame_type",
}


def setup_logging(logging):
    """The root logger writes to stdout in Lambda's format, so a handler's own
    logging.basicConfig() does nothing, as on Lambda."""

    class LogHandler(logging.Handler):
        def emit(self, record):
            sys.stdout.write(self.format(record))

    class RequestFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = CURRENT["request_id"] or ""
            record.tenant_id = CURRENT["tenant_id"]
            return True

    class JsonFormatter(logging.Formatter):
        """Lambda's JSON log format: one object per record."""

        encoder = json.JSONEncoder(ensure_ascii=False, default=str)

        def __init__(self):
            super().__init__(datefmt="%Y-%m-%dT%H:%M:%SZ")

        def format(self, record):
            import traceback

            record.levelno = min(50, max(0, record.levelno)) // 10 * 10
            record.levelname = logging.getLevelName(record.levelno)
            exc = record.exc_info
            line = {
                "timestamp": self.formatTime(record, self.datefmt),
                "level": record.levelname,
                "message": record.msg if isinstance(record.msg, dict) and not record.args
                else record.getMessage(),
                "logger": record.name,
                "stackTrace": traceback.format_tb(exc[2]) if exc else None,
                "errorType": exc[0].__name__ if exc else None,
                "errorMessage": str(exc[1]) if exc else None,
                "requestId": getattr(record, "aws_request_id", None),
                "location": f"{record.pathname}:{record.funcName}:{record.lineno}" if exc else None,
            }
            if getattr(record, "tenant_id", None) is not None:
                line["tenantId"] = record.tenant_id
            line.update((k, v) for k, v in record.__dict__.items()
                        if k not in _RESERVED and k not in line)
            return self.encoder.encode({k: v for k, v in line.items() if v is not None}) + "\n"

    logging.Formatter.converter = time.gmtime
    handler = LogHandler()
    if JSON_LOGS:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S"))
    root = logging.getLogger()
    if LOG_LEVEL in logging._nameToLevel:
        root.setLevel(LOG_LEVEL)
    handler.addFilter(RequestFilter())
    root.addHandler(handler)


class LoggingOnImport:
    """Sets Lambda's root logger up right after `logging` is first imported,
    by anyone, before the importer can use it."""

    def find_spec(self, name, path=None, target=None):
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader

        class ThenSetUp:
            def create_module(self, spec):
                return loader.create_module(spec)

            def exec_module(self, module):
                loader.exec_module(module)
                setup_logging(module)

        spec.loader = ThenSetUp()
        return spec


# --- the handler ----------------------------------------------------------

def load_handler(spec):
    try:
        module_name, function_name = spec.rsplit(".", 1)
    except ValueError as exc:
        raise Fault("Runtime.MalformedHandlerName", f"Bad handler '{spec}': {exc}")
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise Fault("Runtime.BuiltInModuleConflict",
                    f"Cannot use built-in module {module_name} as a handler module")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as exc:
        raise Fault("Runtime.ImportModuleError",
                    f"Unable to import module '{module_name}': {exc}")
    except SyntaxError as exc:
        # The offending line, in the runtime's own words.
        raise Fault("Runtime.UserCodeSyntaxError",
                    f"Syntax error in module '{module_name}': {exc}",
                    ['  File "%s" Line %s\n    %s' % (exc.filename, exc.lineno, exc.text)])
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise Fault("Runtime.HandlerNotFound",
                    f"Handler '{function_name}' missing on module '{module_name}'")


def invoke(client, handler, headers, body):
    request_id = headers.get("lambda-runtime-aws-request-id")
    try:
        context = LambdaContext(
            request_id,
            json_header(headers.get("lambda-runtime-client-context"), "Client Context"),
            json_header(headers.get("lambda-runtime-cognito-identity"), "Cognito Identity"),
            int(headers.get("lambda-runtime-deadline-ms") or 0),
            headers.get("lambda-runtime-invoked-function-arn"),
            headers.get("lambda-runtime-aws-tenant-id"),
        )
        event = unmarshal(body, headers.get("content-type"))
        payload, content_type = marshal(handler(event, context))
    except Fault as fault:
        doc = fault_doc(fault, request_id)
    except Exception as exc:
        doc = exception_doc(exc, request_id)
    else:
        client.post(f"/invocation/{request_id}/response", payload, content_type)
        return
    log_error(doc)
    client.post(f"/invocation/{request_id}/error", marshal(doc)[0],
                error_type=doc["errorType"])


def main():
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    # The handler's directory comes first on the path, not the launcher's.
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    launcher_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if sys.path and sys.path[0] == launcher_dir:
        sys.path[0] = task_root
    elif task_root not in sys.path:
        sys.path.insert(0, task_root)
    # lam's pipes, if it opened them; the handler never sees the variable.
    fds = os.environ.pop("_LAM_RUNTIME_FDS", None)
    pipes = Pipes(*map(int, fds.split(","))) if fds else None
    client = RuntimeClient(API, pipes)
    if "logging" in sys.modules:
        setup_logging(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, LoggingOnImport())
    # lam invoke --local --profile-init: python -X importtime does not see
    # an import made through importlib.import_module, so the handler's own
    # import is bracketed in the same format.
    profiling = os.environ.pop("_LAM_PROFILE_INIT", None)
    if profiling:
        sys.__stderr__.write("import time: lam handler start\n")
        began = time.perf_counter()
    try:
        handler = load_handler(os.environ["_HANDLER"])
    except Fault as fault:
        doc = fault_doc(fault)
    except Exception as exc:
        doc = exception_doc(exc)
    else:
        doc = None
    if profiling:
        spent = int((time.perf_counter() - began) * 1e6)
        sys.__stderr__.write(f"import time: lam handler end | {spent} | {profiling}\n")
        sys.__stderr__.flush()
    if doc is not None:
        import logging

        logging.warning(INIT_WARNING)
        log_error(doc)
        client.post("/init/error", marshal(doc)[0], error_type=doc["errorType"])
        sys.exit(1)
    while True:
        headers, body = client.next()
        CURRENT["request_id"] = headers.get("lambda-runtime-aws-request-id")
        CURRENT["tenant_id"] = headers.get("lambda-runtime-aws-tenant-id")
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id is not None:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        invoke(client, handler, headers, body)
