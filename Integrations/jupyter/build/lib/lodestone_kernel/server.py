"""A `lodestone serve --stdio` child process: send requests, wait for their replies."""

import json
import os
import queue
import shutil
import subprocess
import threading


class ServerError(Exception):
    """The server could not be started, or stopped answering."""


def find_executable():
    """`$LODESTONE`, else `lodestone` on the PATH."""
    path = os.environ.get("LODESTONE") or shutil.which("lodestone")
    if not path:
        raise ServerError(
            "cannot find the lodestone executable: set LODESTONE to its path, put it on the PATH "
            "(make install), or reinstall the kernel with `make jupyter`"
        )
    return path


class Server:
    """One `lodestone serve --stdio` process and its replies, read on a thread of their own."""

    def __init__(self, executable=None, arguments=(), cwd=None):
        self.executable = executable or find_executable()
        self.process = subprocess.Popen(
            [self.executable, "serve", "--stdio", *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=cwd,
        )
        self._replies = {}
        self._arrived = threading.Condition()
        self._ended = False
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            try:
                reply = json.loads(line)
            except ValueError:
                continue
            with self._arrived:
                self._replies[reply.get("id")] = reply
                self._arrived.notify_all()
        with self._arrived:
            self._ended = True
            self._arrived.notify_all()

    @property
    def alive(self):
        return self.process.poll() is None and not self._ended

    def send(self, method, params=None):
        """Writes a request; returns its id."""
        self._next_id += 1
        request = {"jsonrpc": "2.0", "id": self._next_id, "method": method}
        if params is not None:
            request["params"] = params
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise ServerError(f"lodestone serve stopped ({self._exit_description()})") from error
        return self._next_id

    def wait(self, request_id, timeout=None):
        """The reply to `request_id`. A KeyboardInterrupt raised while waiting propagates; call
        again to go on waiting."""
        with self._arrived:
            while request_id not in self._replies:
                if self._ended:
                    raise ServerError(f"lodestone serve stopped ({self._exit_description()})")
                # Short waits, so that a KeyboardInterrupt is noticed promptly.
                if not self._arrived.wait(timeout=0.1) and timeout is not None:
                    timeout -= 0.1
                    if timeout <= 0:
                        raise ServerError("lodestone serve did not answer in time")
            return self._replies.pop(request_id)

    def call(self, method, params=None, timeout=None):
        """Sends a request and returns its `result` (raises ServerError for a protocol error)."""
        reply = self.wait(self.send(method, params), timeout=timeout)
        if "error" in reply:
            raise ServerError(reply["error"].get("message", "error"))
        return reply["result"]

    def _exit_description(self):
        code = self.process.poll()
        return "still running" if code is None else f"exit code {code}"

    def stop(self, timeout=5):
        """`shutdown`, then waits for the process (killing it if it does not end)."""
        if self.alive:
            try:
                self.call("shutdown", timeout=timeout)
            except (ServerError, KeyboardInterrupt):
                pass
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
