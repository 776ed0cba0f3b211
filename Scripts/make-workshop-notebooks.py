#!/usr/bin/env python3
"""Writes a Jupyter notebook beside each workshop script (Docs/Workshops/*/NAME.lode → NAME.ipynb).

The notebook is the script cut at its `# --- Title ---` lines: the opening comment becomes a
Markdown cell, each section a heading and a code cell, for the kernel `lodestone` (make jupyter).
Outputs are not stored: run the notebook to see them. Rerun this after changing a workshop
script; the kernel's tests check that every notebook matches its script and runs without error.

    python3 Scripts/make-workshop-notebooks.py          # write the notebooks
    python3 Scripts/make-workshop-notebooks.py --check  # exit 1 if one is out of date
"""

import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTION = re.compile(r"^# -+ (.*?) -*$")


def markdown(text, index):
    return {"cell_type": "markdown", "id": f"md-{index}", "metadata": {}, "source": lines(text)}


def code(text, index):
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": f"code-{index}",
        "metadata": {},
        "outputs": [],
        "source": lines(text),
    }


def lines(text):
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def notebook(script_path):
    """The notebook for one workshop script, as a JSON-ready dict."""
    with open(script_path, encoding="utf-8") as file:
        source = file.read().rstrip("\n").split("\n")
    name = os.path.basename(script_path)
    # The opening comment: the workshop's title and question.
    header = []
    while source and source[0].startswith("#"):
        header.append(source.pop(0)[2:] if source[0].startswith("# ") else source.pop(0)[1:])
    title, *intro = header or [name]
    intro_text = "\n".join(intro).strip()
    # The script's advice on running it from the command line does not apply here.
    intro_text = re.sub(r"\n*Run it from this folder.*", "", intro_text, flags=re.S).strip()
    cells = [
        markdown(
            f"# {title}\n\n{intro_text}\n\n"
            f"This notebook runs the code of [`{name}`]({name}), section by section, in the Lodestone kernel "
            "(`make jupyter` installs it; see Docs/Integration.md). It writes the report and the chart next to "
            "the notebook, as the script does.",
            0,
        )
    ]
    section = []

    def flush():
        text = "\n".join(section).strip("\n")
        if text:
            cells.append(code(text, len(cells)))
        section.clear()

    for line in source:
        match = SECTION.match(line)
        if match:
            flush()
            cells.append(markdown(f"## {match.group(1)}", len(cells)))
        else:
            section.append(line)
    flush()
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Lodestone", "language": "lode", "name": "lodestone"},
            "language_info": {
                "file_extension": ".lode",
                "mimetype": "text/x-lode",
                "name": "lode",
                "pygments_lexer": "lode",
            },
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def code_of(notebook_dict):
    """The code cells of a notebook, joined: what the tests compare with the script."""
    return "\n".join("".join(cell["source"]) for cell in notebook_dict["cells"] if cell["cell_type"] == "code")


def scripts():
    return sorted(glob.glob(os.path.join(ROOT, "Docs", "Workshops", "*", "*.lode")))


def text_of(notebook_dict):
    return json.dumps(notebook_dict, indent=1, ensure_ascii=False) + "\n"


def main(argv):
    check = "--check" in argv
    stale = []
    for script in scripts():
        target = script[: -len(".lode")] + ".ipynb"
        wanted = text_of(notebook(script))
        current = open(target, encoding="utf-8").read() if os.path.exists(target) else None
        if current == wanted:
            continue
        if check:
            stale.append(os.path.relpath(target, ROOT))
        else:
            with open(target, "w", encoding="utf-8") as file:
                file.write(wanted)
            print("wrote", os.path.relpath(target, ROOT))
    if stale:
        print("out of date (run python3 Scripts/make-workshop-notebooks.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
