"""Where llmc's tools are: the plugin inside this package and LLVM 19's binaries."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

LLVM_MAJOR = 19
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
DEFAULT_MODEL = DATA_DIR / "model.onnx"
# The module as the plugin sees it inside clang -Oz: clang's frontend output before
# any LLVM pass (the corpus, predict and the tests all compile C this way).
FRONTEND_FLAGS = ("-Oz", "-Xclang", "-disable-llvm-passes", "-emit-llvm")


def xdg_home(kind: str) -> Path:
    """$XDG_DATA_HOME or $XDG_CACHE_HOME (kind "data"/"cache") when absolute, else the
    spec's default under the home directory; the plugin's C++ follows the same rule."""
    variable, default = {
        "data": ("XDG_DATA_HOME", ".local/share"),
        "cache": ("XDG_CACHE_HOME", ".cache"),
    }[kind]
    value = os.environ.get(variable, "")
    return Path(value) if value.startswith("/") else Path.home() / default


# Where training work lives (sources, corpus bitcode, search results): large and
# rebuildable, so outside the package. LLMC_DATA_DIR, else the XDG data home.
WORK_DIR = Path(os.environ.get("LLMC_DATA_DIR") or xdg_home("data") / "llmc")


def plugin_path() -> Path:
    """The installed libllmc.so (``LLMC_PLUGIN`` overrides, for development trees)."""
    override = os.environ.get("LLMC_PLUGIN")
    if override:
        return Path(override)
    return PACKAGE_DIR / "lib" / "libllmc.so"


def tool(name: str) -> str:
    """Path of an LLVM 19 tool (``clang``, ``opt``, ``llc``, ``llvm-size``...).

    Debian installs ``opt-19`` on PATH and the plain names under
    /usr/lib/llvm-19/bin; either is fine, any other major is not.
    """
    for candidate in (f"{name}-{LLVM_MAJOR}", f"/usr/lib/llvm-{LLVM_MAJOR}/bin/{name}"):
        found = shutil.which(candidate)
        if found:
            return found
    raise FileNotFoundError(
        f"{name}-{LLVM_MAJOR} not found: install Debian's clang-{LLVM_MAJOR} and "
        f"llvm-{LLVM_MAJOR}-tools (README, command 1 does it)"
    )
