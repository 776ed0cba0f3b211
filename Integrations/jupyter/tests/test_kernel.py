"""The kernel `lodestone` through jupyter_client, as a notebook uses it. Run by
Tests/lodestoneTests/JupyterTests.swift: `LODESTONE=… python3 tests/test_kernel.py`."""

import os
import subprocess
import time

import support
from jupyter_client.manager import start_new_kernel


def run(client, code, timeout=120):
    """Executes `code`; returns the reply's content and the iopub messages (type, content)."""
    messages = []
    reply = client.execute_interactive(
        code, timeout=timeout, output_hook=lambda m: messages.append((m["msg_type"], m["content"]))
    )
    return reply["content"], messages


def of_type(messages, kind):
    return [content for message_type, content in messages if message_type == kind]


def check_lexer():
    """The Pygments lexer colours keywords, months, numbers with %, strings and comments."""
    from pygments.token import Comment, Keyword, Number, String

    from lodestone_kernel.lexer import LodeLexer

    tokens = [(kind, text) for kind, text in LodeLexer().get_tokens('let s = 25% # x\nrun(m, start: 2026-02, name: "a")') if text.strip()]
    assert (Keyword, "let") in tokens and (Number, "25%") in tokens, tokens
    assert (Comment.Single, "# x") in tokens and (Number.Other, "2026-02") in tokens, tokens
    assert (String.Double, '"a"') in tokens, tokens
    print("ok: the lexer")


def main():
    check_lexer()
    support.register_kernel()
    expected_ramp = subprocess.run(
        [support.lodestone(), "-e", "print(model(trade).trade.ramp_months)"], capture_output=True, text=True, check=True
    ).stdout.strip()

    manager, client = start_new_kernel(kernel_name="lodestone", startup_timeout=60)
    try:
        info = client.kernel_info(reply=True, timeout=60)["content"]
        assert info["language_info"]["name"] == "lode", info
        assert info["banner"].startswith("Lodestone "), info["banner"]

        reply, _ = run(client, "let m = model(trade, data: \"baseline-2024\")  # the curb below uses its DyTb")
        assert reply["status"] == "ok", reply
        reply, messages = run(client, "m.trade.ramp_months")
        assert reply["status"] == "ok", reply
        results = of_type(messages, "execute_result")
        assert [r["data"]["text/plain"] for r in results] == [expected_ramp], (results, expected_ramp)
        print("ok: m.trade.ramp_months =", expected_ramp)

        reply, messages = run(client, 'print("runs:", 3)\nplot(run(m, scenario("x"), months: 12))')
        assert reply["status"] == "ok", reply
        assert [s["text"] for s in of_type(messages, "stream")] == ["runs: 3\n"], messages
        displays = of_type(messages, "display_data")
        assert len(displays) == 1, messages
        svg = displays[0]["data"]["image/svg+xml"]
        assert svg.startswith("<svg") and "<title>x</title>" in svg, svg[:200]
        print("ok: plot is image/svg+xml,", len(svg), "characters")

        reply, messages = run(client, 'table({"days": [30, 60]})')
        html = of_type(messages, "execute_result")[0]["data"]["text/html"]
        assert "<th>days</th>" in html, html
        print("ok: a table is text/html")

        completion = client.complete("let e = montec", 14, reply=True, timeout=30)["content"]
        assert completion["matches"] == ["montecarlo"], completion
        assert (completion["cursor_start"], completion["cursor_end"]) == (8, 14), completion
        print("ok: montec completes to montecarlo")

        inspection = client.inspect("run(m", 5, reply=True, timeout=30)["content"]
        assert inspection["found"] and inspection["data"]["text/plain"].startswith("run(model"), inspection
        print("ok: Shift-Tab help on run")

        client.is_complete("let t = table({")
        assert client.get_shell_msg(timeout=30)["content"]["status"] == "incomplete"

        reply, messages = run(client, "let x = 1\nlet y = nosuch")
        assert reply["status"] == "error" and reply["ename"] == "ScriptError", reply
        assert reply["traceback"][0] == "In[5]:2:9: error: unknown name `nosuch`", reply["traceback"]
        assert of_type(messages, "error"), messages
        print("ok: an error with its line and column")

        run(client, 'let s = scenario("curb")\ns.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 100%, start: 2026-02, months: 12)')
        started = time.monotonic()
        request = client.execute("let e = montecarlo(m, s, runs: 300000, seed: 7)")
        # Wait until the kernel is busy with it, then press Interrupt.
        while True:
            message = client.get_iopub_msg(timeout=30)
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "busy":
                break
        time.sleep(1.0)
        manager.interrupt_kernel()
        while True:
            message = client.get_shell_msg(timeout=120)
            if message["parent_header"].get("msg_id") == request:
                break
        content = message["content"]
        assert content["status"] == "error" and content["ename"] == "Interrupted", content
        assert "the variables are as they were" in "\n".join(content["traceback"]), content
        print("ok: interrupted after %.1f s" % (time.monotonic() - started))
        # On a loaded machine the server may still be winding the cancelled ensemble down when the
        # interrupt is answered: the next cell then gets no result at once. Ask again for up to 30 s.
        for attempt in range(30):
            reply, messages = run(client, "[type(m), type(s), len(s.events)]")
            results = of_type(messages, "execute_result")
            if results:
                break
            time.sleep(1)
        assert results and results[0]["data"]["text/plain"] == '["model", "scenario", 1]', (reply, messages)
        reply, _ = run(client, "e")
        assert reply["status"] == "error", "the cancelled ensemble is not assigned"
        print("ok: the variables survive the interrupt")
    finally:
        manager.shutdown_kernel(now=False)
    assert not manager.is_alive()
    print("ok: shut down")


if __name__ == "__main__":
    main()
