"""The cloud loop, side by side against one moto server: a handler edit
synced by `lam deploy --watch` (file write -> UpdateFunctionCode's answer,
as the watcher's JSON line arrives) against a plain `lam deploy` after the
same edit, for a project whose dependencies are about 30 MB installed
(boto3 and Pillow, in their layer for --watch; in the zip for the plain deploy, as
`dependencies = "zip"` keeps them, which is what a deploy without a layer
uploads).

    LAM_BIN=target/release/lam MOTO_PYTHON=~/.cache/lam-ci/venv/bin/python \
      LAM_PYTHON=~/.cache/lam-ci/venv/bin/python python3 bench/watch.py
Loopback only; bounded: 10 edits each.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import queue

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from deploy import LAM, env_for, start_moto  # noqa: E402

EDITS = 10
APP = "import boto3\n\ndef lambda_handler(event, context):\n    return {'v': %d}\n"


def make(root, name, placement):
    d = os.path.join(root, name)
    os.makedirs(d)
    with open(os.path.join(d, "lam.toml"), "w") as f:
        f.write(
            f'[project]\nname = "{name}"\n\n[build]\ndependencies = "{placement}"\n\n'
            '[function]\nruntime = "python3.12"\nhandler = "app.lambda_handler"\n'
        )
    with open(os.path.join(d, "app.py"), "w") as f:
        f.write(APP % 0)
    with open(os.path.join(d, "requirements.txt"), "w") as f:
        f.write("boto3==1.35.0\npillow==11.0.0\n")
    return d


def main():
    moto, endpoint = start_moto()
    env = env_for(endpoint)
    try:
        with tempfile.TemporaryDirectory() as root:
            watched = make(root, "benchwatch", "layer")
            plain = make(root, "benchplain", "zip")
            # The plain project deploys once first (installs, creates).
            subprocess.run([LAM, "deploy", "-q"], cwd=plain, env=env, check=True)
            proc = subprocess.Popen(
                [LAM, "deploy", "--watch", "--output", "json"],
                cwd=watched, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            )
            lines = queue.Queue()
            threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()
            decoder = json.JSONDecoder()
            buffered = ""

            def next_doc():
                nonlocal buffered
                while True:
                    try:
                        doc, end = decoder.raw_decode(buffered.lstrip())
                        buffered = buffered.lstrip()[end:]
                        return doc
                    except ValueError:
                        buffered += lines.get(timeout=300)

            report = next_doc()
            layer = report["layers"][0]
            built = subprocess.run([LAM, "build", "--output", "json"], cwd=watched, env=env,
                                   check=True, capture_output=True, text=True)
            unzipped = json.loads(built.stdout)["layer"]["unzipped_size"]
            time.sleep(1)
            watch_ms, sizes = [], []
            for i in range(1, EDITS + 1):
                t0 = time.monotonic()
                with open(os.path.join(watched, "app.py"), "w") as f:
                    f.write(APP % i)
                sync = next_doc()
                watch_ms.append((time.monotonic() - t0) * 1000)
                sizes.append(os.path.getsize(os.path.join(watched, ".lam/build/function.zip")))
                assert "UpdateFunctionCode" in sync["calls"], sync
                time.sleep(0.3)
            proc.send_signal(2)
            proc.wait(timeout=30)

            plain_ms = []
            for i in range(1, EDITS + 1):
                with open(os.path.join(plain, "app.py"), "w") as f:
                    f.write(APP % i)
                t0 = time.monotonic()
                subprocess.run([LAM, "deploy", "-q"], cwd=plain, env=env, check=True)
                plain_ms.append((time.monotonic() - t0) * 1000)
            plain_size = os.path.getsize(os.path.join(plain, ".lam/build/function.zip"))
    finally:
        moto.kill()

    def row(name, ms, size):
        q = statistics.quantiles(ms, n=10)
        print(f"| {name} | {statistics.median(ms):.0f} ms | {q[8]:.0f} ms | {size / 1024:.1f} KB |")

    print(f"dependency layer: {layer['size'] / 1e6:.1f} MB zipped, {unzipped / 1e6:.1f} MB installed")
    print("| path | median | p90 | code uploaded |")
    print("|---|---|---|---|")
    row("`deploy --watch`: write -> UpdateFunctionCode answered", watch_ms, statistics.median(sizes))
    row("`lam deploy` after the same edit (dependencies in the zip)", plain_ms, plain_size)


if __name__ == "__main__":
    main()
