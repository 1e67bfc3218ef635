# Written by lam for `lam invoke --local --debug` and `lam serve --debug`.
#
# debugpy's in-process adapter runs whatever DAP request reaches it, with
# no handshake: on a TCP port, any web page or local user could send it an
# `evaluate`. Here it listens on a Unix socket in a directory only this
# user can enter; lam listens on the debug port and passes on only DAP
# messages from this user's own processes.
import os
import runpy
import socket
import sys

import debugpy
import debugpy.server.api  # noqa: F401  (puts debugpy's own pydevd on the path)
import pydevd

setting = os.environ.pop("_LAM_DEBUG")
path, _, wait = setting.rpartition(",")


class _PrivateListener(socket.socket):
    # debugpy reads the (host, port) it listens on back from the socket.
    def getsockname(self):
        return ("127.0.0.1", 0)


def _create_server_socket(host, port):
    # Called on pydevd's listening thread: an exception there would leave
    # debugpy.listen() waiting for ever, so a failure ends the process.
    try:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        server = _PrivateListener(socket.AF_UNIX, socket.SOCK_STREAM)
        mask = os.umask(0o177)
        try:
            server.bind(path)
        finally:
            os.umask(mask)
        server.settimeout(None)
        return server
    except Exception as e:
        print("lam: cannot listen for the debugger: %s" % e, file=sys.stderr, flush=True)
        os._exit(1)


if not callable(getattr(pydevd, "create_server_socket", None)):
    sys.exit(
        "lam: this debugpy (%s) cannot listen on a private socket; "
        "install debugpy 1.8 in the project's environment" % debugpy.__version__
    )
# pydevd's listening thread calls this name when it starts listening.
pydevd.create_server_socket = _create_server_socket
debugpy.listen(("127.0.0.1", 0), in_process_debug_adapter=True)
if wait == "wait":
    debugpy.wait_for_client()
if sys.argv[1] == "-m":
    # As `python -m` does: the working directory first on the path.
    sys.path[0] = os.getcwd()
    sys.argv = sys.argv[2:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
