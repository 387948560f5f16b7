"""pybridge.server: the protocol, the same answers as in-process, and its trust rules."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import hostile_model

import pybridge
from pybridge import server


def decode(reply: bytes) -> dict[str, object]:
    """One reply frame: u32 length, then pybridge.rank_json's JSON."""
    (size,) = struct.unpack_from("<I", reply)
    assert len(reply) == 4 + size, "bytes after the end of the reply"
    value = json.loads(reply[4:])
    assert value["version"] == pybridge.REPLY_VERSION
    return value


@pytest.fixture
def running(tmp_path: Path) -> Iterator[str]:
    """A server on a socket in a private directory, in a thread; its path.

    List it last among a test's fixtures: it stops after a second without
    requests.
    """
    home = tmp_path / "srv"
    home.mkdir(mode=0o700)
    path = str(home / "rank.sock")
    thread = threading.Thread(target=server.serve, args=(path, 1.0), daemon=True)
    thread.start()
    for _ in range(1000):
        if os.path.exists(path):
            break
        threading.Event().wait(0.01)
    yield path
    thread.join(10)
    assert not thread.is_alive()
    assert not os.path.exists(path)


def ask(path: str, payload: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(20)
        conn.connect(path)
        try:
            conn.sendall(payload)
            conn.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):  # closed unread
            pass
        return read_all(conn)


def read_all(conn: socket.socket) -> bytes:
    """Everything until EOF, or until a reset (the server closed with our bytes unread)."""
    chunks = []
    with contextlib.suppress(ConnectionResetError):
        while chunk := conn.recv(1 << 16):
            chunks.append(chunk)
    return b"".join(chunks)


def test_server_answers_like_rank(
    bitcode: dict[str, bytes], good_model: Path, running: str
) -> None:
    for name, module in bitcode.items():
        got = ask(running, server.encode_request(3, str(good_model), module))
        request = {"bitcode": module, "k": 3, "model_path": str(good_model), "lm_path": ""}
        # The very bytes the embedded bridge forwards.
        assert got == server.frame(pybridge.rank_json(request)), name
        assert decode(got)["pipelines"], name


def test_server_answers_a_search_like_rank(running: str) -> None:
    search = json.dumps({"seed": 3, "evaluated": [["default<Oz>", 100]]})
    got = ask(running, server.encode_request(4, "", b"", search))
    assert got == server.frame(pybridge.rank_json({"search": search, "k": 4, "bitcode": b""}))
    assert len(decode(got)["pipelines"]) == 4
    reply = decode(ask(running, header(b'{"k": 1, "search": 5}')))
    assert "bad request" in reply["error"] and reply["pipelines"] == []


def test_errors_are_replies_and_the_server_goes_on(
    bitcode: dict[str, bytes], corrupt_model: Path, good_model: Path, running: str
) -> None:
    reply = decode(ask(running, server.encode_request(2, str(corrupt_model), bitcode["hello"])))
    assert "not a valid ONNX model" in reply["error"]
    assert reply["pipelines"] == []

    ask(running, b"GET / HTTP/1.0\r\n\r\n")  # not ours: an error reply or none
    for junk in (server.MAGIC + struct.pack("<I", 1 << 30), server.MAGIC[:4]):
        reply = decode(ask(running, junk))  # too large, cut short
        assert "bad request" in reply["error"] and reply["pipelines"] == []

    reply = decode(ask(running, server.encode_request(2, str(good_model), bitcode["hello"])))
    assert len(reply["pipelines"]) == 2


def test_other_users_get_no_answer(
    bitcode: dict[str, bytes], good_model: Path, monkeypatch: pytest.MonkeyPatch, running: str
) -> None:
    monkeypatch.setattr(server, "peer_uid", lambda conn: os.getuid() + 1)
    assert ask(running, server.encode_request(2, str(good_model), bitcode["hello"])) == b""


def test_second_server_leaves_the_socket_to_the_first(running: str) -> None:
    assert server.serve(running, 1.0) == 0
    assert os.path.exists(running)


def test_refuses_a_directory_others_may_enter(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    assert server.serve(str(shared / "rank.sock"), 1.0) == 2
    assert not list(shared.iterdir())

    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    planted = tmp_path / "planted"
    planted.symlink_to(private)
    assert server.serve(str(planted / "rank.sock"), 1.0) == 2
    assert not list(private.iterdir())


def test_refuses_a_relative_socket_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "srv").mkdir(mode=0o700)
    monkeypatch.chdir(tmp_path)
    assert server.serve("srv/rank.sock", 1.0) == 2
    assert not list((tmp_path / "srv").iterdir())


def test_lock_file_never_follows_a_symlink(tmp_path: Path) -> None:
    home = tmp_path / "srv"
    home.mkdir(mode=0o700)
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    (home / "rank.sock.lock").symlink_to(victim)
    assert server.serve(str(home / "rank.sock"), 1.0) == 2
    assert victim.read_text() == "keep me\n"


def test_idle_server_exits_and_removes_its_socket(tmp_path: Path) -> None:
    home = tmp_path / "srv"
    home.mkdir(mode=0o700)
    path = home / "rank.sock"
    assert server.serve(str(path), 0.2) == 0
    assert not path.exists()


def test_a_changed_pybridge_ends_the_server(
    bitcode: dict[str, bytes], good_model: Path, monkeypatch: pytest.MonkeyPatch, running: str
) -> None:
    reply = decode(ask(running, server.encode_request(1, str(good_model), bitcode["hello"])))
    assert len(reply["pipelines"]) == 1 and reply["error"] == ""
    monkeypatch.setattr(server, "code_fingerprint", lambda: ("edited",))
    # Unanswered: the plugin ranks this module in-process and starts a new server.
    assert ask(running, server.encode_request(1, str(good_model), bitcode["hello"])) == b""
    assert not os.path.exists(running)


def test_fingerprint_sees_edits() -> None:
    before = server.code_fingerprint()
    assert before and before[0] == os.path.dirname(pybridge.__file__)
    names = [n for n, _ in before[1:]]
    assert "advisor.py" in names and "model.onnx" in names


GOLDEN = Path(__file__).resolve().parents[1] / "lit" / "Inputs" / "golden-reply.json"
# What pybridge.rank returned for the golden reply; tests/lit/reply-format.c
# holds the plugin's decoder to the same bytes.
GOLDEN_REPLY = {
    "pipelines": ["function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)", "function(sroa)"],
    "rejected": [
        ("no-such-pass", "unknown pass no-such-pass"),
        ("module(dot-cfg)", 'writes "files"\n  second line'),
    ],
    "notes": [
        'quotes " backslash \\ slash / unicode \u00e9 \u4e2d \U0001f600',
        "tab\there",
        "lm (onnx, -): no pipeline",
    ],
    "error": "",
    "model": "0123456789abcdef",
}


def test_golden_reply_is_what_python_writes() -> None:
    assert pybridge.reply_json(GOLDEN_REPLY) + b"\n" == GOLDEN.read_bytes()


def test_reply_is_one_line_strings_and_bounded() -> None:
    value = json.loads(
        pybridge.reply_json({"error": "a\r\nb", "pipelines": ["x"], "notes": ["\0"]})
    )
    assert value == {
        "version": 1,
        "pipelines": [],  # an error reply has no candidates
        "rejected": [],
        "notes": [" "],
        "error": "a",
        "model": "",
    }
    huge = pybridge.reply_json({"notes": ["x" * pybridge.MAX_REPLY_BYTES]})
    assert len(huge) < 1000 and "larger than" in json.loads(huge)["error"]


def header(text: bytes) -> bytes:
    return server.MAGIC + struct.pack("<I", len(text)) + text + struct.pack("<Q", 0)


@pytest.mark.parametrize(
    "text",
    [
        b'{"k": Infinity}',
        b'{"k": NaN, "model_path": ""}',
        b'{"k": 1e400}',
        b'{"k": true}',
        b'{"k": 2, "model_path": 7}',
        b'{"k": 2, "model_path": "a\\u0000b"}',
        b'{"k": ' + b"9" * 5000 + b"}",
        b"[" * 32000,
        b'{"k": [' + b"[" * 32000 + b"]}",
        b"\xff\xfe",
        b"[]",
    ],
)
def test_hostile_headers_are_error_replies(
    text: bytes, bitcode: dict[str, bytes], good_model: Path, running: str
) -> None:
    reply = decode(ask(running, header(text)))
    assert "bad request" in reply["error"] and reply["pipelines"] == []
    reply = decode(ask(running, server.encode_request(1, str(good_model), bitcode["hello"])))
    assert len(reply["pipelines"]) == 1  # and the server lives


def answer_bytes(data: bytes, monkeypatch: pytest.MonkeyPatch | None = None) -> bytes:
    """server.answer over a socket pair: the whole request is there, then EOF."""
    left, right = socket.socketpair()
    with left, right:
        right.settimeout(5)
        writer = threading.Thread(target=lambda: (right.sendall(data), right.shutdown(1)))
        writer.start()
        with contextlib.suppress(OSError):
            server.answer(left, request_seconds=5)
        writer.join()
        left.close()
        return read_all(right)


try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - the test extra installs it
    given = None

if given is not None:
    JSONS = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    )
    HEADERS = st.one_of(
        st.binary(max_size=200),
        JSONS.map(lambda v: json.dumps(v).encode()),
        st.dictionaries(st.sampled_from(["k", "model_path", "x"]), JSONS, max_size=3).map(
            lambda v: json.dumps(v).encode()
        ),
    )

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        head=HEADERS,
        body=st.binary(max_size=64),
        cut=st.integers(min_value=0, max_value=400),
        magic=st.sampled_from([server.MAGIC, b"LLMC-RANK 1\n", b""]),
    )
    def test_fuzz_any_request_gets_one_well_formed_reply(
        head: bytes, body: bytes, cut: int, magic: bytes, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # The model is the shipped one unless the header names another path.
        request = magic + struct.pack("<I", len(head)) + head + struct.pack("<Q", len(body)) + body
        reply = answer_bytes(request[: max(cut, len(request) - cut)])
        value = decode(reply)
        assert set(value) == {"version", "pipelines", "rejected", "notes", "error", "model"}
        assert value["error"] or value["pipelines"]
        assert all("\n" not in line for line in [value["error"], *value["notes"]])


def slow_client(path: str, stop: threading.Event) -> None:
    """Connects and sends a request one byte at a time, a byte every 0.3 s."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(path)
        for byte in server.MAGIC:
            if stop.wait(0.3):
                return
            with contextlib.suppress(OSError):
                conn.send(bytes([byte]))


def test_a_slow_client_holds_up_nobody(
    bitcode: dict[str, bytes], good_model: Path, running: str
) -> None:
    stop = threading.Event()
    slow = [threading.Thread(target=slow_client, args=(running, stop)) for _ in range(3)]
    for t in slow:
        t.start()
    try:
        time.sleep(0.2)
        for _ in range(3):
            start = time.monotonic()
            reply = decode(
                ask(running, server.encode_request(1, str(good_model), bitcode["hello"]))
            )
            assert reply["pipelines"] and time.monotonic() - start < 1.0
    finally:
        stop.set()
        for t in slow:
            t.join()


def test_one_deadline_for_the_whole_request(monkeypatch: pytest.MonkeyPatch) -> None:
    # A byte every 0.2 s never lets one recv time out; the request's deadline ends it.
    left, right = socket.socketpair()
    stop = threading.Event()

    def trickle() -> None:
        for byte in server.MAGIC * 10:
            if stop.wait(0.2):
                return
            with contextlib.suppress(OSError):
                right.send(bytes([byte]))

    writer = threading.Thread(target=trickle)
    writer.start()
    start = time.monotonic()
    with left:
        server.answer(left, request_seconds=1.0)
    took = time.monotonic() - start
    stop.set()
    writer.join()
    right.settimeout(1)
    reply = decode(right.recv(1 << 16))
    right.close()
    assert 1.0 <= took < 1.5
    assert "not complete in time" in reply["error"]


def test_a_socket_path_longer_than_sun_path(
    bitcode: dict[str, bytes], good_model: Path, tmp_path: Path
) -> None:
    home = tmp_path / ("d" * 60) / ("e" * 60) / ("f" * 60)
    home.mkdir(parents=True)
    home.chmod(0o700)
    path = str(home / "rank-0123456789abcdef.sock")
    assert len(path) > 200
    thread = threading.Thread(target=server.serve, args=(path, 1.0), daemon=True)
    thread.start()
    for _ in range(1000):
        if os.path.exists(path):
            break
        time.sleep(0.01)
    fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY)
    try:
        reply = decode(
            ask(
                f"/proc/self/fd/{fd}/{os.path.basename(path)}",
                server.encode_request(1, str(good_model), bitcode["hello"]),
            )
        )
    finally:
        os.close(fd)
    assert len(reply["pipelines"]) == 1
    thread.join(10)
    assert not os.path.exists(path)


def test_a_model_past_the_deadline_is_refused_from_then_on(
    bitcode: dict[str, bytes],
    good_model: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    running: str,
) -> None:
    from pybridge import model

    monkeypatch.setattr(model, "INFERENCE_SECONDS", 0.5)
    loop = hostile_model("loop", tmp_path / "loop.onnx")
    start = time.monotonic()
    reply = decode(ask(running, server.encode_request(1, str(loop), bitcode["hello"])))
    assert 0.5 <= time.monotonic() - start < 3
    assert "inference took longer than 0.5 s" in reply["error"]
    start = time.monotonic()
    reply = decode(ask(running, server.encode_request(1, str(loop), bitcode["hello"])))
    assert time.monotonic() - start < 0.3 and "refused earlier" in reply["error"]
    reply = decode(ask(running, server.encode_request(1, str(good_model), bitcode["hello"])))
    assert len(reply["pipelines"]) == 1
    model._BAD.clear()
