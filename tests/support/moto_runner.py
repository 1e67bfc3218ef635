"""Starts a moto server for lam's integration tests.

Prints the port it listens on, then serves until its stdin closes, which
happens when the test process that started it exits, however it exits.
"""

import json
import os
import sys
import urllib.request

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

import logging  # noqa: E402

from moto.server import ThreadedMotoServer  # noqa: E402

# One line per request would drown the test output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
_, port = server.get_host_and_port()

# No Docker here: switch Lambda to its Docker-less backend before anything exists.
request = urllib.request.Request(
    f"http://127.0.0.1:{port}/moto-api/config",
    data=json.dumps({"lambda": {"use_docker": False}}).encode(),
    headers={"Content-Type": "application/json"},
    method="POST",
)
urllib.request.urlopen(request, timeout=10).read()

print(port, flush=True)
sys.stdin.read()
os._exit(0)
