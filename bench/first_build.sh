#!/usr/bin/env bash
# A whole first `lam build` (install for Lambda + compress, empty caches)
# against `uv pip install` of the same requirements alone, and against the
# same build with pip. The requirement set is issue #19's: boto3, pillow,
# requests, aiohttp, pymysql for CPython 3.12 on manylinux x86_64.
# Every command starts from empty caches (uv's, pip's and lam's), so each
# downloads every wheel: the figures include the network.
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

clean="rm -rf .lam $work/q/.lam $work/uvcache $work/out $work/pipcache"
export UV_CACHE_DIR="$work/uvcache" PIP_CACHE_DIR="$work/pipcache"
hyperfine -N --runs "${RUNS:-5}" --prepare "sh -c '$clean'" \
  --export-markdown "$work/result.md" \
  -n "uv pip install (alone)" "$LAM_UV pip install -q --target $work/out --python-platform x86_64-manylinux_2_34 --python-version 3.12 --only-binary :all: -r requirements.txt" \
  -n "lam build (uv)" "$lam build -q" \
  -n "lam build (pip)" "$lam -C $work/q build -q"
cat "$work/result.md"
