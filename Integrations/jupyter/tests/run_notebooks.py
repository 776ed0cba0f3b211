"""Executes the workshop notebooks (Docs/Workshops/*/*.ipynb) with nbclient in the kernel
`lodestone`, each in a scratch copy of its pack, and checks that each still matches its script.
Run by Tests/lodestoneTests/JupyterTests.swift."""

import glob
import importlib.util
import os
import shutil
import sys
import tempfile
import time

import support

ROOT = os.path.abspath(os.path.join(support.PACKAGE, "..", ".."))


def generator():
    spec = importlib.util.spec_from_file_location("notebooks", os.path.join(ROOT, "Scripts", "make-workshop-notebooks.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    try:
        import nbclient
        import nbformat
    except ImportError:
        print("skipped: the Python packages nbclient and nbformat are not installed")
        return 0
    support.register_kernel()
    make = generator()
    notebooks = sorted(glob.glob(os.path.join(ROOT, "Docs", "Workshops", "*", "*.ipynb")))
    assert len(notebooks) == len(make.scripts()) == 4, (notebooks, make.scripts())
    failures = 0
    for path in notebooks:
        relative = os.path.relpath(path, ROOT)
        script = path[: -len(".ipynb")] + ".lode"
        with open(path, encoding="utf-8") as file:
            if file.read() != make.text_of(make.notebook(script)):
                print(f"FAIL: {relative} does not match {os.path.basename(script)}: run python3 Scripts/make-workshop-notebooks.py")
                failures += 1
                continue
        scratch = tempfile.mkdtemp(prefix="lodestone-notebook-")
        pack = os.path.join(scratch, "pack")
        shutil.copytree(os.path.dirname(path), pack)
        # The report and chart the pack ships are removed, so that the notebook must write them.
        for name in os.listdir(pack):
            if name.endswith((".html", ".svg")):
                os.remove(os.path.join(pack, name))
        notebook = nbformat.read(os.path.join(pack, os.path.basename(path)), as_version=4)
        started = time.monotonic()
        try:
            nbclient.NotebookClient(
                notebook, kernel_name="lodestone", timeout=600, resources={"metadata": {"path": pack}}
            ).execute()
        except nbclient.exceptions.CellExecutionError as error:
            print(f"FAIL: {relative}: {error}")
            failures += 1
            continue
        code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        errors = [o for cell in code_cells for o in cell.outputs if o.output_type == "error"]
        shown = sum(len(cell.outputs) for cell in code_cells)
        images = sum(1 for cell in code_cells for o in cell.outputs if "image/svg+xml" in o.get("data", {}))
        written = sorted(name for name in os.listdir(pack) if name.endswith((".html", ".svg")))
        if errors or shown == 0:
            print(f"FAIL: {relative}: {len(errors)} errors, {shown} outputs")
            failures += 1
            continue
        print(
            f"ok: {relative}: {len(code_cells)} code cells, {shown} outputs, {images} inline charts, "
            f"wrote {', '.join(written)} in {time.monotonic() - started:.1f} s"
        )
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
