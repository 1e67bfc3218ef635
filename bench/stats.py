"""`lam stats` over 100,000 REPORT lines in a local moto server, beside the
baseline of fetching the same events with boto3 alone (FilterLogEvents,
every page, same pattern): how much lam adds to the fetch, and its peak
memory.

    LAM_BIN=target/release/lam MOTO_PYTHON=~/.cache/lam-ci/venv/bin/python \
        ~/.cache/lam-ci/venv/bin/python bench/stats.py [--lines 100000]
Loopback only; nothing is asserted.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
LAM = os.environ.get("LAM_BIN", os.path.join(HERE, "..", "target", "release", "lam"))
PATTERN = '?REPORT ?"platform.report" ?"[ERROR]" ?"Invoke Error" ?"Uncaught Exception" ?"Unhandled Promise Rejection"'


def start_moto():
    runner = os.path.join(HERE, "..", "tests", "support", "moto_runner.py")
    python = os.environ.get("MOTO_PYTHON", sys.executable)
    proc = subprocess.Popen([python, runner], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline())
    return proc, f"http://127.0.0.1:{port}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    moto, endpoint = start_moto()
    try:
        env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing",
                   AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1",
                   AWS_EC2_METADATA_DISABLED="true")
        logs = boto3.client("logs", endpoint_url=endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")
        group = "/aws/lambda/bench-stats"
        logs.create_log_group(logGroupName=group)
        rng = random.Random(7)
        now = int(time.time() * 1000) - 600_000
        per_stream = 5_000
        written = 0
        for s in range(args.lines // per_stream):
            stream = f"2026/11/30/[{1 + s % 3}]{s:032x}"
            logs.create_log_stream(logGroupName=group, logStreamName=stream)
            events = []
            for i in range(per_stream):
                d = rng.lognormvariate(3, 0.8)
                init = f"Init Duration: {rng.uniform(150, 900):.2f} ms\t" if i == 0 else ""
                events.append({"timestamp": now + i * 10,
                               "message": f"REPORT RequestId: {s:08x}-{i:08x}\tDuration: {d:.2f} ms\tBilled Duration: {int(d) + 1} ms\tMemory Size: 512 MB\tMax Memory Used: {rng.randint(60, 140)} MB\t{init}"})
            logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events)
            written += len(events)
        work = tempfile.mkdtemp()
        with open(os.path.join(work, "lam.toml"), "w") as f:
            f.write('[function]\nname = "bench-stats"\nruntime = "python3.12"\nhandler = "app.handler"\nmemory = 512\n')
        open(os.path.join(work, "app.py"), "w").write("def handler(e, c):\n    return 1\n")

        def fetch_with_boto3():
            count, token = 0, None
            while True:
                kw = dict(logGroupName=group, startTime=now - 60_000, filterPattern=PATTERN)
                if token:
                    kw["nextToken"] = token
                out = logs.filter_log_events(**kw)
                count += len(out["events"])
                token = out.get("nextToken")
                if not token:
                    return count

        def lam_stats():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            out = subprocess.run([LAM, "stats", "--since", "1h", "--output", "json"], cwd=work,
                                 env=env, capture_output=True, text=True, check=True)
            assert '"invocations":' in out.stdout, out.stdout
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            return after.ru_maxrss, cpu, out.stdout

        rounds = []
        for _ in range(3):
            t = time.perf_counter(); fetched = fetch_with_boto3(); base = time.perf_counter() - t
            t = time.perf_counter(); rss, cpu, out = lam_stats(); took = time.perf_counter() - t
            rounds.append((took, base, cpu))
        took, base, cpu = min(rounds)
        print(f"{written} REPORT lines in moto ({fetched} fetched by boto3)")
        print(f"  lam stats          : {took:.2f} s (best of 3)")
        print(f"  its CPU time       : {cpu:.2f} s (the rest is waiting for moto)")
        print(f"  boto3 fetch alone  : {min(b for _, b, _ in rounds):.2f} s")
        print(f"  ratio (lam / fetch): {took / base:.2f}")
        print(f"  lam peak RSS       : {rss / 1024:.1f} MB (largest child so far)")
    finally:
        moto.kill()


if __name__ == "__main__":
    sys.exit(main())
