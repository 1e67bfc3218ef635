"""`lam logs --follow` through Live Tail and through polling, side by side:
the time from put_log_events returning to the line printed, for the same
probes, and the CloudWatch Logs calls each path makes.

moto answers StartLiveTail once with what a group holds and closes the
stream, so this runs moto behind a small WSGI layer that streams as the
StartLiveTail API reference says CloudWatch does: one sessionStart, then a
sessionUpdate every second holding the events ingested in that second (an
empty one when there were none). The Live Tail figure is therefore lam's
share on top of CloudWatch's one-second cadence, not a measurement of AWS.

    LAM_BIN=target/release/lam ~/.cache/lam-ci/venv/bin/python bench/follow_live_vs_poll.py
Loopback only; bounded: 30 probes.
"""

import io
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
import zlib

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
LAM = os.environ.get("LAM_BIN", os.path.join(HERE, "..", "target", "release", "lam"))
PROBES = 30
ACCOUNT = "123456789012"
REGION = "us-east-1"


def frame(kind, name, payload):
    """One event-stream message: prelude, string headers, JSON payload, CRCs."""
    headers = b""
    type_header = ":event-type" if kind == "event" else ":exception-type"
    for key, value in ((":message-type", kind), (type_header, name), (":content-type", "application/json")):
        k, v = key.encode(), value.encode()
        headers += bytes([len(k)]) + k + bytes([7]) + len(v).to_bytes(2, "big") + v
    body = json.dumps(payload).encode()
    total = 12 + len(headers) + len(body) + 4
    prelude = total.to_bytes(4, "big") + len(headers).to_bytes(4, "big")
    message = prelude + zlib.crc32(prelude).to_bytes(4, "big") + headers + body
    return message + zlib.crc32(message).to_bytes(4, "big")


class LiveTail:
    """StartLiveTail with CloudWatch's cadence over moto's log groups."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not environ.get("HTTP_X_AMZ_TARGET", "").endswith(".StartLiveTail"):
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = json.loads(environ["wsgi.input"].read(length) or b"{}")
        start_response("200 OK", [("Content-Type", "application/vnd.amazon.eventstream")])
        return self.stream(request["logGroupIdentifiers"])

    def stream(self, arns):
        from moto.logs.models import logs_backends

        backend = logs_backends[ACCOUNT][REGION]
        names = [a.split(":log-group:")[-1] for a in arns]
        yield frame("event", "sessionStart", {"requestId": "r", "sessionId": "s", "logGroupIdentifiers": arns})
        last = int(time.time() * 1000)
        for _ in range(3600):
            time.sleep(1.0)
            tick = int(time.time() * 1000)
            results = []
            for arn, name in zip(arns, names):
                group = backend.groups.get(name)
                for stream in list(group.streams.values()) if group else []:
                    for e in list(stream.events):
                        if last <= e.ingestion_time < tick:
                            results.append({"logStreamName": stream.log_stream_name, "logGroupIdentifier": arn,
                                            "message": e.message, "timestamp": e.timestamp,
                                            "ingestionTime": e.ingestion_time})
            last = tick
            results.sort(key=lambda r: r["timestamp"])
            yield frame("event", "sessionUpdate", {"sessionMetadata": {"sampled": len(results) > 500},
                                                   "sessionResults": results[:500]})


def start_server():
    from moto.moto_server.threaded_moto_server import MotoRequestHandler
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    app = LiveTail(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, app, True, request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_port}"
    request = urllib.request.Request(f"{endpoint}/moto-api/config", method="POST",
                                     data=json.dumps({"lambda": {"use_docker": False}}).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).read()
    return endpoint


def follower(cmd, env):
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    arrived, calls = {}, []

    def out():
        for line in proc.stdout:
            arrived.setdefault(line.strip(), time.monotonic())

    def err():
        for line in proc.stderr:
            calls.append(line)

    threading.Thread(target=out, daemon=True).start()
    threading.Thread(target=err, daemon=True).start()
    return proc, arrived, calls


def summary(name, latencies, calls, seconds):
    latencies = sorted(latencies)
    p90 = latencies[int(len(latencies) * 0.9) - 1]
    filters = sum("FilterLogEvents" in c for c in calls)
    tails = sum("StartLiveTail" in c for c in calls)
    print(f"{name}: median {statistics.median(latencies) * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms over {len(latencies)} events; "
          f"{filters} FilterLogEvents and {tails} StartLiveTail calls in {seconds:.0f} s")
    return statistics.median(latencies)


def main():
    endpoint = start_server()
    creds = dict(endpoint_url=endpoint, region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    iam, lam_api, logs = (boto3.client(s, **creds) for s in ("iam", "lambda", "logs"))
    role = iam.create_role(RoleName="bench-follow", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("app.py", "def handler(e, c):\n    return 1\n")
    lam_api.create_function(FunctionName="bench-follow", Runtime="python3.12", Role=role, Handler="app.handler",
                            Code={"ZipFile": code.getvalue()})
    group = "/aws/lambda/bench-follow"
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="bench")

    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x",
               AWS_REGION=REGION, AWS_EC2_METADATA_DISABLED="true", NO_COLOR="1")
    base = [LAM, "-v", "logs", "bench-follow", "--follow", "--since", "1s", "--format", "raw"]
    live = follower(base, env)
    poll = follower(base + ["--poll"], env)
    time.sleep(3)
    started = time.monotonic()
    rng = random.Random(11)
    sent = {}
    for i in range(PROBES):
        key = f"probe-{i}-{time.time_ns()}"
        logs.put_log_events(logGroupName=group, logStreamName="bench",
                            logEvents=[{"timestamp": int(time.time() * 1000), "message": key}])
        sent[key] = time.monotonic()
        time.sleep(rng.uniform(0.2, 3.0))
    time.sleep(5)
    seconds = time.monotonic() - started
    results = {}
    for name, (proc, arrived, calls) in (("Live Tail", live), ("polling", poll)):
        proc.terminate()
        missing = [k for k in sent if k not in arrived]
        if missing:
            print(f"{name}: {len(missing)} of {len(sent)} events never printed")
        latencies = [arrived[k] - t for k, t in sent.items() if k in arrived]
        results[name] = summary(f"lam logs --follow ({name})", latencies, calls, seconds)
    print(f"median ratio, polling / Live Tail: {results['polling'] / results['Live Tail']:.2f}")


if __name__ == "__main__":
    sys.exit(main())
