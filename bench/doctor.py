"""Wall time of `lam doctor` (issue #31's budget: under 1 s without AWS,
under 3 s with it, against moto), inside a new project and outside one,
with `lam --version` measured in the same run as the baseline.

    LAM_BIN=target/release/lam MOTO_PYTHON=~/.cache/lam-ci/venv/bin/python python3 bench/doctor.py
Loopback only; bounded: 10 runs of each.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from deploy import LAM, env_for, start_moto  # noqa: E402


def timed(cmd, cwd, env, runs=10):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if out.returncode not in (0,):
            sys.exit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return statistics.median(times) * 1000, max(times) * 1000


def main():
    moto, endpoint = start_moto()
    env = env_for(endpoint)
    root = tempfile.mkdtemp(prefix="lam-bench-doctor-")
    try:
        subprocess.run([LAM, "new", "shop", "--template", "api", "--runtime", "python", "-q"],
                       cwd=root, env=env, check=True, capture_output=True)
        project = os.path.join(root, "shop")
        base, _ = timed([LAM, "--version"], root, env)
        rows = [
            ("outside a project, --no-aws", [LAM, "doctor", "--no-aws"], root),
            ("in a project, --no-aws", [LAM, "doctor", "--no-aws"], project),
            ("in a project, with AWS (moto)", [LAM, "doctor"], project),
        ]
        print(f"baseline `lam --version`: median {base:.1f} ms")
        for label, cmd, cwd in rows:
            median, worst = timed(cmd, cwd, env)
            print(f"{label}: median {median:.0f} ms, max {worst:.0f} ms ({median / base:.0f}x baseline)")
    finally:
        moto.stdin.close()
        moto.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
