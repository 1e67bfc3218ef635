"""Wall time and AWS call counts of `lam deploy` and `lam status` for a
50-function project against a local moto server: one first deploy, then
unchanged deploys and status runs, with one `lam --version` as the baseline
measured in the same run (the ratio is what to compare across machines).

    LAM_BIN=target/release/lam MOTO_PYTHON=~/.cache/lam-ci/venv/bin/python python3 bench/deploy50.py
Loopback only; bounded: 1 first deploy, 10 unchanged deploys, 10 status runs.
Each function has an env var, a function URL and lam's role.

With QUOTA=1 the access key begins with LAMQUOTA, so the validator in front of
moto answers Lambda's control-plane quotas as AWS publishes them (GetFunction
100/s, GetPolicy 15/s, the rest 15/s): what the same runs cost at AWS's rates,
with 3 runs of each instead of 10.
"""

import collections
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from deploy import LAM, READS, env_for, start_moto  # noqa: E402

FUNCTIONS = int(os.environ.get("FUNCTIONS", "50"))
QUOTA = os.environ.get("QUOTA") == "1"
RUNS = 3 if QUOTA else 10


def make_project(root):
    d = os.path.join(root, "fifty")
    os.makedirs(d)
    lines = ['[project]\nname = "fifty"\n\n[env]\nTABLE = "orders"\n\n[api]\nkind = "url"\n']
    for i in range(FUNCTIONS):
        lines.append(f'\n[functions.f{i:02}]\nruntime = "python3.12"\nhandler = "app.lambda_handler"\n'
                     f'memory = {128 + i}\n')
    with open(os.path.join(d, "lam.toml"), "w") as f:
        f.write("".join(lines))
    with open(os.path.join(d, "app.py"), "w") as f:
        f.write("def lambda_handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n")
    return d


def run(d, env, *args):
    start = time.perf_counter()
    out = subprocess.run([LAM, *args, "-v"], cwd=d, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"lam {' '.join(args)} failed:\n{out.stderr}")
    calls = collections.Counter()
    for line in out.stderr.splitlines():
        if line.startswith("aws: ") and "." in line:
            service, rest = line[5:].split(".", 1)
            calls[f"{service}.{rest.split()[0]}"] += 1
    return elapsed, calls


def summary(name, times, calls):
    mutating = sum(n for c, n in calls.items() if not c.rsplit(".", 1)[1].startswith(READS))
    ms = statistics.median(times) * 1000
    print(f"{name}: median {ms:.0f} ms (min {min(times)*1000:.0f}, max {max(times)*1000:.0f}); "
          f"{sum(calls.values())} calls, {mutating} mutating")
    print("  calls: " + ", ".join(f"{c} x{n}" for c, n in sorted(calls.items())))
    return ms


def main():
    moto, endpoint = start_moto()
    env = env_for(endpoint)
    if QUOTA:
        env["AWS_ACCESS_KEY_ID"] = "LAMQUOTABENCH"
    root = tempfile.mkdtemp(prefix="lam-bench-deploy50-")
    try:
        d = make_project(root)
        t, first_calls = run(d, env, "deploy", "--yes")
        summary(f"first deploy of {FUNCTIONS} functions", [t], first_calls)
        unchanged, status = [], []
        for _ in range(RUNS):
            t, deploy_calls = run(d, env, "deploy", "--yes")
            unchanged.append(t)
        for _ in range(RUNS):
            t, status_calls = run(d, env, "status")
            status.append(t)
        base = []
        for _ in range(10):
            start = time.perf_counter()
            subprocess.run([LAM, "--version"], capture_output=True, check=True)
            base.append(time.perf_counter() - start)
        summary("unchanged deploy", unchanged, deploy_calls)
        summary("lam status", status, status_calls)
        b = statistics.median(base) * 1000
        print(f"baseline `lam --version`: median {b:.1f} ms")
    finally:
        moto.stdin.close()
        moto.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
