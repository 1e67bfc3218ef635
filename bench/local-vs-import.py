#!/usr/bin/env python3
"""`lam invoke --local` of the hello template against `python -c "import app"`
in the same project with the same interpreter: how much lam adds to what a
cold start costs anyway (the interpreter's start and the handler's import).

    python3 bench/local-vs-import.py [--runs 40] [--lam target/release/lam]
        [--runtime python3.12|nodejs22.x] [--compare OTHER_LAM]

Both commands run alternately, as whole processes, after warm-up runs; the
ratio is taken pair by pair and its median reported, so drift of the
machine's speed cancels. `--compare` runs a second lam binary (an older
build) in the same rounds, so two versions are measured against one baseline. For Node.js the baseline is `node index.mjs` (which
loads the handler's module and exits). Nothing here is asserted by a test.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(cmd, cwd, env):
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--lam", default="target/release/lam")
    parser.add_argument("--runtime", default="python3.12")
    parser.add_argument("--compare", help="another lam binary, measured in the same rounds")
    args = parser.parse_args()
    lam = os.path.abspath(args.lam)
    other = os.path.abspath(args.compare) if args.compare else None
    work = tempfile.mkdtemp()
    try:
        env = dict(os.environ)
        subprocess.run([lam, "new", "hello", "-q", "--runtime", args.runtime, "--yes"],
                       cwd=work, env=env, check=True)
        project = os.path.join(work, "hello")
        event = "events/hello.json"
        if args.runtime.startswith("python"):
            python = env.get("LAM_PYTHON") or shutil.which("python3")
            env["LAM_PYTHON"] = python
            baseline = [python, "-c", "import app"]
        else:
            baseline = ["node", "index.mjs"]
        invoke = [lam, "invoke", "--local", "--event", event]
        invoke_other = [other, "invoke", "--local", "--event", event] if other else None
        # The baseline gets what lam passes a runtime, not this shell's whole
        # environment (NODE_EXTRA_CA_CERTS alone costs node ~50 ms here).
        plain = {k: env[k] for k in ("PATH", "HOME") if k in env}
        plain["LANG"] = "en_US.UTF-8"
        for _ in range(5):
            timed(invoke, project, env)
            if invoke_other:
                timed(invoke_other, project, env)
            timed(baseline, project, plain)
        lam_times, base_times, ratios = [], [], []
        other_times, other_ratios = [], []
        for _ in range(args.runs):
            a = timed(invoke, project, env)
            if invoke_other:
                other_times.append(timed(invoke_other, project, env))
            b = timed(baseline, project, plain)
            lam_times.append(a)
            base_times.append(b)
            ratios.append(a / b)
            if invoke_other:
                other_ratios.append(other_times[-1] / b)
        ms = lambda xs: f"{statistics.median(xs) * 1000:.1f} ms (min {min(xs) * 1000:.1f})"
        print(f"runtime {args.runtime}, {args.runs} pairs")
        print(f"  lam invoke --local : {ms(lam_times)}")
        print(f"  {' '.join(baseline)} : {ms(base_times)}")
        print(f"  ratio (median of pairs): {statistics.median(ratios):.3f}")
        if invoke_other:
            print(f"  {args.compare} : {ms(other_times)}")
            print(f"  its ratio (median of pairs): {statistics.median(other_ratios):.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
