"""The ranking server: one warm Python that ranks for every compiler process.

Starting Python and importing numpy and onnxruntime costs a compiler process
0.15-0.2 s, as much as trying the candidates; under
``make`` every translation unit paid it again. The plugin therefore asks a
server on a Unix socket first (``plugin/BridgeClient.cpp``), started on
demand by ``plugin/PyBridge.cpp`` with the same isolated interpreter and
search path as the embedded one, and ranks in a child process only when no
server answers. Both paths answer with :func:`pybridge.rank_json`, so they
decide alike and say it in the same bytes.

Protocol, one connection per module (all integers little-endian)::

    request  MAGIC, u32 header length, header JSON (k, model_path),
             u64 bitcode length, bitcode
    reply    u32 length, then that many bytes: pybridge.rank_json's reply

Bounds: a whole request must arrive within ``REQUEST_SECONDS`` (one deadline,
not one per read), or the connection is dropped; up to ``MAX_CLIENTS``
connections are read at once, each by one of as many threads, so a client that
trickles its request holds up nobody else; ranking itself (milliseconds) runs
one module at a time, as LLVM's context in llvmlite is not thread-safe. One
inference may take ``pybridge.model.INFERENCE_SECONDS``; a model that overruns
it is refused for the rest of the server's life. Memory: :func:`main` limits
the server's data (``RLIMIT_DATA``) to what it holds warm plus
``DATA_HEADROOM``, so a model that allocates without bound gets an error
reply and the server lives. Any failure to decode a request is an error
reply; nothing a client sends ends the server.

Trust: the socket lives in a directory only its user can enter (the plugin
checks, and so does :func:`serve`, through a descriptor of that directory:
the socket is bound as ``/proc/self/fd/N/NAME``, so the directory's path may
be of any length), and connections from another uid are closed unanswered.
The server reads nothing from the build's working directory (it runs in
``/``), writes nothing but its socket and lock, and exits after
``IDLE_SECONDS`` without a request. Language models are not served:
generation may take seconds and would hold up every other compile.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import queue
import resource
import socket
import stat
import struct
import sys
import threading
import time
from typing import Any

MAGIC = b"LLMC-RANK 2\n"
IDLE_SECONDS = 60.0
REQUEST_SECONDS = 10.0  # one deadline for a whole request; ranking takes ms
MAX_CLIENTS = 16
MAX_HEADER = 1 << 20  # a local-search request carries the pipelines measured so far
MAX_BITCODE = 1 << 30
MAX_K = 1 << 10  # more than any table holds (pybridge.model.MAX_CANDIDATES)
# Measured (VmData): a warm server holds about 0.1 GiB; ranking a 7.5 MB module
# of 20,000 functions adds 0.22 GiB. 1e9 floats (4 GB) do not fit.
DATA_HEADROOM = 2 << 30

_RANK_LOCK = threading.Lock()


class ProtocolError(Exception):
    """A request that does not follow the protocol."""


def encode_request(k: int, model_path: str, bitcode: bytes, search: str = "") -> bytes:
    """What the plugin sends (``plugin/BridgeClient.cpp``); here for tests."""
    fields: dict[str, Any] = {"k": k, "model_path": model_path}
    if search:
        fields["search"] = search
    header = json.dumps(fields).encode()
    sizes = struct.pack("<I", len(header)), struct.pack("<Q", len(bitcode))
    return MAGIC + sizes[0] + header + sizes[1] + bitcode


def frame(reply: bytes) -> bytes:
    """A reply as the server sends it."""
    return struct.pack("<I", len(reply)) + reply


def _no_constant(name: str) -> Any:
    raise ProtocolError(f"{name} is not JSON")


def decode_header(data: bytes) -> tuple[int, str, str]:
    """``(k, model_path, search)`` of a request header; ProtocolError (or another) when bad."""
    header = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    if not isinstance(header, dict):
        raise ProtocolError("header is not an object")
    k, model_path = header.get("k"), header.get("model_path", "")
    if type(k) is not int or k < 1:
        raise ProtocolError("k must be a positive integer")
    if not isinstance(model_path, str) or "\0" in model_path:
        raise ProtocolError("model_path must be a string")
    search = header.get("search", "")
    if not isinstance(search, str):
        raise ProtocolError("search must be a string")
    return min(k, MAX_K), model_path, search  # no table holds more than MAX_K


def read_request(conn: socket.socket, deadline: float) -> dict[str, Any]:
    def read(size: int) -> bytes:
        return _read_exact(conn, size, deadline)

    if read(len(MAGIC)) != MAGIC:
        raise ProtocolError("bad magic")
    (size,) = struct.unpack("<I", read(4))
    if size > MAX_HEADER:
        raise ProtocolError("header too large")
    k, model_path, search = decode_header(read(size))
    (size,) = struct.unpack("<Q", read(8))
    if size > MAX_BITCODE:
        raise ProtocolError("module too large")
    return {
        "bitcode": read(size),
        "ir_text": "",
        "k": k,
        "model_path": model_path,
        "lm_path": "",
        "lm_budget_ms": 0,
        "search": search,
    }


def answer(conn: socket.socket, request_seconds: float = REQUEST_SECONDS) -> None:
    """Serve one connection; the caller has checked the peer. Raises only OSError."""
    from pybridge import error_json, rank_json

    deadline = time.monotonic() + request_seconds
    try:
        request = read_request(conn, deadline)
    except OSError:
        raise
    except Exception as exc:  # whatever a request holds, the answer is a reply
        reply = error_json(f"ranking server: bad request ({_describe(exc)})")
    else:
        try:
            with _RANK_LOCK:
                reply = rank_json(request)
        except Exception as exc:  # rank_json never raises, but a replaced pybridge may
            reply = error_json(f"Python: {_describe(exc)}")
        if not isinstance(reply, bytes):
            reply = error_json("Python: rank_json did not return bytes")
    conn.settimeout(max(1.0, deadline - time.monotonic()))
    conn.sendall(frame(reply))


def private_directory(path: str) -> bool:
    """A real directory (no symlink) owned by us that nobody else may enter."""
    fd = open_private_directory(path)
    if fd is None:
        return False
    os.close(fd)
    return True


def open_private_directory(path: str) -> int | None:
    """A descriptor of ``path`` when it is a private directory of ours (checked on it)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077:
        return fd
    os.close(fd)
    return None


def peer_uid(conn: socket.socket) -> int:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def serve(socket_path: str, idle_seconds: float = IDLE_SECONDS, limit_memory: bool = False) -> int:
    """Bind ``socket_path`` unless a live server holds it, then answer until idle."""
    if not os.path.isabs(socket_path):
        return 2
    home, name = os.path.split(socket_path)
    dir_fd = open_private_directory(home)
    if dir_fd is None or not name:
        return 2
    try:
        return _serve(dir_fd, name, idle_seconds, limit_memory)
    finally:
        os.close(dir_fd)


def _serve(dir_fd: int, name: str, idle_seconds: float, limit_memory: bool) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        lock = os.open(name + ".lock", flags, 0o600, dir_fd=dir_fd)
    except OSError:  # a symlink planted there, or worse
        return 2
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        return 0  # another server owns this socket (or is starting)
    _warm_up()
    if limit_memory:
        limit_data(DATA_HEADROOM)
    # Bound and listening under a temporary name, then renamed over whatever a
    # dead server left (we hold the lock): clients never meet a socket that
    # refuses them because it is not listening yet. Through the directory's
    # descriptor: sun_path holds 108 bytes, a checkout's path may not.
    fresh = f"{name}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(fresh, dir_fd=dir_fd)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(f"/proc/self/fd/{dir_fd}/{fresh}")
    os.chmod(fresh, 0o600, dir_fd=dir_fd)
    listener.listen(128)
    os.rename(fresh, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    listener.settimeout(idle_seconds)
    me = os.getuid()
    code = code_fingerprint()
    slots = threading.BoundedSemaphore(MAX_CLIENTS)
    busy = _Counter()
    # A pool, not a thread per connection: starting one costs 0.1-0.7 ms.
    pending: queue.SimpleQueue[socket.socket] = queue.SimpleQueue()
    for _ in range(MAX_CLIENTS):
        worker = threading.Thread(target=_worker, args=(pending, me, slots, busy), daemon=True)
        worker.start()
    try:
        while True:
            slots.acquire()
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                slots.release()
                if busy.value:
                    continue
                return 0
            if code_fingerprint() != code:
                # pybridge changed under us (an edit, a reinstall, another
                # package on LLMC_PYTHONPATH): unanswered, the client ranks
                # in-process, and the next one starts a current server.
                _unlink(name, dir_fd)  # before the client sees its connection close
                conn.close()
                slots.release()
                return 0
            busy.add(1)
            pending.put(conn)
    finally:
        # Unlink before the lock goes, so we never unlink a successor's socket.
        _unlink(name, dir_fd)
        listener.close()
        os.close(lock)


class _Counter:
    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def add(self, n: int) -> None:
        with self._lock:
            self.value += n


def _worker(
    pending: queue.SimpleQueue[socket.socket],
    me: int,
    slots: threading.BoundedSemaphore,
    busy: _Counter,
) -> None:
    while True:
        conn = pending.get()
        try:
            with conn:
                if peer_uid(conn) == me:
                    answer(conn)
        except OSError:
            pass  # the client went away or stalled; it ranks in-process
        except Exception:  # answer() turns errors into replies; never lose a worker
            pass
        finally:
            busy.add(-1)
            slots.release()


def limit_data(headroom: int) -> None:
    """Limit this process's data (heap and private mappings) to what it uses plus headroom."""
    used = 0
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                used = int(line.split()[1]) * 1024
    if used:
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = used + headroom
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


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
    return serve(args[0], limit_memory=True)


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


def _unlink(name: str, dir_fd: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name, dir_fd=dir_fd)


def _read_exact(conn: socket.socket, size: int, deadline: float) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ProtocolError("request not complete in time")
        conn.settimeout(left)
        try:
            chunk = conn.recv(min(size - len(chunks), 1 << 20))
        except TimeoutError:
            raise ProtocolError("request not complete in time") from None
        if not chunk:
            raise ProtocolError("connection closed mid-request")
        chunks += chunk
    return bytes(chunks)


def _describe(exc: BaseException) -> str:
    lines = str(exc).splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
