"""Starts a moto server for lam's integration tests, behind the model
validator (model_validator.py): every signed request is checked against the
service's published model before moto sees it.

Prints the port it listens on, then serves until its stdin closes, which
happens when the test process that started it exits, however it exits.
Violations are appended to the file LAM_MODEL_VIOLATIONS names; with
LAM_MODEL_VALIDATOR=off the validator is left out.
"""

import json
import os
import sys
import urllib.request

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

import logging  # noqa: E402

from moto import backends  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from moto.moto_server.threaded_moto_server import MotoRequestHandler  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_validator import Validator  # noqa: E402


class ValidatedMotoServer(ThreadedMotoServer):
    """moto's threaded server with the model validator in front of its app."""

    def _server_entry(self):
        app = DomainDispatcherApplication(create_backend_app)
        if os.environ.get("LAM_MODEL_VALIDATOR") != "off":
            app = Validator(
                app, os.environ.get("LAM_MODEL_VIOLATIONS"), os.environ.get("LAM_REQUEST_LOG")
            )
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()


# moto's server looks up the backend for each request's host by listing its
# own package directory and stat-ing every entry, twice a request (moto
# 5.x, moto_server/werkzeug_app.py get_backend_for_host): about 360 stat
# calls, a third of moto's time per request here. The listing cannot change
# while the server runs, so it is read once.
_moto_modules = tuple(backends.list_of_moto_modules())
backends.list_of_moto_modules = lambda: _moto_modules

# One line per request would drown the test output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)

server = ValidatedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
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
