"""Every request and reply line of a `lodestone serve --stdio` session is valid under
Docs/serve-protocol.schema.json. Run by Tests/lodestoneTests/JupyterTests.swift."""

import json
import os
import subprocess
import sys

import support

SCHEMA = os.path.join(support.PACKAGE, "..", "..", "Docs", "serve-protocol.schema.json")

REQUESTS = [
    {"id": 1, "method": "info"},
    {"jsonrpc": "2.0", "id": 2, "method": "execute", "params": {"code": 'let m = model(trade)\nprint("hi")\nm.trade.ramp_months'}},
    {"id": 3, "method": "execute", "params": {"code": 'plot(run(m, scenario("x"), months: 6))\ntable({"a": [1]})'}},
    {"id": "four", "method": "execute", "params": {"code": "let y = nosuch", "name": "In[4]"}},
    {"id": 5, "method": "execute", "params": {"code": ":vars"}},
    {"id": 6, "method": "complete", "params": {"code": "m.tr", "cursor": 4}},
    {"id": 7, "method": "inspect", "params": {"code": "run(m", "cursor": 5}},
    {"id": 8, "method": "is_complete", "params": {"code": "run(m,"}},
    {"id": 9, "method": "interrupt"},
    {"id": 10, "method": "exeute"},
    {"id": 11, "method": "execute"},
    {"id": 12, "method": "shutdown"},
]


def main():
    try:
        import jsonschema
    except ImportError:
        print("skipped: the Python package jsonschema is not installed")
        return
    with open(SCHEMA) as file:
        schema = json.load(file)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    request_schema = {**schema, "oneOf": [{"$ref": "#/$defs/Request"}]}
    reply_schema = {**schema, "oneOf": [{"$ref": "#/$defs/Reply"}]}
    lines = "".join(json.dumps(r) + "\n" for r in REQUESTS) + "not json\n"
    for request in REQUESTS:
        if request["method"] == "exeute":  # deliberately unknown
            continue
        jsonschema.validate(request, request_schema, cls=jsonschema.Draft202012Validator)
    done = subprocess.run(
        [support.lodestone(), "serve", "--stdio"], input=lines, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(replies) == len(REQUESTS), done.stdout
    for reply in replies:
        validator.validate(reply)
        jsonschema.validate(reply, reply_schema, cls=jsonschema.Draft202012Validator)
    by_id = {reply["id"]: reply for reply in replies}
    assert by_id[10]["error"]["code"] == -32601 and by_id[11]["error"]["code"] == -32602, replies
    assert by_id["four"]["result"]["error"]["rendered"].startswith("In[4]:1:9: error:"), by_id["four"]
    # A bad request must not validate: the schema is not vacuous.
    for bad in [{"id": 1}, {"id": 1, "method": "execute", "params": {"cursor": -1}}, {"id": 1, "method": "run"}]:
        assert not jsonschema.Draft202012Validator(request_schema).is_valid(bad), bad
    bad_reply = {"jsonrpc": "2.0", "id": 1, "result": {"status": "fine", "executionCount": 1, "outputs": []}}
    assert not jsonschema.Draft202012Validator(reply_schema).is_valid(bad_reply)
    print(f"ok: {len(REQUESTS)} requests and {len(replies)} replies match the schema")


if __name__ == "__main__":
    sys.exit(main())
