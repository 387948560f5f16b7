"""pybridge: the Python half of llmc.

The plugin (``libllmc.so``) calls exactly one function here, :func:`rank`, from
its single bridge file ``plugin/PyBridge.cpp``. Everything else in this package
serves that call, the ``llmc`` command line, or training.

Imports are lazy on purpose: every compiler process that reaches a decision
pays for numpy/llvmlite/onnxruntime, and none that does not.
"""

from __future__ import annotations

__all__ = ["rank"]


def rank(bitcode: bytes, k: int, model_path: str) -> tuple[list[str], str, str]:
    """Rank candidate pipelines for one module.

    ``bitcode`` is the module as the plugin sees it (LLVM 19 bitcode), ``k`` the
    number of candidates wanted, ``model_path`` the model file ("" means the
    shipped default). Returns ``(pipelines, error, model_id)``: at most ``k``
    allow-listed new-pass-manager pipeline strings, best first; ``error`` is ""
    on success or one line saying why there are no candidates. Never raises:
    errors are values at this boundary.
    """
    try:
        from pybridge.advisor import advise

        return advise(bitcode, k, model_path)
    except Exception as exc:  # noqa: BLE001 - the boundary turns everything into a value
        return [], f"{type(exc).__name__}: {exc}".splitlines()[0], ""
