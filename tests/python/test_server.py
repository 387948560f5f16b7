"""pybridge.server: the protocol, the same answers as in-process, and its trust rules."""

from __future__ import annotations

import json
import os
import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

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
        chunks = []
        try:
            conn.sendall(payload)
            conn.shutdown(socket.SHUT_WR)
            while chunk := conn.recv(1 << 16):
                chunks.append(chunk)
        except (BrokenPipeError, ConnectionResetError):  # closed unread: no answer
            return b""
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
