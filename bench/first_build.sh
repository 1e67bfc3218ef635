#!/usr/bin/env bash
# A whole first `lam build` (install for Lambda + compress, empty caches)
# against `uv pip install` of the same requirements alone, and against the
# same build with pip. The requirement set is issue #19's: boto3, pillow,
# requests, aiohttp, pymysql for CPython 3.12 on manylinux x86_64.
# Every command starts from empty caches (uv's, pip's and lam's), so each
# downloads every wheel: the figures include the network. Needs no hyperfine:
# the commands run interleaved, one of each per round.
#   bash bench/first_build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${LAM_BIN:-}" ]; then cargo build --release --locked -q; fi
lam="${LAM_BIN:-$PWD/target/release/lam}"
python="${LAM_PYTHON:-python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One uv for every command: lam's own pinned copy.
"$python" -m pip install -q --disable-pip-version-check --target "$work/uv" uv==0.13.9
export LAM_UV="$work/uv/bin/uv"
"$LAM_UV" --version

mkdir -p "$work/p"
cd "$work/p"
printf '[function]\nruntime = "python3.12"\nhandler = "app.handler"\n' > lam.toml
printf 'def handler(event, context):\n    return 1\n' > app.py
printf 'boto3\npillow\nrequests\naiohttp\npymysql\n' > requirements.txt
mkdir -p "$work/q"
cp app.py requirements.txt "$work/q/"
printf '[build]\ninstaller = "pip"\n' | cat - lam.toml > "$work/q/lam.toml"

clean() { rm -rf .lam "$work/q/.lam" "$work/uvcache" "$work/out" "$work/pipcache"; }
export UV_CACHE_DIR="$work/uvcache" PIP_CACHE_DIR="$work/pipcache"
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
# Interleaved, one of each per round: the proxy's speed drifts from minute
# to minute, and a round compares commands under the same conditions.
runs="${RUNS:-8}"
: > "$work/times"
for i in $(seq "$runs"); do
  clean; a=$(ms "$LAM_UV" pip install -q --target "$work/out" --python-platform x86_64-manylinux_2_34 --python-version 3.12 --only-binary :all: -r requirements.txt)
  clean; b=$(ms "$lam" build -q)
  clean; c=$(ms "$lam" -C "$work/q" build -q)
  echo "$a $b $c" | tee -a "$work/times"
done
python3 - "$work/times" <<'PY'
import statistics, sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
uv, lam, pip = zip(*rows)
med = statistics.median
print("| command | median | min | max |")
print("|---|---|---|---|")
for name, xs in [("uv pip install (alone)", uv), ("lam build (uv)", lam), ("lam build (pip)", pip)]:
    print(f"| {name} | {med(xs)} ms | {min(xs)} ms | {max(xs)} ms |")
ratios = [b / a for a, b, _ in rows]
print(f"lam build (uv) / uv alone, per round: median {med(ratios):.2f}x, max {max(ratios):.2f}x")
print(f"lam build (pip) / lam build (uv): median {med([c / b for _, b, c in rows]):.2f}x")
PY
