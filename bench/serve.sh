#!/usr/bin/env bash
# `lam serve` warm-request latency and throughput on loopback, with wrk.
# The handler does nothing, so the latency is lam's own overhead plus one
# Runtime API round trip. Bounded: 5 s per run, loopback only.
#   bash bench/serve.sh                 (needs wrk; builds lam in release)
set -euo pipefail
cd "$(dirname "$0")/.."
# LAM_BIN: a lam binary to measure instead of building one here.
if [ -z "${LAM_BIN:-}" ]; then cargo build --release --locked -q; fi
lam="${LAM_BIN:-$PWD/target/release/lam}"
work=$(mktemp -d)
port=${BENCH_PORT:-3917}
cat > "$work/lam.toml" <<'TOML'
[project]
name = "bench"
[function]
runtime = "python3.12"
handler = "app.handler"
TOML
printf 'def handler(event, context):\n    return {"statusCode": 200, "body": "ok"}\n' > "$work/app.py"
"$lam" -C "$work" serve --port "$port" --concurrency 4 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
# Warm up four runtimes.
wrk -t2 -c4 -d2s "http://127.0.0.1:$port/" >/dev/null
echo "== one connection: latency of a warm request"
wrk -t1 -c1 -d5s --latency "http://127.0.0.1:$port/"
echo "== four connections, four warm runtimes: throughput"
wrk -t2 -c4 -d5s --latency "http://127.0.0.1:$port/"
