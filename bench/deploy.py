"""Wall time and AWS call counts of `lam deploy` against a local moto server:
a first deploy (role, function, version, alias and a REST API with CORS) and
a deploy with nothing changed, with one `aws lambda get-function` (AWS CLI,
same machine, same server) as the baseline measured in the same run.

    LAM_BIN=target/release/lam python bench/deploy.py
(run with a Python that has boto3 and awscli, e.g. ~/.cache/lam-bench/venv/bin/python;
MOTO_PYTHON names one with moto[server], e.g. ~/.cache/lam-ci/venv/bin/python)
Loopback only; bounded: 5 first deploys, 20 unchanged deploys, 20 baseline calls.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAM = os.environ.get("LAM_BIN", os.path.join(HERE, "..", "target", "release", "lam"))
READS = ("Get", "List", "Describe", "Simulate")


def start_moto():
    runner = os.path.join(HERE, "..", "tests", "support", "moto_runner.py")
    python = os.environ.get("MOTO_PYTHON", sys.executable)
    proc = subprocess.Popen([python, runner], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline())
    return proc, f"http://127.0.0.1:{port}"


def env_for(endpoint):
    env = dict(os.environ)
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
        NO_COLOR="1",
    )
    return env


def make_project(root, name):
    d = os.path.join(root, name)
    os.makedirs(d)
    with open(os.path.join(d, "lam.toml"), "w") as f:
        f.write(
            f'[project]\nname = "{name}"\n\n[function]\nruntime = "python3.12"\n'
            'handler = "app.lambda_handler"\nmemory = 256\n\n[function.env]\nTABLE = "orders"\n\n'
            '[function.api]\nkind = "rest"\n\n[function.api.cors]\norigins = ["https://app.example.com"]\n'
        )
    with open(os.path.join(d, "app.py"), "w") as f:
        f.write("def lambda_handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n")
    return d


def deploy(d, env):
    start = time.perf_counter()
    out = subprocess.run([LAM, "deploy", "-v"], cwd=d, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"lam deploy failed:\n{out.stderr}")
    calls = []
    call_ms = 0.0
    for line in out.stderr.splitlines():
        if line.startswith("aws: ") and "." in line:
            service, rest = line[5:].split(".", 1)
            words = rest.split()
            calls.append(f"{service}.{words[0]}")
            # "aws: Lambda.GetFunction 200 13 ms ...": the call's own duration.
            if "ms" in words[1:]:
                i = words.index("ms", 1)
                try:
                    call_ms += float(words[i - 1])
                except ValueError:
                    pass
    mutating = [c for c in calls if not c.rsplit(".", 1)[1].startswith(READS)]
    DEPLOY_CALL_MS.append(call_ms)
    return elapsed, calls, mutating


DEPLOY_CALL_MS = []


def main():
    moto, endpoint = start_moto()
    env = env_for(endpoint)
    root = tempfile.mkdtemp(prefix="lam-bench-deploy-")
    try:
        first, unchanged = [], []
        first_calls = first_mut = rerun_calls = rerun_mut = None
        for i in range(5):
            d = make_project(root, f"bench{i}")
            t, calls, mut = deploy(d, env)
            first.append(t)
            first_calls, first_mut = calls, mut
        d = os.path.join(root, "bench0")
        DEPLOY_CALL_MS.clear()
        for _ in range(20):
            t, calls, mut = deploy(d, env)
            unchanged.append(t)
            rerun_calls, rerun_mut = calls, mut
        aws = shutil.which("aws")
        baseline = []
        if aws:
            for _ in range(20):
                start = time.perf_counter()
                subprocess.run(
                    [aws, "lambda", "get-function", "--function-name", "bench0-dev"],
                    env=env, capture_output=True, check=True,
                )
                baseline.append(time.perf_counter() - start)
        ms = lambda xs: statistics.median(xs) * 1000
        print(f"first deploy (role, function, version, alias, REST API): median {ms(first):.0f} ms "
              f"(min {min(first)*1000:.0f}, max {max(first)*1000:.0f}); "
              f"{len(first_calls)} calls, {len(first_mut)} mutating")
        print(f"unchanged deploy: median {ms(unchanged):.0f} ms (min {min(unchanged)*1000:.0f}, "
              f"max {max(unchanged)*1000:.0f}); {len(rerun_calls)} calls, {len(rerun_mut)} mutating")
        print("  calls: " + ", ".join(rerun_calls))
        print(f"  sum of the unchanged deploy's call durations: median {statistics.median(DEPLOY_CALL_MS):.0f} ms "
              "(more than its wall time when reads overlap)")
        print("  first-deploy mutating calls: " + ", ".join(first_mut))
        if baseline:
            print(f"baseline `aws lambda get-function` (one read call): median {ms(baseline):.0f} ms; "
                  f"unchanged deploy / baseline = {ms(unchanged) / ms(baseline):.2f}")
        print(json.dumps({"first_ms": ms(first), "unchanged_ms": ms(unchanged),
                          "baseline_ms": ms(baseline) if baseline else None}))
    finally:
        moto.stdin.close()
        moto.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
