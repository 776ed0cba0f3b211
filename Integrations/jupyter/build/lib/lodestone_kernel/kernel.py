"""The Jupyter kernel: cells, completion, help and interrupts passed to `lodestone serve`."""

import os

from ipykernel.kernelbase import Kernel

from . import __version__
from .server import Server, ServerError


class LodestoneKernel(Kernel):
    """A wrapper kernel (ipykernel's `Kernel`) over one `lodestone serve --stdio` process."""

    implementation = "lodestone"
    implementation_version = __version__
    language = "lode"
    language_version = "1"
    language_info = {
        "name": "lode",
        "mimetype": "text/x-lode",
        "file_extension": ".lode",
        "pygments_lexer": "lode",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._server = None
        self._banner = None

    # The server starts with the first request that needs it, in the notebook's folder.
    def _session(self):
        if self._server is None or not self._server.alive:
            arguments = os.environ.get("LODESTONE_ARGS", "").split()
            self._server = Server(arguments=arguments, cwd=os.getcwd())
        return self._server

    @property
    def banner(self):
        if self._banner is None:
            try:
                self._banner = self._session().call("info", timeout=30)["banner"]
            except (ServerError, OSError) as error:
                self._banner = f"Lodestone (not started: {error})"
        return self._banner

    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False):
        if not code.strip():
            return self._ok()
        try:
            server = self._session()
            request = server.send("execute", {"code": code, "name": f"In[{self.execution_count}]"})
        except (ServerError, OSError) as error:
            return self._error("ServerError", str(error), [str(error)], silent)
        reply = self._wait_interruptibly(server, request)
        if "error" in reply:
            message = reply["error"].get("message", "protocol error")
            return self._error("ProtocolError", message, [message], silent)
        result = reply["result"]
        outputs = result.get("outputs", [])
        last_result = max((i for i, o in enumerate(outputs) if o["type"] == "result"), default=None)
        if not silent:
            for index, output in enumerate(outputs):
                if output["type"] == "stream":
                    self.send_response(self.iopub_socket, "stream", {"name": output["name"], "text": output["text"]})
                elif index == last_result:
                    self.send_response(
                        self.iopub_socket,
                        "execute_result",
                        {"execution_count": self.execution_count, "data": output["data"], "metadata": {}},
                    )
                else:
                    self.send_response(self.iopub_socket, "display_data", {"data": output["data"], "metadata": {}})
        if result["status"] != "ok":
            error = result.get("error", {})
            name = "Interrupted" if result["status"] == "cancelled" else "ScriptError"
            rendered = error.get("rendered") or error.get("message", "")
            return self._error(name, error.get("message", ""), rendered.rstrip("\n").split("\n"), silent)
        return self._ok()

    def _wait_interruptibly(self, server, request):
        """Waits for a reply; Jupyter's Interrupt (a SIGINT, seen here as KeyboardInterrupt) is
        passed on as `interrupt`, and the wait goes on for the stopped execution's reply."""
        while True:
            try:
                return server.wait(request)
            except KeyboardInterrupt:
                try:
                    server.send("interrupt")
                except ServerError:
                    pass
            except ServerError as error:
                return {"error": {"message": f"{error}; the session's variables are lost (run the cells again)"}}

    def _ok(self):
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def _error(self, name, value, traceback, silent):
        if not silent:
            self.send_response(self.iopub_socket, "error", {"ename": name, "evalue": value, "traceback": traceback})
        return {
            "status": "error",
            "execution_count": self.execution_count,
            "ename": name,
            "evalue": value,
            "traceback": traceback,
        }

    def do_complete(self, code, cursor_pos):
        try:
            result = self._session().call("complete", {"code": code, "cursor": cursor_pos}, timeout=30)
        except (ServerError, OSError):
            return {"status": "ok", "matches": [], "cursor_start": cursor_pos, "cursor_end": cursor_pos, "metadata": {}}
        return {
            "status": "ok",
            "matches": result["matches"],
            "cursor_start": result["cursorStart"],
            "cursor_end": result["cursorEnd"],
            "metadata": {},
        }

    def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        try:
            result = self._session().call("inspect", {"code": code, "cursor": cursor_pos}, timeout=30)
        except (ServerError, OSError):
            return {"status": "ok", "found": False, "data": {}, "metadata": {}}
        return {"status": "ok", "found": result["found"], "data": result["data"], "metadata": {}}

    def do_is_complete(self, code):
        try:
            result = self._session().call("is_complete", {"code": code}, timeout=30)
        except (ServerError, OSError):
            return {"status": "unknown"}
        status = result["status"]
        return {"status": status, "indent": "  " if status == "incomplete" else ""}

    def do_shutdown(self, restart):
        if self._server is not None:
            self._server.stop()
            self._server = None
        return {"status": "ok", "restart": restart}
