"""Checks every AWS request the tests make against the service's published
model (botocore's service-2.json) before moto sees it.

moto stores what it is given; AWS refuses a request whose members break the
model's rules. This WSGI middleware finds the operation (by X-Amz-Target,
Action, or HTTP method and URI template), rebuilds its input from the URI,
query string, headers and body as the protocol puts them there (rest-json,
json, query, rest-xml), and checks: the operation exists, required members
are present, and every value honours its shape's min/max length or range,
pattern, enum and list or map size. A violation is answered as AWS answers
it (400, ValidationException naming the member and the rule) and appended to
the file named by LAM_MODEL_VIOLATIONS, which the test process reads when it
exits, so a violation fails the run even when lam tolerated the error.

Requests that carry `X-Lam-Expect-Invalid: 1` are checked and answered the
same way but not recorded (the validator's own tests).
"""

import functools
import io
import json
import re
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

import botocore.session

_SESSION = botocore.session.get_session()
_MODELS = {}
_LOCK = threading.Lock()
_PATTERNS = {}

# SigV4 signing name -> botocore service names to try.
SERVICES = {
    "lambda": ["lambda"],
    "apigateway": ["apigateway", "apigatewayv2"],
    "events": ["events"],
    "secretsmanager": ["secretsmanager"],
    "ssm": ["ssm"],
    "logs": ["logs"],
    "iam": ["iam"],
    "sns": ["sns"],
    "s3": ["s3"],
    "sts": ["sts"],
    "sqs": ["sqs"],
}


def model(name):
    with _LOCK:
        if name not in _MODELS:
            _MODELS[name] = _SESSION.get_service_model(name)
        return _MODELS[name]


class Violation(Exception):
    pass


# ---------------------------------------------------------------------------
# Finding the operation.


@functools.cache
def _template_regex(template):
    """A regex for a URI template's path; the literal length ranks matches
    (cached: every request tries each operation's template)."""
    out, literal, pos = "^", 0, 0
    for m in re.finditer(r"\{([^}]+)\}", template):
        text = template[pos : m.start()]
        out += re.escape(text)
        literal += len(text)
        name = m.group(1)
        greedy = name.endswith("+")
        group = re.sub(r"\W", "_", name.rstrip("+"))
        out += f"(?P<{group}>.+)" if greedy else f"(?P<{group}>[^/]+)"
        pos = m.end()
    text = template[pos:]
    out += re.escape(text) + "/?$" if text else "/?$"
    literal += len(text)
    return re.compile(out), literal


def _required_located(op, headers, query):
    """Whether the required members sent in headers or the query are there
    (CopyObject and PutObject share a URI; x-amz-copy-source tells them apart)."""
    shape = op.input_shape
    if shape is None:
        return True
    for name in shape.required_members:
        member = shape.members[name]
        loc = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if loc == "header" and wire.lower() not in headers:
            return False
        if loc == "querystring" and wire not in query:
            return False
    return True


def _find_rest_operation(service, method, path, query, headers):
    # SDKs name the operation in `x-id` where URIs are shared (S3).
    named = query.get("x-id", [None])[0]
    names = [named] if named in service.operation_names else service.operation_names
    best = None
    for name in names:
        op = service.operation_model(name)
        if op.http.get("method", "").upper() != method:
            continue
        uri = op.http.get("requestUri", "/")
        path_part, _, query_part = uri.partition("?")
        regex, literal = _template_regex(path_part)
        m = regex.match(path)
        if not m:
            continue
        required_query = [q for q in query_part.split("&") if q]
        ok = True
        for q in required_query:
            key, _, value = q.partition("=")
            if key not in query or (value and value not in query[key]):
                ok = False
        if not ok or not _required_located(op, headers, query):
            continue
        score = (literal, len(required_query))
        if best is None or score > best[0]:
            labels = {}
            for tmpl_name in re.findall(r"\{([^}]+)\}", path_part):
                group = re.sub(r"\W", "_", tmpl_name.rstrip("+"))
                labels[tmpl_name.rstrip("+")] = urllib.parse.unquote(m.group(group))
            best = (score, op, labels)
    return (best[1], best[2]) if best else (None, None)


# ---------------------------------------------------------------------------
# Rebuilding the input.


def _scalar(shape, text):
    if text is None:
        return None
    t = shape.type_name
    try:
        if t in ("integer", "long"):
            return int(text)
        if t in ("float", "double"):
            return float(text)
    except ValueError:
        raise Violation(f"Value '{text}' is not a valid {t}")
    if t == "boolean":
        return str(text).lower() == "true"
    return text


def _rest_input(op, labels, query, headers, body, protocol):
    shape = op.input_shape
    if shape is None:
        return {}
    out = {}
    payload_name = shape.serialization.get("payload")
    for name, member in shape.members.items():
        loc = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if loc == "uri":
            if wire in labels:
                out[name] = _scalar(member, labels[wire])
        elif loc == "querystring":
            if member.type_name == "map":
                out[name] = {k: v[0] for k, v in query.items()}
            elif wire in query:
                if member.type_name == "list":
                    out[name] = [_scalar(member.member, v) for v in query[wire]]
                else:
                    out[name] = _scalar(member, query[wire][0])
        elif loc == "header":
            value = headers.get(wire.lower())
            if value is not None:
                out[name] = _scalar(member, value) if member.type_name != "list" else value.split(",")
        elif loc == "headers":
            prefix = wire.lower()
            found = {k[len(prefix):]: v for k, v in headers.items() if k.startswith(prefix)}
            if found:
                out[name] = found
    if payload_name:
        member = shape.members[payload_name]
        if body:
            if member.type_name == "structure":
                out[payload_name] = (
                    _json_body(body) if protocol == "rest-json" else _xml_value(member, ET.fromstring(body))
                )
            else:
                out[payload_name] = body
    elif body:
        if protocol == "rest-json":
            doc = _json_body(body)
            for name, member in shape.members.items():
                if member.serialization.get("location"):
                    continue
                wire = member.serialization.get("name", name)
                if wire in doc:
                    out[name] = doc[wire]
        else:
            try:
                root = ET.fromstring(body)
            except ET.ParseError:
                raise Violation(f"the body of {op.name} is not XML")
            value = _xml_value(shape, root)
            for name, member in shape.members.items():
                if not member.serialization.get("location") and name in value:
                    out[name] = value[name]
    return out


def _json_body(body):
    try:
        doc = json.loads(body or b"{}")
    except ValueError:
        raise Violation("the body is not JSON")
    return doc if isinstance(doc, dict) else {}


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _xml_value(shape, elem):
    t = shape.type_name
    if t == "structure":
        out = {}
        for name, member in shape.members.items():
            wire = member.serialization.get("name", name)
            if member.type_name == "list" and member.serialization.get("flattened"):
                item_name = member.member.serialization.get("name", wire)
                items = [c for c in elem if _local(c.tag) == item_name]
                if items:
                    out[name] = [_xml_value(member.member, c) for c in items]
                continue
            child = next((c for c in elem if _local(c.tag) == wire), None)
            if child is not None:
                out[name] = _xml_value(member, child)
        return out
    if t == "list":
        item_name = shape.member.serialization.get("name", "member")
        return [_xml_value(shape.member, c) for c in elem if _local(c.tag) == item_name]
    if t == "map":
        out = {}
        for entry in elem:
            key = next((c.text for c in entry if _local(c.tag) == "key"), None)
            val = next((c for c in entry if _local(c.tag) == "value"), None)
            if key is not None and val is not None:
                out[key] = _xml_value(shape.value, val)
        return out
    return _scalar(shape, elem.text or "")


def _query_value(shape, params, prefix):
    t = shape.type_name
    if t == "structure":
        out = {}
        for name, member in shape.members.items():
            wire = member.serialization.get("name", name)
            key = f"{prefix}{wire}"
            value = _query_value(member, params, key)
            if value is not None:
                out[name] = value
        return out if out or prefix == "" else None
    if t == "list":
        flattened = shape.serialization.get("flattened")
        items, n = [], 1
        while True:
            key = f"{prefix}.{n}" if flattened else f"{prefix}.member.{n}"
            if key not in params and not any(p.startswith(key + ".") for p in params):
                break
            items.append(_query_value(shape.member, params, key))
            n += 1
        if not items and prefix in params and params[prefix] == "":
            return []
        return items if items else None
    if t == "map":
        out, n = {}, 1
        while f"{prefix}.entry.{n}.key" in params:
            out[params[f"{prefix}.entry.{n}.key"]] = _query_value(
                shape.value, params, f"{prefix}.entry.{n}.value"
            )
            n += 1
        return out if out else None
    if prefix in params:
        return _scalar(shape, params[prefix])
    return None


def _query_structure(shape, params):
    out = {}
    for name, member in shape.members.items():
        wire = member.serialization.get("name", name)
        if member.type_name == "structure":
            value = _query_value(member, params, wire + ".")
            if value:
                out[name] = value
        else:
            value = _query_value(member, params, wire)
            if value is not None:
                out[name] = value
    return out


# ---------------------------------------------------------------------------
# Checking the rules.


def _pattern(p):
    if p not in _PATTERNS:
        try:
            _PATTERNS[p] = re.compile(p)
        except re.error:
            _PATTERNS[p] = None  # Java-only syntax: not checked
    return _PATTERNS[p]


def _fail(path, value, rule):
    shown = value if isinstance(value, (str, int, float)) else json.dumps(value)[:200]
    raise Violation(f"Value '{shown}' at '{path}' failed to satisfy constraint: {rule}")


def check(shape, value, path):
    if value is None:
        return
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        if not isinstance(value, dict):
            _fail(path, value, "Member must be a structure")
        for req in shape.required_members:
            if value.get(req) is None:
                raise Violation(
                    f"Value null at '{_join(path, req)}' failed to satisfy constraint: Member must not be null"
                )
        for name, v in value.items():
            if name in shape.members:
                check(shape.members[name], v, _join(path, name))
    elif t == "list":
        if not isinstance(value, list):
            _fail(path, value, "Member must be a list")
        if "min" in meta and len(value) < meta["min"]:
            _fail(path, value, f"Member must have length greater than or equal to {meta['min']}")
        if "max" in meta and len(value) > meta["max"]:
            _fail(path, value, f"Member must have length less than or equal to {meta['max']}")
        for i, v in enumerate(value):
            check(shape.member, v, f"{path}.{i + 1}.member")
    elif t == "map":
        if not isinstance(value, dict):
            _fail(path, value, "Member must be a map")
        if "min" in meta and len(value) < meta["min"]:
            _fail(path, value, f"Map must have at least {meta['min']} entries")
        if "max" in meta and len(value) > meta["max"]:
            _fail(path, value, f"Map must have at most {meta['max']} entries")
        for k, v in value.items():
            check(shape.key, k, f"{path}.key")
            check(shape.value, v, f"{path}.{k}")
    elif t == "string":
        if not isinstance(value, str):
            value = str(value)
        if "min" in meta and len(value) < meta["min"]:
            _fail(path, value, f"Member must have length greater than or equal to {meta['min']}")
        if "max" in meta and len(value) > meta["max"]:
            _fail(path, value, f"Member must have length less than or equal to {meta['max']}")
        enum = shape.enum
        if enum and value not in enum:
            _fail(path, value, f"Member must satisfy enum value set: [{', '.join(enum)}]")
        if "pattern" in meta:
            regex = _pattern(meta["pattern"])
            # AWS validates a pattern against the whole value (Java's
            # Pattern.matches): Lambda refuses the function name "bad name!".
            if regex is not None and not regex.fullmatch(value):
                _fail(path, value, f"Member must satisfy regular expression pattern: {meta['pattern']}")
    elif t in ("integer", "long", "float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _fail(path, value, f"Member must be a {t}")
        if "min" in meta and value < meta["min"]:
            _fail(path, value, f"Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            _fail(path, value, f"Member must have value less than or equal to {meta['max']}")
    elif t == "boolean":
        if not isinstance(value, bool):
            _fail(path, value, "Member must be a boolean")


def _join(path, name):
    name = name[:1].lower() + name[1:]
    return f"{path}.{name}" if path else name


# ---------------------------------------------------------------------------
# The middleware.


def _signing_name(environ):
    auth = environ.get("HTTP_AUTHORIZATION", "")
    m = re.search(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request", auth)
    return m.group(1) if m else None


def identify(environ, body):
    """(service model, operation model, input) of a signed request, or None."""
    signing = _signing_name(environ)
    if signing is None:
        return None
    method = environ["REQUEST_METHOD"].upper()
    path = environ.get("RAW_URI") or environ.get("PATH_INFO", "/")
    path = path.split("?", 1)[0]
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    headers = {
        k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
    }
    if "CONTENT_TYPE" in environ:
        headers["content-type"] = environ["CONTENT_TYPE"]
    names = SERVICES.get(signing)
    if names is None:
        raise Violation(f"lam signed a request for '{signing}', a service the validator does not know")
    if signing == "apigateway":
        names = ["apigatewayv2"] if path.startswith("/v2/") else ["apigateway"]
    for name in names:
        service = model(name)
        protocol = service.metadata["protocol"]
        # SQS speaks JSON now and still accepts the query form
        # (awsQueryCompatible): a request without X-Amz-Target is the latter.
        if protocol == "json" and "x-amz-target" not in headers and service.metadata.get("awsQueryCompatible") is not None:
            protocol = "query"
        if protocol == "json":
            target = headers.get("x-amz-target", "")
            op_name = target.rsplit(".", 1)[-1]
            if op_name not in service.operation_names:
                raise Violation(f"{name} has no operation '{op_name}'")
            op = service.operation_model(op_name)
            return service, op, _json_body(body) if body else {}
        if protocol == "query":
            params = {k: v[0] for k, v in query.items()}
            if body:
                params.update(
                    {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
                )
            op_name = params.get("Action", "")
            if op_name not in service.operation_names:
                raise Violation(f"{name} has no operation '{op_name}'")
            op = service.operation_model(op_name)
            value = _query_structure(op.input_shape, params) if op.input_shape else {}
            return service, op, value
        op, labels = _find_rest_operation(service, method, path, query, headers)
        if op is not None:
            return service, op, _rest_input(op, labels, query, headers, body, protocol)
    raise Violation(f"no {'/'.join(names)} operation is {method} {path}")


def _error_response(service_name, protocol, message):
    if protocol in ("json", "rest-json"):
        code = "BadRequestException" if service_name.startswith("apigateway") else "ValidationException"
        body = json.dumps({"__type": code, "message": message, "Message": message}).encode()
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code)]
    elif protocol == "query":
        body = (
            "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
            f"<Message>{_xml_escape(message)}</Message></Error><RequestId>validator</RequestId></ErrorResponse>"
        ).encode()
        headers = [("Content-Type", "text/xml")]
    else:
        body = (
            f"<Error><Code>InvalidArgument</Code><Message>{_xml_escape(message)}</Message></Error>"
        ).encode()
        headers = [("Content-Type", "application/xml")]
    return body, headers


def _xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _summary(value):
    """The input as JSON, long strings (zips, documents) cut short."""
    if isinstance(value, dict):
        return {k: _summary(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_summary(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if isinstance(value, str) and len(value) > 300:
        return value[:300] + "..."
    return value


STUBS = {}


# Lambda's control-plane quotas, per account and region ("Lambda API
# requests", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html#api-requests):
# GetFunction 100 requests a second, GetPolicy 15, and the remainder of the
# control plane (invocations excluded) 15 across all its operations. moto
# has none; requests signed with an access key that begins with LAMQUOTA
# meet them here, as a bucket of one second's worth refilled continuously
# (how much burst AWS allows is not published). Over it, the answer is
# Lambda's TooManyRequestsException ("Rate exceeded", HTTP 429), without
# a Retry-After.
QUOTA_PREFIX = "LAMQUOTA"
LAMBDA_QUOTAS = {"GetFunction": 100.0, "GetPolicy": 15.0}
LAMBDA_REST_QUOTA = 15.0
LAMBDA_UNMETERED = {"Invoke", "InvokeAsync", "InvokeWithResponseStream"}
_BUCKETS = {}


def _access_key(environ):
    m = re.search(r"Credential=([^/]+)/", environ.get("HTTP_AUTHORIZATION", ""))
    return m.group(1) if m else ""


def over_lambda_quota(environ, operation):
    """Whether this Lambda request goes over its quota (LAMQUOTA keys only)."""
    key = _access_key(environ)
    if not key.startswith(QUOTA_PREFIX) or operation in LAMBDA_UNMETERED:
        return False
    kind = operation if operation in LAMBDA_QUOTAS else "rest"
    rate = LAMBDA_QUOTAS.get(operation, LAMBDA_REST_QUOTA)
    now = time.monotonic()
    with _LOCK:
        tokens, then = _BUCKETS.get((key, kind), (rate, now))
        tokens = min(rate, tokens + (now - then) * rate)
        if tokens < 1.0:
            _BUCKETS[(key, kind)] = (tokens, now)
            return True
        _BUCKETS[(key, kind)] = (tokens - 1.0, now)
        return False


class Validator:
    def __init__(self, app, log_path=None, requests_path=None):
        self.app = app
        self.log_path = log_path
        # Every valid request's operation and input, one JSON line each:
        # tests read it where moto keeps nothing to read back.
        self.requests_path = requests_path
        self.checked = 0

    def _record(self, service, op, value):
        if self.requests_path:
            line = json.dumps(
                {"service": service.service_name, "operation": op.name, "input": _summary(value)},
                default=str,
            )
            with _LOCK, open(self.requests_path, "a") as f:
                f.write(line + "\n")

    def _record_throttled(self, environ, op):
        if self.requests_path:
            line = json.dumps({"throttled": op.name, "key": _access_key(environ)})
            with _LOCK, open(self.requests_path, "a") as f:
                f.write(line + "\n")

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/moto-api"):
            return self.app(environ, start_response)
        # Stand-ins for what moto does not do, set by a test:
        # POST /lam-test/stub {"method", "path" (with "?query" to match one),
        # "status", "body"} or {..., "bodies": [...]}: answered in turn, the
        # last one again and again.
        if path == "/lam-test/stub" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            stub = json.loads(environ["wsgi.input"].read(length) or b"{}")
            bodies = stub.get("bodies") or [stub["body"]]
            with _LOCK:
                STUBS[(stub["method"], stub["path"])] = [stub["status"], [json.dumps(b) for b in bodies]]
            start_response("204 No Content", [])
            return [b""]
        query = environ.get("QUERY_STRING", "")
        with _LOCK:
            stubbed = STUBS.get((environ["REQUEST_METHOD"], f"{path}?{query}")) if query else None
            stubbed = stubbed or STUBS.get((environ["REQUEST_METHOD"], path))
            text = None
            if stubbed is not None:
                status, texts = stubbed
                text = texts.pop(0) if len(texts) > 1 else texts[0]

        def pass_on():
            # A stubbed answer replaces moto's only once the request was
            # checked against the model like any other.
            if text is not None:
                start_response(f"{status} Stubbed", [("Content-Type", "application/json")])
                return [text.encode()]
            return self.app(environ, start_response)

        if not environ.get("CONTENT_LENGTH") and environ.get("HTTP_TRANSFER_ENCODING"):
            # A streamed upload (S3 PutObject, aws-chunked): passed on untouched.
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        found = None
        try:
            found = identify(environ, body)
            if found is None:
                return pass_on()
            service, op, value = found
            check(op.input_shape, value, "") if op.input_shape is not None else None
            self.checked += 1
            if op.name == "SimulatePrincipalPolicy" and text is None:
                # moto has no policy simulator: a stand-in over moto's IAM state.
                self._record(service, op, value)
                from policy_simulator import simulate

                return simulate(environ, value, start_response)
            if service.service_name == "lambda" and over_lambda_quota(environ, op.name):
                self._record_throttled(environ, op)
                body = json.dumps(
                    {"Type": "User", "message": "Rate exceeded", "Reason": "CallerRateLimitExceeded"}
                ).encode()
                start_response(
                    "429 Too Many Requests",
                    [
                        ("Content-Type", "application/json"),
                        ("X-Amzn-ErrorType", "TooManyRequestsException"),
                        ("Content-Length", str(len(body))),
                    ],
                )
                return [body]
            self._record(service, op, value)
            return pass_on()
        except Violation as v:
            service_name = "unknown"
            protocol = "rest-json"
            signing = _signing_name(environ)
            if signing in SERVICES:
                service_name = SERVICES[signing][0]
                protocol = model(service_name).metadata["protocol"]
            op_desc = found[1].name if found else ""
            message = f"1 validation error detected: {v}"
            record = {
                "service": signing,
                "operation": op_desc,
                "request": f"{environ['REQUEST_METHOD']} {environ.get('RAW_URI') or path}",
                "message": message,
            }
            expected = environ.get("HTTP_X_LAM_EXPECT_INVALID") == "1"
            if not expected:
                print(f"model validator: {json.dumps(record)}", file=sys.stderr, flush=True)
                if self.log_path:
                    with _LOCK, open(self.log_path, "a") as f:
                        f.write(json.dumps(record) + "\n")
            body, headers = _error_response(service_name, protocol, message)
            start_response("400 Bad Request", headers + [("Content-Length", str(len(body)))])
            return [body]
