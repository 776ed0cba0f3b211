"""Registers the kernelspec `lodestone`: `python -m lodestone_kernel.install [--user | --sys-prefix |
--prefix DIR] [--lodestone PATH]`."""

import argparse
import json
import os
import sys
import tempfile

from jupyter_client.kernelspec import KernelSpecManager

KERNEL_NAME = "lodestone"


def kernel_spec(lodestone=None):
    """The kernel.json: this Python runs the kernel; `lodestone` (a path) is the executable it starts."""
    spec = {
        "argv": [sys.executable, "-m", "lodestone_kernel", "-f", "{connection_file}"],
        "display_name": "Lodestone",
        "language": "lode",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }
    if lodestone:
        spec["env"] = {"LODESTONE": os.path.abspath(lodestone)}
    return spec


def install(user=False, prefix=None, lodestone=None):
    """Installs the kernelspec; returns the folder it went to."""
    with tempfile.TemporaryDirectory() as directory:
        with open(os.path.join(directory, "kernel.json"), "w") as file:
            json.dump(kernel_spec(lodestone), file, indent=2)
        return KernelSpecManager().install_kernel_spec(directory, KERNEL_NAME, user=user, prefix=prefix)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Register the Lodestone kernel with Jupyter.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="for the current user (the default)")
    where.add_argument("--sys-prefix", action="store_true", help="in this Python's prefix (a virtual environment)")
    where.add_argument("--prefix", help="under this prefix (PREFIX/share/jupyter/kernels)")
    parser.add_argument("--lodestone", help="the lodestone executable the kernel starts (default: $LODESTONE or PATH)")
    arguments = parser.parse_args(argv)
    if arguments.lodestone and not os.access(arguments.lodestone, os.X_OK):
        parser.error(f"{arguments.lodestone} is not an executable; build it first (make release)")
    prefix = sys.prefix if arguments.sys_prefix else arguments.prefix
    folder = install(user=prefix is None, prefix=prefix, lodestone=arguments.lodestone)
    print(f"installed the kernelspec `{KERNEL_NAME}` in {folder}")


if __name__ == "__main__":
    main()
