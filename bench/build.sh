#!/usr/bin/env bash
# `lam build` against Info-ZIP on the same tree, and a rebuild after editing
# only the handler against the first build (which installs dependencies).
# The tree: boto3, Pillow and requests installed for Lambda, about 5,000
# files. Needs hyperfine and zip; builds lam in release.
#   bash bench/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# LAM_BIN: a lam binary to measure instead of building one here.
if [ -z "${LAM_BIN:-}" ]; then cargo build --release --locked -q; fi
lam="${LAM_BIN:-$PWD/target/release/lam}"
python="${LAM_PYTHON:-python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. A project whose dependencies lam installs.
mkdir -p "$work/deps"
cd "$work/deps"
printf '[function]\nruntime = "python3.12"\nhandler = "app.handler"\n' > lam.toml
printf 'def handler(event, context):\n    return 1\n' > app.py
printf 'boto3==1.35.0\npillow==11.0.0\nrequests==2.32.3\n' > requirements.txt
echo "== first build (pip install for Lambda + compress) vs rebuild after a handler edit"
hyperfine -N --runs 1 --prepare "rm -rf .lam" "$lam build -q"
echo "# edited" >> app.py
hyperfine -N --warmup 1 --runs 10 --prepare "sh -c 'echo \"# edit\" >> app.py'" "$lam build -q"

# 2. The same files as plain project files: lam's compression against zip's.
mkdir -p "$work/tree"
cp -r .lam/deps/*/python/. "$work/tree/"
cp app.py lam.toml "$work/tree/"
cd "$work/tree"
echo "== $(find . -type f | wc -l) files, $(du -sh --exclude=.lam . | cut -f1): lam build vs zip -r -q -X"
hyperfine -N --warmup 1 --runs 5 \
  "$lam build -q" \
  "sh -c 'rm -f /tmp/lam-bench.zip && zip -r -q -X /tmp/lam-bench.zip . -x \".lam/*\"'"
