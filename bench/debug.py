"""`--debug`, measured: from a debugger attaching to its breakpoint in the
handler being hit (debugpy over DAP for Python, the inspector over CDP for
Node.js), and what `--debug --no-wait` costs a plain run with no debugger
attached, against the same run without it, in the same rounds.

    LAM_BIN=target/release/lam ~/.cache/lam-ci/venv/bin/python bench/debug.py [--rounds 10]
Loopback only; nothing is asserted.
"""

import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAM = os.path.abspath(os.environ.get("LAM_BIN", os.path.join(HERE, "..", "target", "release", "lam")))
PY_APP = "GREETING = 'hi'\ndef handler(event, context):\n    name = event.get('name', 'x')\n    return GREETING + name\n"
NODE_APP = "const GREETING = 'hi';\nexport const handler = async (event) => {\n  const name = event.name;\n  return GREETING + name;\n};\n"


def project(runtime, handler, files):
    d = tempfile.mkdtemp(prefix="lam-bench-debug-")
    with open(os.path.join(d, "lam.toml"), "w") as f:
        f.write(f'[project]\nname = "bd"\n[function]\nruntime = "{runtime}"\nhandler = "{handler}"\n')
    for name, text in files.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    with open(os.path.join(d, "e.json"), "w") as f:
        f.write('{"name": "z"}')
    return d


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def connect(port):
    for _ in range(600):
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=30)
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"nothing on {port}")


class Dap:
    def __init__(self, sock):
        self.sock, self.buf, self.seq = sock, b"", 0

    def send(self, command, arguments):
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command, "arguments": arguments}).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def read(self):
        while b"\r\n\r\n" not in self.buf:
            more = self.sock.recv(65536)
            if not more:
                return None
            self.buf += more
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        n = int(head.split(b":")[1])
        while len(rest) < n:
            rest += self.sock.recv(65536)
        self.buf = rest[n:]
        return json.loads(rest[:n])


def invoke_debug(d, env, port):
    """`lam invoke --local --debug` on `port`, waiting for a debugger."""
    return subprocess.Popen([LAM, "invoke", "--local", "--event", "e.json", "--debug", "--debug-port", str(port)],
                            cwd=d, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def python_attach_to_breakpoint(d, env):
    port = free_port()
    proc = invoke_debug(d, env, port)
    sock = connect(port)
    began = time.perf_counter()
    dap = Dap(sock)
    dap.send("initialize", {"clientID": "bench", "adapterID": "debugpy", "pathFormat": "path",
                            "linesStartAt1": True, "columnsStartAt1": True})
    hit = None
    while hit is None:
        m = dap.read()
        if m.get("command") == "initialize":
            dap.send("attach", {"justMyCode": False, "pathMappings": [
                {"localRoot": d, "remoteRoot": os.path.join(d, ".lam", "task", "bd-dev")}]})
        elif m.get("event") == "initialized":
            dap.send("setBreakpoints", {"source": {"path": os.path.join(d, "app.py")}, "breakpoints": [{"line": 3}]})
            dap.send("configurationDone", {})
        elif m.get("event") == "stopped":
            hit = time.perf_counter() - began
            dap.send("continue", {"threadId": m["body"]["threadId"]})
    # The session ends with the process (debugpy runs inside it).
    while (m := dap.read()) is not None and m.get("event") != "terminated":
        pass
    sock.close()
    proc.wait(timeout=30)
    return hit


def ws_send(sock, payload):
    data = json.dumps(payload).encode()
    head = bytes([0x81])
    n = len(data)
    head += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + n.to_bytes(2, "big")
    mask = b"\x01\x02\x03\x04"
    sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def ws_read(sock, buf):
    def need(k):
        nonlocal buf
        while len(buf) < k:
            buf += sock.recv(65536)
    need(2)
    n = buf[1] & 0x7F
    at = 2
    if n == 126:
        need(4)
        n, at = int.from_bytes(buf[2:4], "big"), 4
    elif n == 127:
        need(10)
        n, at = int.from_bytes(buf[2:10], "big"), 10
    need(at + n)
    message, buf = buf[at:at + n], buf[at + n:]
    return json.loads(message), buf


def node_attach_to_breakpoint(d, env):
    port = free_port()
    proc = invoke_debug(d, env, port)
    listing = connect(port)
    began = time.perf_counter()
    listing.sendall(f"GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    raw = b""
    while b"\r\n\r\n" not in raw:
        raw += listing.recv(65536)
    head, body = raw.split(b"\r\n\r\n", 1)
    length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
    while len(body) < length:
        body += listing.recv(65536)
    path = json.loads(body)[0]["webSocketDebuggerUrl"].split(str(port), 1)[1]
    sock = connect(port)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += sock.recv(65536)
    buf = buf.split(b"\r\n\r\n", 1)[1]
    for i, (method, params) in enumerate([
            ("Debugger.enable", {}),
            ("Debugger.setBreakpointByUrl", {"lineNumber": 2, "urlRegex": "index\\.mjs$"}),
            ("Runtime.runIfWaitingForDebugger", {})]):
        ws_send(sock, {"id": i + 1, "method": method, "params": params})
    while True:
        m, buf = ws_read(sock, buf)
        if m.get("method") == "Debugger.paused":
            hit = time.perf_counter() - began
            ws_send(sock, {"id": 99, "method": "Debugger.resume", "params": {}})
            break
    proc.wait(timeout=30)
    sock.close()
    return hit


def plain_vs_debug(d, env, rounds):
    plain, debug = [], []
    for _ in range(rounds):
        for runs, extra in ((plain, []), (debug, ["--debug", "--no-wait", "--debug-port", str(free_port())])):
            began = time.perf_counter()
            subprocess.run([LAM, "invoke", "--local", "--event", "e.json", *extra], cwd=d, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            runs.append(time.perf_counter() - began)
    return statistics.median(plain), statistics.median(debug)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    env = dict(os.environ, NO_COLOR="1")
    py = project("python3.12", "app.handler", {"app.py": PY_APP})
    node = project("nodejs22.x", "index.handler", {"index.mjs": NODE_APP})
    # One run first: debugpy is installed into lam's cache once.
    python_attach_to_breakpoint(py, env)
    for name, d, attach in (("Python (debugpy, DAP)", py, python_attach_to_breakpoint),
                            ("Node.js (inspector, CDP)", node, node_attach_to_breakpoint)):
        hits = [attach(d, env) for _ in range(args.rounds)]
        p, q = plain_vs_debug(d, env, args.rounds)
        print(f"{name}: attach to breakpoint hit median {statistics.median(hits) * 1000:.0f} ms "
              f"(max {max(hits) * 1000:.0f} ms); plain run {p * 1000:.0f} ms, "
              f"--debug --no-wait {q * 1000:.0f} ms, ratio {q / p:.2f}")


if __name__ == "__main__":
    main()
