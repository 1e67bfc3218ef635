"""Latency of `lam logs --follow` (put_log_events -> line printed) against a
local moto server, and lam's memory over 10,000 followed events; with
`aws logs tail --follow` side by side when the AWS CLI is installed.

    LAM_BIN=target/release/lam  python bench/logs_follow.py
(run with a Python that has boto3, and awscli for the comparison; MOTO_PYTHON
names one with moto[server] when that is another, e.g. ~/.cache/lam-ci/venv/bin/python)
Loopback only; bounded: 20 probes and 10,000 events.
"""

import os
import shutil
import statistics
import subprocess
import sys
import threading
import time

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
LAM = os.environ.get("LAM_BIN", os.path.join(HERE, "..", "target", "release", "lam"))
PROBES = 20


def start_moto():
    runner = os.path.join(HERE, "..", "tests", "support", "moto_runner.py")
    python = os.environ.get("MOTO_PYTHON", sys.executable)
    proc = subprocess.Popen([python, runner], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline())
    return proc, f"http://127.0.0.1:{port}"


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(name, cmd, env, logs, group, probes):
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen = {}
    def reader():
        for line in proc.stdout:
            for key in list(pending):
                if key in line:
                    seen[key] = time.monotonic()
    pending = set()
    threading.Thread(target=reader, daemon=True).start()
    time.sleep(2)  # let it start
    latencies = []
    for i in range(probes):
        key = f"{name}-probe-{i}-{time.time_ns()}"
        pending.add(key)
        sent = time.monotonic()
        logs.put_log_events(logGroupName=group, logStreamName="bench",
                            logEvents=[{"timestamp": int(time.time() * 1000), "message": key}])
        deadline = sent + 15
        while key not in seen and time.monotonic() < deadline:
            time.sleep(0.01)
        latencies.append(seen.get(key, deadline) - sent)
        time.sleep(0.3)
    return proc, latencies


def report(name, latencies):
    latencies.sort()
    print(f"{name}: median {statistics.median(latencies)*1000:.0f} ms, "
          f"p90 {latencies[int(len(latencies)*0.9)-1]*1000:.0f} ms, max {latencies[-1]*1000:.0f} ms "
          f"over {len(latencies)} events")


def main():
    moto, endpoint = start_moto()
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x",
               AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true", NO_COLOR="1")
    logs = boto3.client("logs", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="x", aws_secret_access_key="x")
    group = "/aws/lambda/bench-dev"
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="bench")
    work = os.path.join("/tmp", f"lam-bench-logs-{os.getpid()}")
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "lam.toml"), "w") as f:
        f.write('[function]\nname = "bench-dev"\nruntime = "python3.12"\nhandler = "app.handler"\n')

    lam, lat = measure("lam", [LAM, "-C", work, "logs", "--follow", "--format", "raw"], env, logs, group, PROBES)
    report("lam logs --follow", lat)

    # Memory over 10,000 events, 500 per second.
    before = rss_kb(lam.pid)
    for batch in range(20):
        now = int(time.time() * 1000)
        logs.put_log_events(logGroupName=group, logStreamName="bench",
                            logEvents=[{"timestamp": now, "message": f"bulk {batch}-{i}"} for i in range(500)])
        time.sleep(1)
    time.sleep(3)
    after = rss_kb(lam.pid)
    print(f"lam RSS: {before} kB before, {after} kB after 10,000 events")
    lam.terminate()

    aws = shutil.which("aws") or os.path.join(os.path.dirname(sys.executable), "aws")
    version = subprocess.run([aws, "--version"], capture_output=True, text=True).stdout if os.path.exists(aws) else ""
    if version.startswith("aws-cli/2"):
        cli, lat = measure("aws", [aws, "logs", "tail", group, "--follow", "--format", "short"], env, logs, group, 5)
        report("aws logs tail --follow", lat)
        cli.terminate()
    else:
        # `aws logs tail` exists only in AWS CLI v2, which PyPI does not carry.
        print("AWS CLI v2 not installed: no `aws logs tail --follow` to compare")
    moto.stdin.close()


if __name__ == "__main__":
    main()
