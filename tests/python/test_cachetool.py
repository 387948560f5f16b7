"""``llmc cache``: the entry check, export, import (of hostile archives too) and stats.

Synthetic entries only: nothing here needs the compiler. The plugin's own
parser is held to the same golden table by tests/fuzz/cache_golden.cpp.
"""

from __future__ import annotations

import io
import os
import stat
import tarfile
from pathlib import Path

import pytest

from pybridge.tools import cache, cli

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "cache-entries.tsv"
MAC = "0123456789abcdef" * 4


def unescape(text: str) -> bytes:
    """A TEXT column: \\\\, \\t, \\n, \\r and \\xHH escapes (as cache_golden.cpp reads it)."""
    out, i = bytearray(), 0
    simple = {"\\": b"\\", "t": b"\t", "n": b"\n", "r": b"\r"}
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
        elif text[i + 1] in simple:
            out += simple[text[i + 1]]
            i += 2
        else:
            assert text[i + 1] == "x", text
            out.append(int(text[i + 2 : i + 4], 16))
            i += 4
    return bytes(out)


def golden_cases() -> list[tuple[bytes, str]]:
    cases = []
    for line in GOLDEN.read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            text, result = line.split("\t")
            cases.append((unescape(text), result))
    return cases


CASES = golden_cases()


@pytest.mark.parametrize(("text", "result"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_check_entry_agrees_with_golden(text: bytes, result: str) -> None:
    if result == "valid":
        entry = cache.check_entry(text)
        assert entry.winner
    else:
        with pytest.raises(cache.BadEntry) as e:
            cache.check_entry(text)
        assert result in str(e.value)


def test_golden_covers_both_verdicts_and_the_size_limit() -> None:
    results = [r for _, r in CASES]
    assert results.count("valid") > 20 and len(results) - results.count("valid") > 40
    sizes = {len(t) for t, r in CASES if r == "valid"}
    assert cache.MAX_ENTRY_BYTES in sizes


def test_check_entry_fields() -> None:
    e = cache.check_entry(entry_text("function(sroa)", 3, 5, MAC))
    assert e == cache.Entry("function(sroa)", False, 3, 5, MAC)
    assert cache.check_entry(entry_text("default<Oz>", 5, 5, MAC.upper())).mac is None
    lax = b'{"winner":"x","baseline":true,"winner_size":1e2,"baseline_size":+7}'
    assert cache.check_entry(lax) == cache.Entry("x", True, 100, 7, None)  # numbers as llvm::json


# -- Synthetic caches ------------------------------------------------------------------------


def entry_text(winner: str, ws: int, bs: int, mac: str | None = None) -> bytes:
    """What the plugin's formatEntry writes (sorted keys, no spaces)."""
    mac_field = f'"mac":"{mac}",' if mac else ""
    baseline = "true" if winner == "default<Oz>" else "false"
    return (
        f'{{"baseline":{baseline},"baseline_size":{bs},{mac_field}'
        f'"winner":"{winner}","winner_size":{ws}}}'
    ).encode()


def key(i: int) -> str:
    return f"{i:032x}"[::-1]  # varied shards


def put(root: Path, k: str, data: bytes) -> Path:
    shard = root / k[:2]
    shard.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = shard / f"{k}.json"
    path.write_bytes(data)
    path.chmod(0o600)
    return path


def make_cache(root: Path, n: int = 6) -> dict[str, bytes]:
    entries = {}
    for i in range(1, n + 1):
        winner = "default<Oz>" if i % 3 == 0 else f"function(sroa),globaldce{',sroa' * i}"
        data = entry_text(winner, 100 + i, 110 + i, MAC if i % 2 else None)
        entries[key(i)] = data
        put(root, key(i), data)
    return entries


def files_under(root: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            p = Path(dirpath) / name
            if p.is_file() and not p.is_symlink():
                out[str(p.relative_to(root))] = p.read_bytes()
    return out


def run(*args: str) -> int:
    return cli.main(["cache", *args])


# -- Export and import -----------------------------------------------------------------------


def test_round_trip_is_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    entries = make_cache(a)
    # Things export must skip, each counted.
    outside = tmp_path / "outside.json"
    outside.write_bytes(entry_text("sroa", 1, 2))
    (a / key(1)[:2] / f"{key(7)[:2]}zz").mkdir()  # not an entry name
    os.symlink(outside, a / key(2)[:2] / f"{key(2)[:2]}{'e' * 30}.json")
    put(a, key(9), b"{not json")
    (a / key(3)[:2] / f"{key(3)}.json.tmp.123.456").write_bytes(b"half")
    wrong_shard = a / "ff" / f"{key(4)}.json"
    wrong_shard.parent.mkdir()
    wrong_shard.write_bytes(entries[key(4)])
    os.mkfifo(a / key(5)[:2] / f"{key(5)[:2]}{'1' * 30}.json")

    out = tmp_path / "cache.tar.gz"
    assert run("export", "--cache-dir", str(a), str(out)) == 0
    said = capsys.readouterr().out
    assert "exported 6 entries" in said
    assert "1 symlink" in said and "1 not JSON" in said and "1 shard/key mismatch" in said
    assert "1 not a regular file" in said

    with tarfile.open(out) as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == sorted(f"{k[:2]}/{k}.json" for k in entries)
    for m in members:
        assert m.isreg() and m.mode == 0o600 and m.mtime == 0
        assert (m.uid, m.gid, m.uname, m.gname) == (0, 0, "", "")

    assert run("import", "--cache-dir", str(b), str(out)) == 0
    assert "imported 6 entries" in capsys.readouterr().out
    assert files_under(b) == {f"{k[:2]}/{k}.json": v for k, v in entries.items()}
    assert stat.S_IMODE(b.stat().st_mode) == 0o700
    for k in entries:
        assert stat.S_IMODE((b / k[:2]).stat().st_mode) == 0o700
        assert stat.S_IMODE((b / k[:2] / f"{k}.json").stat().st_mode) == 0o600

    # Deterministic: the copy exports to the same bytes.
    again = tmp_path / "again.tar.gz"
    assert run("export", "--cache-dir", str(b), str(again)) == 0
    assert again.read_bytes() == out.read_bytes()


def test_import_from_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    entries = make_cache(a, 3)
    target = tmp_path / "elsewhere"
    target.mkdir()
    put(target, key(20), entry_text("sroa", 1, 2))
    os.symlink(target / key(20)[:2], a / key(20)[:2])  # a symlinked shard in the source
    assert run("import", "--cache-dir", str(b), str(a)) == 0
    assert "1 shard is a symlink" in capsys.readouterr().out
    assert files_under(b) == {f"{k[:2]}/{k}.json": v for k, v in entries.items()}


def test_existing_entries_are_kept_unless_replace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    entries = make_cache(src, 3)
    archive = tmp_path / "c.tar.gz"
    assert run("export", "--cache-dir", str(src), str(archive)) == 0
    k1, k2, k3 = entries
    mine = entry_text("function(instcombine<no-verify-fixpoint>)", 7, 9)
    put(dst, k1, mine)
    put(dst, k2, b'{"corrupt":')  # not an entry: replaced even without --replace
    assert run("import", "--cache-dir", str(dst), str(archive)) == 0
    said = capsys.readouterr().out
    assert "imported 1 entries" in said and "replaced 1" in said and "kept 1" in said
    assert (dst / k1[:2] / f"{k1}.json").read_bytes() == mine
    assert (dst / k2[:2] / f"{k2}.json").read_bytes() == entries[k2]
    assert (dst / k3[:2] / f"{k3}.json").read_bytes() == entries[k3]

    assert run("import", "--replace", "--cache-dir", str(dst), str(archive)) == 0
    assert "replaced 3" in capsys.readouterr().out
    assert files_under(dst) == {f"{k[:2]}/{k}.json": v for k, v in entries.items()}


# -- Hostile input ---------------------------------------------------------------------------


def add(tar: tarfile.TarFile, name: str, data: bytes = b"", **attrs: object) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for attr, value in attrs.items():
        setattr(info, attr, value)
    tar.addfile(info, io.BytesIO(data) if info.isreg() else None)


def hostile_archive(path: Path, good_key: str, good: bytes) -> None:
    ok = entry_text("sroa", 1, 2)
    k = "ab" + "c" * 30
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        add(tar, f"../{k}.json", ok)
        add(tar, f"../../escape/{k[:2]}/{k}.json", ok)
        add(tar, f"{k[:2]}/../../{k}.json", ok)
        add(tar, f"/tmp/{k[:2]}/{k}.json", ok)
        add(tar, f"./{k[:2]}/{k}.json", ok)
        add(tar, f"{k[:2]}/{k}.json/", ok)
        add(tar, f"{k[:2]}", type=tarfile.DIRTYPE, mode=0o777)
        add(tar, f"{k[:2]}/{k}.json", type=tarfile.SYMTYPE, linkname="/etc/passwd")
        add(tar, f"{k[:2]}/{k[:-1]}d.json", type=tarfile.LNKTYPE, linkname="/etc/passwd")
        add(tar, f"{k[:2]}/{k[:-1]}e.json", type=tarfile.CHRTYPE, devmajor=1, devminor=3)
        add(tar, f"{k[:2]}/{k[:-1]}f.json", type=tarfile.FIFOTYPE)
        big = (
            b'{"winner":"' + b"a" * 9216 + b'","baseline":false,"winner_size":1,"baseline_size":2}'
        )
        add(tar, f"{k[:2]}/{k[:-2]}00.json", big)
        add(tar, f"cd/{k}.json", ok)  # shard and key disagree
        add(tar, f"{k[:2]}/{k[:-2]}01.json", b'{"winner":"sroa",')
        add(tar, f"{k[:2]}/{k[:-2]}02.json", b"\xff" * 10)
        add(tar, f"{k[:2]}/{k[:-2].upper()}03.json", ok)
        add(tar, f"{good_key[:2]}/{good_key}.json", good)
        # Declares a gibibyte and holds none of it: the archive ends here.
        info = tarfile.TarInfo(f"{k[:2]}/{k[:-2]}04.json")
        info.size = 1 << 30
        buf.write(info.tobuf(tarfile.GNU_FORMAT))
        buf.write(b"\0" * 512)
    path.write_bytes(buf.getvalue())


def test_hostile_archive_imports_nothing_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    (work / "escape").mkdir(parents=True)
    dst = work / "cache"
    good_key, good = key(1), entry_text("function(sroa)", 3, 4, MAC)
    archive = tmp_path / "hostile.tar"
    hostile_archive(archive, good_key, good)
    assert run("import", "--cache-dir", str(dst), str(archive)) == 1
    out, err = capsys.readouterr()
    assert "imported 1 entries" in out
    assert "declares 1073741824 bytes" in err
    # Only the good entry, only inside the cache; nothing next to it or above it.
    assert files_under(tmp_path) == {
        f"work/cache/{good_key[:2]}/{good_key}.json": good,
        "hostile.tar": archive.read_bytes(),
    }
    assert not Path(f"/tmp/ab/ab{'c' * 30}.json").exists()
    for reason in ("unexpected name", "not a regular file", "too long", "shard/key mismatch",
                   "not JSON", "not UTF-8"):  # fmt: skip
        assert reason in out


def test_a_huge_pax_header_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    info = tarfile.TarInfo("././@PaxHeader")
    info.type = tarfile.XHDTYPE
    info.size = 64 << 20
    archive = tmp_path / "pax.tar"
    archive.write_bytes(info.tobuf(tarfile.USTAR_FORMAT) + b"\0" * 1024)
    assert run("import", "--cache-dir", str(tmp_path / "c"), str(archive)) == 1
    assert "cannot read the archive further" in capsys.readouterr().err
    assert files_under(tmp_path / "c") == {}


def test_garbage_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "junk.tar.gz"
    archive.write_bytes(b"\x1f\x8b" + os.urandom(300))
    assert run("import", "--cache-dir", str(tmp_path / "c"), str(archive)) == 1
    assert "imported 0 entries" in capsys.readouterr().out


def test_symlinked_shard_in_destination_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, dst, elsewhere = tmp_path / "src", tmp_path / "dst", tmp_path / "elsewhere"
    entries = make_cache(src, 2)
    archive = tmp_path / "c.tar.gz"
    assert run("export", "--cache-dir", str(src), str(archive)) == 0
    elsewhere.mkdir()
    dst.mkdir(mode=0o700)
    k = next(iter(entries))
    os.symlink(elsewhere, dst / k[:2])
    assert run("import", "--cache-dir", str(dst), str(archive)) == 0
    assert list(elsewhere.iterdir()) == []
    assert not (dst / k[:2]).is_symlink() and (dst / k[:2]).is_dir()
    assert files_under(dst) == {f"{k[:2]}/{k}.json": v for k, v in entries.items()}


def test_symlinked_cache_directory_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    make_cache(src, 1)
    archive = tmp_path / "c.tar.gz"
    assert run("export", "--cache-dir", str(src), str(archive)) == 0
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "link")
    assert run("import", "--cache-dir", str(tmp_path / "link"), str(archive)) == 1
    assert list((tmp_path / "real").iterdir()) == []
    assert run("stats", "--cache-dir", str(tmp_path / "link") + "/") == 1


def test_an_entry_symlink_in_destination_is_replaced_not_followed(tmp_path: Path) -> None:
    dst, victim = tmp_path / "dst", tmp_path / "victim"
    victim.write_bytes(b"precious")
    k = key(1)
    (dst / k[:2]).mkdir(parents=True, mode=0o700)
    os.symlink(victim, dst / k[:2] / f"{k}.json")
    top = cache.open_cache(dst)
    try:
        assert cache.write_entry(top, k, entry_text("sroa", 1, 2), replace=False) == "replaced"
    finally:
        os.close(top)
    assert victim.read_bytes() == b"precious"
    assert not (dst / k[:2] / f"{k}.json").is_symlink()


# -- Stats -----------------------------------------------------------------------------------


def test_stats_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "c"
    entries = make_cache(root, 6)  # i = 3, 6 are baseline wins; odd i carry a MAC
    (root / key(1)[:2] / f"{key(1)}.json.tmp.99.1").write_bytes(b"{")
    (root / key(2)[:2] / f"{key(2)}.json.tmp.98.2").write_bytes(b"")
    put(root, key(30), b'{"winner":""}')
    s = cache.stats(root)
    assert (s.entries, s.baseline, s.winner, s.with_mac, s.temp_files) == (6, 2, 4, 3, 2)
    assert s.bytes == sum(len(v) for v in entries.values())
    assert s.skipped == {"winner is not a non-empty string": 1}
    assert run("stats", "--cache-dir", str(root)) == 0
    out = capsys.readouterr().out
    assert "entries     6" in out and "temp files  2" in out and "with mac    3" in out


def test_default_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LLMC_CACHE_DIR", "off")
    assert cache.default_directory() is None
    monkeypatch.setenv("LLMC_CACHE_DIR", str(tmp_path / "x"))
    assert cache.default_directory() == tmp_path / "x"
    monkeypatch.delenv("LLMC_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.default_directory() == tmp_path / "llmc" / "decisions"
