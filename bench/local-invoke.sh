#!/usr/bin/env bash
# `lam invoke --local` against python-lambda-local on the same hello handler,
# both with the same Python interpreter; whole commands, as a user runs them.
#   bash bench/local-invoke.sh          (needs hyperfine; builds lam in release)
set -euo pipefail
cd "$(dirname "$0")/.."
# LAM_BIN: a lam binary to measure instead of building one here.
if [ -z "${LAM_BIN:-}" ]; then cargo build --release --locked -q; fi
lam="${LAM_BIN:-$PWD/target/release/lam}"
venv="${BENCH_VENV:-$HOME/.cache/lam-bench/venv}"
if [ ! -x "$venv/bin/python-lambda-local" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check python-lambda-local==0.1.13
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$lam" new hello -q
cd hello
export LAM_PYTHON="$venv/bin/python"
hyperfine -N --warmup 3 --runs 40 \
  "$lam invoke --local --event events/hello.json" \
  "$venv/bin/python-lambda-local -f lambda_handler -t 10 app.py events/hello.json" \
  "$venv/bin/python -c pass"
