"""lam dev's relay: while `lam dev` runs, the deployed function runs this
instead of its own code. Each invocation goes to the developer's machine
through an SQS queue in the function's own account, runs there with lam's
local runtime, and its result comes back through a queue of this execution
environment's own. Both directions carry an HMAC-SHA256 under the session's
key, so someone who can write to the queues can neither run the handler on
the developer's machine nor answer an invocation.

A local error comes back as the same error type and message; a local
timeout as Lambda's own (the relay waits out its time). When no lam dev
has been seen for HEARTBEAT_STALE seconds the invocation fails at once.
"""

import base64
import hashlib
import hmac
import json
import os
import time
import uuid

import boto3

QUEUE = os.environ["LAM_DEV_QUEUE"]
BUCKET = os.environ["LAM_DEV_BUCKET"]
SPILL_PREFIX = os.environ["LAM_DEV_SPILL_PREFIX"]
KEY = bytes.fromhex(os.environ["LAM_DEV_KEY"])
SESSION = os.environ["LAM_DEV_SESSION"]
HEARTBEAT = os.environ["LAM_DEV_HEARTBEAT"]
REPLY_PREFIX = os.environ["LAM_DEV_REPLY_PREFIX"]
HEARTBEAT_STALE = int(os.environ.get("LAM_DEV_STALE_SECONDS", "30"))
# SQS's message limit is 256 KiB: an event or answer above this goes
# through the session's S3 bucket, named in the message with its SHA-256
# ("s3:<key>:<sha256 hex>", which the signature covers).
MESSAGE_LIMIT = 200 * 1024

_sqs = boto3.client("sqs")
_ssm = boto3.client("ssm")
_s3 = boto3.client("s3")
_reply = None
_seen = 0.0


class LamDevNotRunning(Exception):
    pass


class LamDevBadAnswer(Exception):
    pass


def _spill(key, data):
    _s3.put_object(Bucket=BUCKET, Key=key, Body=data)
    return f"s3:{key}:{hashlib.sha256(data).hexdigest()}"


def _unspill(field):
    _, key, digest = field.split(":", 2)
    data = _s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    _s3.delete_object(Bucket=BUCKET, Key=key)
    if hashlib.sha256(data).hexdigest() != digest:
        raise LamDevBadAnswer("the answer in S3 is not the one lam dev signed")
    return data


def _mac(*parts):
    h = hmac.new(KEY, digestmod=hashlib.sha256)
    for p in parts:
        data = p.encode() if isinstance(p, str) else p
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _reply_queue():
    global _reply
    if _reply is None:
        name = REPLY_PREFIX + uuid.uuid4().hex[:12]
        _reply = _sqs.create_queue(
            QueueName=name,
            Attributes={"MessageRetentionPeriod": "300", "ReceiveMessageWaitTimeSeconds": "20"},
            tags={"managed-by": "lam", "lam:dev": SESSION},
        )["QueueUrl"]
    return _reply


def _check_running():
    global _seen
    now = time.time()
    if now - _seen < 5:
        return
    try:
        value = _ssm.get_parameter(Name=HEARTBEAT)["Parameter"]["Value"]
        session, beat = value.split()
        age = now - float(beat)
    except Exception:  # noqa: BLE001 - gone, unreadable or malformed: not running
        session, age = "", None
    if session != SESSION or age is None or age > HEARTBEAT_STALE:
        seen = "never" if age is None else f"{int(age)} s ago"
        raise LamDevNotRunning(
            f"lam dev is not running for this function (last seen: {seen}); "
            "start it again, or run lam deploy to put the function's code back"
        )
    _seen = now


def _error(kind, message):
    return type(kind, (Exception,), {})(message)


def handler(event, context):
    _check_running()
    request_id = context.aws_request_id
    reply = _reply_queue()
    raw = json.dumps(event).encode()
    body = base64.b64encode(raw).decode()
    if len(body) > MESSAGE_LIMIT:
        body = _spill(f"{SPILL_PREFIX}{request_id}.event", raw)
    deadline = int(time.time() * 1000) + context.get_remaining_time_in_millis()
    message = {
        "v": 1,
        "session": SESSION,
        "id": request_id,
        "reply": reply,
        "deadline_ms": deadline,
        "event": body,
    }
    message["mac"] = _mac(SESSION, request_id, reply, str(deadline), body)
    _sqs.send_message(QueueUrl=QUEUE, MessageBody=json.dumps(message))
    while True:
        left = context.get_remaining_time_in_millis() / 1000.0
        if left <= 0.2:
            # Let Lambda time the invocation out, as it would the handler.
            time.sleep(5)
            continue
        got = _sqs.receive_message(
            QueueUrl=reply,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=max(0, min(20, int(left - 0.2))),
        )
        for m in got.get("Messages", []):
            _sqs.delete_message(QueueUrl=reply, ReceiptHandle=m["ReceiptHandle"])
            try:
                answer = json.loads(m["Body"])
                fields = (answer["session"], answer["id"], answer["kind"], answer["payload"])
            except (ValueError, KeyError, TypeError):
                continue
            if answer["id"] != request_id or answer["session"] != SESSION:
                continue  # an earlier invocation's late answer, or not ours
            if not hmac.compare_digest(answer.get("mac", ""), _mac(*fields)):
                print("lam dev relay: an answer with a bad signature was dropped")
                continue
            if answer["payload"].startswith("s3:"):
                payload = _unspill(answer["payload"])
            else:
                payload = base64.b64decode(answer["payload"])
            if answer["kind"] == "ok":
                return json.loads(payload)
            if answer["kind"] == "timeout":
                # The local run timed out: so does this one, as Lambda reports it.
                time.sleep(context.get_remaining_time_in_millis() / 1000.0 + 1)
            error = json.loads(payload)
            raise _error(
                str(error.get("errorType") or "Error"), str(error.get("errorMessage") or "")
            )
