"""What the kernel tests share: the kernelspec in a scratch folder, the lodestone executable."""

import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)
sys.path.insert(0, PACKAGE)

from lodestone_kernel import install  # noqa: E402


def lodestone():
    """The executable under test: $LODESTONE (the Swift tests set it)."""
    path = os.environ.get("LODESTONE")
    if not path or not os.access(path, os.X_OK):
        sys.exit("set LODESTONE to the lodestone executable")
    return path


def register_kernel():
    """Installs the kernelspec `lodestone` under a scratch prefix and points Jupyter at it; the
    kernel runs this folder's package (PYTHONPATH), so it needs no pip install."""
    prefix = tempfile.mkdtemp(prefix="lodestone-kernel-")
    install.install(prefix=prefix, lodestone=lodestone())
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    os.environ["PYTHONPATH"] = PACKAGE + os.pathsep + os.environ.get("PYTHONPATH", "")
    return prefix
