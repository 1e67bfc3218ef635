"""Overhead of lam dev's relay per invocation, against a local moto server.

A function is deployed and taken over by `lam dev`; the relay's own code
(src/dev/relay.py, with the function's LAM_DEV_* configuration) is served
warm by one `lam serve`, and the project's handler directly by another.
Each gets the same HTTP request 60 times (10 warm-up); the difference of
the medians is what the relay adds: two SQS sends, two long-poll wakes and
lam dev's signing and bookkeeping.

    MOTO_PYTHON=~/.cache/lam-ci/venv/bin/python LAM_BIN=$PWD/target/release/lam \\
      ~/.cache/lam-ci/venv/bin/python bench/dev_relay.py
(run with a Python that has boto3.)
"""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from deploy import LAM, env_for, start_moto  # noqa: E402

import boto3  # noqa: E402

APP = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(d, env, port):
    p = subprocess.Popen([LAM, "serve", "--port", str(port)], cwd=d, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in p.stderr:
        if "Listening on" in line:
            break
    return p


def timings(port, n=60, warm=10):
    out = []
    for i in range(n + warm):
        start = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/x", timeout=60) as r:
            r.read()
        if i >= warm:
            out.append((time.perf_counter() - start) * 1000)
    out.sort()
    return statistics.median(out), out[int(len(out) * 0.99) - 1]


def main():
    moto, endpoint = start_moto()
    env = env_for(endpoint)
    env["LAM_PYTHON"] = env.get("LAM_PYTHON", sys.executable)
    root = tempfile.mkdtemp(prefix="lam-bench-dev-")
    procs = []
    try:
        d = os.path.join(root, "devbench")
        os.makedirs(d)
        with open(os.path.join(d, "lam.toml"), "w") as f:
            f.write('[project]\nname = "devbench"\n[function]\nruntime = "python3.12"\n'
                    'handler = "app.handler"\ntimeout = 10\n[function.api]\nkind = "http"\n')
        with open(os.path.join(d, "app.py"), "w") as f:
            f.write(APP)
        subprocess.run([LAM, "deploy"], cwd=d, env=env, check=True, capture_output=True)
        dev = subprocess.Popen([LAM, "dev"], cwd=d, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        procs.append(dev)
        for line in dev.stderr:
            if "now runs here" in line:
                break
        cfg = boto3.client("lambda", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="bench", aws_secret_access_key="bench"
                           ).get_function_configuration(FunctionName="devbench-dev")
        relay = os.path.join(root, "relay")
        os.makedirs(relay)
        shutil.copy(os.path.join(HERE, "..", "src", "dev", "relay.py"), os.path.join(relay, "lam_relay.py"))
        with open(os.path.join(relay, "lam.toml"), "w") as f:
            f.write('[project]\nname = "relay"\n[function]\nruntime = "python3.12"\n'
                    'handler = "lam_relay.handler"\ntimeout = 10\n[function.api]\nkind = "http"\n[function.env]\n')
            for k, v in cfg["Environment"]["Variables"].items():
                if k.startswith("LAM_DEV_"):
                    f.write(f'{k} = {json.dumps(v)}\n')
        a, b = free_port(), free_port()
        procs.append(serve(relay, env, a))
        procs.append(serve(d, env, b))
        through = timings(a)
        direct = timings(b)
        print(f"through the relay and lam dev: median {through[0]:.1f} ms, p99 {through[1]:.1f} ms")
        print(f"the handler served directly:  median {direct[0]:.1f} ms, p99 {direct[1]:.1f} ms")
        print(f"relay overhead: median {through[0] - direct[0]:.1f} ms, p99 {through[1] - direct[1]:.1f} ms")
    finally:
        for p in procs:
            p.send_signal(2)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        moto.stdin.close()
        moto.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
