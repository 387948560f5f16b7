"""The ranking server: one warm Python that ranks for every compiler process.

Starting Python and importing numpy and onnxruntime costs a compiler process
0.15-0.2 s, as much as trying the candidates; under
``make`` every translation unit paid it again. The plugin therefore asks a
server on a Unix socket first (``plugin/BridgeClient.cpp``), started on
demand by ``plugin/PyBridge.cpp`` with the same isolated interpreter and
search path as the embedded one, and ranks in-process only when no server
answers. Both paths call :func:`pybridge.rank`, so they decide alike.

Protocol, one connection per module (all integers little-endian)::

    request  MAGIC, u32 header length, header JSON (k, model_path),
             u64 bitcode length, bitcode
    reply    frames of u8 field, u32 length, UTF-8 text, then u8 END

The fields are the bridge ABI's (``plugin/BridgeABI.h``, checked by
``tests/python/test_server.py``), in the order the embedded bridge emits them.

Trust: the socket lives in a directory only its user can enter (the plugin
checks, and so does :func:`serve`), and connections from another uid are
closed unanswered. The server reads nothing from the build's working
directory (it runs in ``/``), writes nothing but its socket and lock, and
exits after ``IDLE_SECONDS`` without a request. Language models are not
served: generation may take seconds and would hold up every other compile.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import stat
import struct
import sys
from typing import Any

MAGIC = b"LLMC-RANK 1\n"
IDLE_SECONDS = 60.0
IO_TIMEOUT = 10.0  # a client that stalls mid-request is dropped
MAX_HEADER = 1 << 16
MAX_BITCODE = 1 << 30

# plugin/BridgeABI.h's LLMCBridgeField, plus the end of a reply.
PIPELINE, ERROR, MODEL_ID, REJECTED, NOTE = 0, 1, 2, 3, 4
END = 255


class ProtocolError(Exception):
    """A request that does not follow the protocol."""


def reply_frames(reply: dict[str, Any]) -> list[tuple[int, str]]:
    """``pybridge.rank``'s reply as bridge fields, in the embedded bridge's order."""
    frames = [(PIPELINE, p) for p in reply["pipelines"]]
    frames += [(REJECTED, f"{p}\t{_first_line(why)}") for p, why in reply["rejected"]]
    frames += [(NOTE, _first_line(n)) for n in reply["notes"]]
    if reply["error"]:
        frames.append((ERROR, _first_line(reply["error"])))
    frames.append((MODEL_ID, reply["model"]))
    return frames


def encode_reply(frames: list[tuple[int, str]]) -> bytes:
    out = bytearray()
    for field, text in frames:
        data = text.encode("utf-8", "replace")
        out += struct.pack("<BI", field, len(data)) + data
    out += struct.pack("<B", END)
    return bytes(out)


def encode_request(k: int, model_path: str, bitcode: bytes) -> bytes:
    """What the plugin sends (``plugin/BridgeClient.cpp``); here for tests."""
    header = json.dumps({"k": k, "model_path": model_path}).encode()
    sizes = struct.pack("<I", len(header)), struct.pack("<Q", len(bitcode))
    return MAGIC + sizes[0] + header + sizes[1] + bitcode


def read_request(conn: socket.socket) -> dict[str, Any]:
    if _read_exact(conn, len(MAGIC)) != MAGIC:
        raise ProtocolError("bad magic")
    (size,) = struct.unpack("<I", _read_exact(conn, 4))
    if size > MAX_HEADER:
        raise ProtocolError("header too large")
    header = json.loads(_read_exact(conn, size))
    if not isinstance(header, dict):
        raise ProtocolError("header is not an object")
    (size,) = struct.unpack("<Q", _read_exact(conn, 8))
    if size > MAX_BITCODE:
        raise ProtocolError("module too large")
    return {
        "bitcode": _read_exact(conn, size),
        "ir_text": "",
        "k": int(header["k"]),
        "model_path": str(header.get("model_path", "")),
        "lm_path": "",
        "lm_budget_ms": 0,
    }


def answer(conn: socket.socket) -> None:
    """Serve one connection; the caller has checked the peer."""
    from pybridge import rank

    conn.settimeout(IO_TIMEOUT)
    try:
        request = read_request(conn)
    except (ProtocolError, ValueError, KeyError, TypeError) as exc:
        error = f"ranking server: bad request ({exc})"
        conn.sendall(encode_reply([(ERROR, error), (MODEL_ID, "")]))
        return
    try:
        frames = reply_frames(rank(request))
    except Exception as exc:  # rank never raises, but a replaced pybridge may
        frames = [(ERROR, _first_line(f"Python: {type(exc).__name__}: {exc}")), (MODEL_ID, "")]
    conn.sendall(encode_reply(frames))


def private_directory(path: str) -> bool:
    """A real directory (no symlink) owned by us that nobody else may enter."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


def peer_uid(conn: socket.socket) -> int:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def serve(socket_path: str, idle_seconds: float = IDLE_SECONDS) -> int:
    """Bind ``socket_path`` unless a live server holds it, then answer until idle."""
    if not os.path.isabs(socket_path) or not private_directory(os.path.dirname(socket_path)):
        return 2
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        lock = os.open(socket_path + ".lock", flags, 0o600)
    except OSError:  # a symlink planted there, or worse
        return 2
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return 0  # another server owns this socket (or is starting)
    _warm_up()
    # Bound and listening under a temporary name, then renamed over whatever a
    # dead server left (we hold the lock): clients never meet a socket that
    # refuses them because it is not listening yet.
    fresh = f"{socket_path}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(fresh)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(fresh)
    os.chmod(fresh, 0o600)
    listener.listen(128)
    os.rename(fresh, socket_path)
    listener.settimeout(idle_seconds)
    me = os.getuid()
    code = code_fingerprint()
    try:
        while True:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                return 0
            with conn:
                if code_fingerprint() != code:
                    # pybridge changed under us (an edit, a reinstall, another
                    # package on LLMC_PYTHONPATH): unanswered, the client ranks
                    # in-process, and the next one starts a current server.
                    _unlink(socket_path)
                    return 0
                try:
                    if peer_uid(conn) == me:
                        answer(conn)
                except OSError:
                    pass  # the client went away; it ranks in-process
    finally:
        # Unlink before the lock goes, so we never unlink a successor's socket.
        _unlink(socket_path)
        listener.close()
        os.close(lock)


def code_fingerprint() -> tuple[object, ...]:
    """Which pybridge a fresh interpreter would import, and its files' mtimes."""
    for entry in sys.path:
        package = os.path.join(entry, "pybridge")
        if os.path.isfile(os.path.join(package, "__init__.py")):
            break
    else:
        return ()
    stamps: list[object] = [package]
    for folder in (package, os.path.join(package, "data")):
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            stamps += sorted((e.name, e.stat().st_mtime_ns) for e in entries if e.is_file())
    return tuple(stamps)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m pybridge.server SOCKET", file=sys.stderr)
        return 2
    os.chdir("/")  # nothing of the build's working directory, ever
    return serve(args[0])


def _warm_up() -> None:
    """Import what every ranking needs before the first client connects."""
    try:
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401

        import pybridge.advisor
        import pybridge.features
        import pybridge.model  # noqa: F401
    except Exception:  # a broken install answers each request with its error
        pass


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _read_exact(conn: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = conn.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise ProtocolError("connection closed mid-request")
        chunks += chunk
    return bytes(chunks)


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


if __name__ == "__main__":
    sys.exit(main())
