"""``llmc cache``: export, import and count the plugin's decision cache.

A cache a team can share: CI builds with the team's secret
(``-llmc-cache-secret``) and ``llmc cache export``s what it decided; a developer
``llmc cache import``s that archive with the same secret file, and hits on the
imported entries are authenticated (their winner is measured alone).

Everything read here is untrusted, as it is for the plugin
(plugin/DecisionCache.cpp): a cache directory is anything its user's programs
wrote, an archive anything anyone sent. So

- an entry is ``<shard>/<key>.json``, shard the key's first two hex digits, a
  regular file of this user of at most 8192 bytes (lstat: a symlink is never
  followed), whose text :func:`check_entry` accepts; anything else is skipped
  and counted by reason;
- an archive is read member by member, never extracted: only a regular-file
  member named exactly ``xx/<32 hex>.json`` and at most 8192 bytes long is
  read, and the archive is abandoned at a member that declares more than a
  mebibyte (an export never holds one; skipping it would mean decompressing it);
- an entry is written the plugin's way: cache directory and shards 0700, each
  opened ``O_DIRECTORY|O_NOFOLLOW`` and owned by this user, the bytes written
  to ``<key>.json.tmp.<pid>.<rand>`` (``O_CREAT|O_EXCL|O_NOFOLLOW``, 0600)
  relative to the shard's descriptor, fsync'd and renamed into place. A
  concurrent compiler never sees half an entry; a symlink planted as a shard
  is replaced, never followed.

:func:`check_entry` is the one place that decides whether a text is an entry:
the same verdict as the plugin's ``DecisionCache::parseEntry`` (which uses
llvm::json, laxer than Python's json module about numbers), held to
tests/golden/cache-entries.tsv on both sides.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gzip
import io
import os
import re
import secrets
import stat
import sys
import tarfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_ENTRY_BYTES = 8192  # DecisionCache::MaxEntryBytes
# A member declaring more than this ends the reading of an archive.
MAX_MEMBER_BYTES = 1 << 20
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1

_KEY = re.compile(r"[0-9a-f]{32}")
_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY_NAME = re.compile(r"([0-9a-f]{32})\.json")
_TEMP_NAME = re.compile(r"[0-9a-f]{32}\.json\.tmp\..*", re.DOTALL)
_MEMBER_NAME = re.compile(r"([0-9a-f]{2})/([0-9a-f]{32})\.json")
_MAC = re.compile(r"[0-9a-f]{64}")


# -- What an entry is ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    winner: str
    baseline: bool
    winner_size: int
    baseline_size: int
    mac: str | None  # a MAC of the right shape; it is verified only by the plugin


class BadEntry(ValueError):
    """Not an entry the plugin would parse; ``reason`` is a fixed phrase (for counts)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


# strtoll/strtoull and strtod over the characters llvm::json gathers for a number.
_NUMBER_CHARS = frozenset("0123456789eE+-.")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX = frozenset("0123456789abcdefABCDEF")


class _FlatParser:
    """llvm::json::parse's grammar, for an object whose values are all scalars.

    Numbers as llvm::json reads them: any run of ``0-9eE+-.`` that strtoll,
    strtoull or strtod take whole (``+1``, ``01``, ``.5``, ``1.`` are numbers);
    a repeated key keeps its last value; an unpaired surrogate escape is
    U+FFFD. A nested array or object is refused, as the plugin's depth limit
    of 1 refuses it before parsing.
    """

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def fail(self, detail: str) -> BadEntry:
        return BadEntry("not JSON", f"{detail} at offset {self.pos}")

    def next(self) -> str:
        if self.pos >= len(self.text):
            return ""
        self.pos += 1
        return self.text[self.pos - 1]

    def white(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\n\r":
            self.pos += 1

    def document(self) -> dict[str, object]:
        self.white()
        first = self.next()
        if first == "":
            raise self.fail("unexpected end")
        if first == "[":
            raise BadEntry("not an object")
        if first != "{":
            self.pos -= 1
            self.scalar()
            self.white()
            if self.pos != len(self.text):
                raise self.fail("text after the value")
            raise BadEntry("not an object")
        fields: dict[str, object] = {}
        self.white()
        if self.text.startswith("}", self.pos):
            self.pos += 1
        else:
            while True:
                if self.next() != '"':
                    raise self.fail("expected a key")
                name = self.string()
                self.white()
                if self.next() != ":":
                    raise self.fail("expected ':'")
                self.white()
                fields[name] = self.scalar()
                self.white()
                c = self.next()
                if c == ",":
                    self.white()
                    continue
                if c == "}":
                    break
                raise self.fail("expected ',' or '}'")
        self.white()
        if self.pos != len(self.text):
            raise self.fail("text after the object")
        return fields

    def scalar(self) -> object:
        self.white()
        c = self.next()
        for word, value in (("null", None), ("true", True), ("false", False)):
            if c == word[0]:
                if self.text.startswith(word[1:], self.pos):
                    self.pos += len(word) - 1
                    return value
                raise self.fail(f"not {word}")
        if c == '"':
            return self.string()
        if c in ("[", "{"):
            raise BadEntry("not a flat object", "a value is an array or an object")
        if c != "" and c in _NUMBER_CHARS:
            start = self.pos - 1
            while self.pos < len(self.text) and self.text[self.pos] in _NUMBER_CHARS:
                self.pos += 1
            return self.number(self.text[start : self.pos])
        raise self.fail("not a value")

    def number(self, s: str) -> int | float:
        if _INTEGER.fullmatch(s):
            value = int(s)
            if INT64_MIN <= value <= INT64_MAX or (s[0] != "-" and value < 1 << 64):
                return value  # strtoll, or strtoull: an integer beyond int64 is no size
        if _DOUBLE.fullmatch(s):
            return float(s)  # strtod: correctly rounded, as Python's float()
        raise self.fail(f"not a number {s!r}")

    def string(self) -> str:
        out: list[str] = []
        while True:
            c = self.next()
            if c == "":
                raise self.fail("unterminated string")
            if c == '"':
                return "".join(out)
            if ord(c) < 0x20:
                raise self.fail("control character in a string")
            if c != "\\":
                out.append(c)
                continue
            c = self.next()
            if c in _ESCAPES:
                out.append(_ESCAPES[c])
            elif c == "u":
                out.append(self.unicode())
            else:
                raise self.fail("invalid escape")

    def hex4(self) -> int:
        digits = self.text[self.pos : self.pos + 4]
        if len(digits) != 4 or not set(digits) <= _HEX:
            raise self.fail("invalid \\u escape")
        self.pos += 4
        return int(digits, 16)

    def unicode(self) -> str:
        first, out = self.hex4(), ""
        while True:
            if first < 0xD800 or first >= 0xE000:
                return out + chr(first)
            if first >= 0xDC00 or not self.text.startswith("\\u", self.pos):
                return out + "\ufffd"  # an unpaired surrogate
            self.pos += 2
            second = self.hex4()
            if 0xDC00 <= second < 0xE000:
                return out + chr(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            out, first = out + "\ufffd", second


def _size(fields: dict[str, object], name: str) -> int:
    """llvm::json's getInteger (an integral double counts), then at least 0."""
    value = fields.get(name)
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value if value <= INT64_MAX else None  # a uint64 is no int64
    elif (
        isinstance(value, float)
        and value.is_integer()
        and float(INT64_MIN) <= value <= float(INT64_MAX)
    ):
        # 2**63 passes this test in C++ too, and converts to INT64_MIN on x86-64.
        number = int(value) if value < float(INT64_MAX) else INT64_MIN
    if number is None or number < 0:
        raise BadEntry(f"{name} is not a non-negative integer")
    return number


def check_entry(data: bytes) -> Entry:
    """The decision in an entry's bytes, or :class:`BadEntry` saying why there is none.

    The one check of an entry's text in Python: it gives the verdict of
    ``DecisionCache::parseEntry`` (tests/golden/cache-entries.tsv holds both
    to it). A MAC of another shape than 64 lowercase hex digits is no MAC, as
    in the plugin: the entry is then valid, and unauthenticated.
    """
    if len(data) > MAX_ENTRY_BYTES:
        raise BadEntry("too long", f"{len(data)} bytes, more than {MAX_ENTRY_BYTES}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadEntry("not UTF-8", f"at offset {e.start}") from None
    fields = _FlatParser(text).document()
    winner = fields.get("winner")
    if not isinstance(winner, str) or not winner:
        raise BadEntry("winner is not a non-empty string")
    baseline = fields.get("baseline")
    if not isinstance(baseline, bool):
        raise BadEntry("baseline is not a boolean")
    winner_size = _size(fields, "winner_size")
    baseline_size = _size(fields, "baseline_size")
    mac = fields.get("mac")
    return Entry(
        winner,
        baseline,
        winner_size,
        baseline_size,
        mac if isinstance(mac, str) and _MAC.fullmatch(mac) else None,
    )


# -- Reading a cache -------------------------------------------------------------------------


def default_directory() -> Path | None:
    """LLMC_CACHE_DIR, else the plugin's default; None when caching is off."""
    value = os.environ.get("LLMC_CACHE_DIR", "")
    if value == "off":
        return None
    if value:
        return Path(value)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    home = Path(xdg) if xdg.startswith("/") else Path.home() / ".cache"
    return home / "llmc" / "decisions"


class CacheError(OSError):
    pass


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_directory(name: str | Path, dir_fd: int | None = None) -> int:
    """A real directory of this user, never through a symlink at its last component."""
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except NotADirectoryError:
        # O_NOFOLLOW|O_DIRECTORY says ENOTDIR for a symlink: say what it is.
        if stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode):
            raise OSError(errno.ELOOP, "a symlink, not followed", str(name)) from None
        raise
    if os.fstat(fd).st_uid != os.geteuid():
        os.close(fd)
        raise CacheError(errno.EPERM, "not a directory owned by this user", str(name))
    return fd


def _cache_path(path: Path) -> str:
    # A trailing slash, "." or ".." would resolve a symlink at the last component.
    text = str(path).rstrip("/") or "/"
    if text.rsplit("/", 1)[-1] in (".", ".."):
        raise CacheError(errno.EINVAL, "a cache directory must be named", text)
    return text


def open_cache(path: Path, create: bool = False) -> int:
    """The cache directory's descriptor; with ``create`` made 0700 first (the
    directories above it may be the user's symlinks, as in the plugin)."""
    text = _cache_path(path)
    if create:
        for pos in [i for i, c in enumerate(text) if c == "/" and i > 0] + [len(text)]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(text[:pos], 0o700)
    return _open_directory(text)


def _read_entry(dir_fd: int, name: str) -> bytes:
    """The bytes of the entry file ``name`` under ``dir_fd``, or BadEntry: a regular
    file of this user of at most MAX_ENTRY_BYTES, opened without following a link."""
    st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    if stat.S_ISLNK(st.st_mode):
        raise BadEntry("symlink")
    if not stat.S_ISREG(st.st_mode):
        raise BadEntry("not a regular file")
    if st.st_uid != os.geteuid():
        raise BadEntry("not owned by this user")
    if st.st_size > MAX_ENTRY_BYTES:
        raise BadEntry("too long")
    # O_NONBLOCK: a FIFO swapped in since the lstat cannot block us.
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except OSError as e:
        raise BadEntry("unreadable", e.strerror or "") from None
    try:
        st2 = os.fstat(fd)
        if (st2.st_dev, st2.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(st2.st_mode):
            raise BadEntry("replaced while read")
        chunks, got = [], 0
        while got <= MAX_ENTRY_BYTES:  # one byte past the limit: a growing file is too long
            chunk = os.read(fd, MAX_ENTRY_BYTES + 1 - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_ENTRY_BYTES:
        raise BadEntry("too long")
    return data


@dataclass
class Walk:
    """What a walk of a cache directory found besides its entries."""

    skipped: Counter[str] = field(default_factory=Counter)
    temp_files: int = 0


def walk_cache(top_fd: int, walk: Walk) -> Iterator[tuple[str, bytes, Entry]]:
    """Each valid entry under the cache descriptor, as (``xx/key.json``, bytes, entry),
    in name order; shards are opened without following symlinks."""
    with os.scandir(top_fd) as it:
        shards = sorted(e.name for e in it)
    for shard in shards:
        if not _SHARD.fullmatch(shard):
            walk.skipped["unexpected name"] += 1
            continue
        try:
            shard_fd = _open_directory(shard, dir_fd=top_fd)
        except OSError as e:
            why = {errno.ELOOP: "shard is a symlink", errno.ENOTDIR: "shard is not a directory"}
            walk.skipped[why.get(e.errno or 0, "shard not ours or unreadable")] += 1
            continue
        try:
            with os.scandir(shard_fd) as it:
                names = sorted(e.name for e in it)
            for name in names:
                m = _ENTRY_NAME.fullmatch(name)
                if not m:
                    if _TEMP_NAME.fullmatch(name):
                        walk.temp_files += 1
                    else:
                        walk.skipped["unexpected name"] += 1
                    continue
                if m.group(1)[:2] != shard:
                    walk.skipped["shard/key mismatch"] += 1
                    continue
                try:
                    data = _read_entry(shard_fd, name)
                    entry = check_entry(data)
                except BadEntry as e:
                    walk.skipped[e.reason] += 1
                    continue
                except FileNotFoundError:
                    continue  # evicted while we walked
                yield f"{shard}/{name}", data, entry
        finally:
            os.close(shard_fd)


# -- Writing an entry ------------------------------------------------------------------------


def _open_shard(top_fd: int, shard: str) -> int:
    """The shard's descriptor, made 0700 if needed. A symlink or a file planted where
    the shard goes is removed (never followed) and a real shard made, as the plugin does."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(shard, 0o700, dir_fd=top_fd)
    try:
        return _open_directory(shard, dir_fd=top_fd)
    except OSError as e:
        if e.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise
    with contextlib.suppress(FileNotFoundError):
        os.unlink(shard, dir_fd=top_fd)  # a symlink itself, or a file: never a directory
    with contextlib.suppress(FileExistsError):
        os.mkdir(shard, 0o700, dir_fd=top_fd)
    return _open_directory(shard, dir_fd=top_fd)


def write_entry(top_fd: int, key: str, data: bytes, replace: bool) -> str:
    """Puts ``data`` (checked already) at ``<key[:2]>/<key>.json``: "imported",
    "replaced", or "kept" when a valid entry is there and not ``replace``."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"malformed key {key!r}")
    shard_fd = _open_shard(top_fd, key[:2])
    try:
        final = f"{key}.json"
        existing = True
        try:
            check_entry(_read_entry(shard_fd, final))
        except FileNotFoundError:
            existing = False
        except BadEntry:
            pass  # a corrupt entry, a FIFO, a symlink: replaced, as the plugin would
        else:
            if not replace:
                return "kept"
        temp = f"{final}.tmp.{os.getpid()}.{secrets.randbits(32)}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(temp, flags, 0o600, dir_fd=shard_fd)
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            # rename replaces a symlink or FIFO at the final name, never what it names.
            os.rename(temp, final, src_dir_fd=shard_fd, dst_dir_fd=shard_fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=shard_fd)
            raise
        with contextlib.suppress(OSError):
            os.fsync(shard_fd)
        return "replaced" if existing else "imported"
    finally:
        os.close(shard_fd)


# -- Archives --------------------------------------------------------------------------------


def export(cache: Path, out: Path) -> tuple[int, Walk]:
    """Writes every valid entry of ``cache`` to the gzip'd tar ``out``, deterministically:
    sorted names, mode 0600, no times or owners. Returns the count and the walk. The
    archive is written beside ``out`` and renamed over it once complete."""
    walk, count = Walk(), 0
    temp = out.with_name(f"{out.name}.tmp.{os.getpid()}.{secrets.randbits(32)}")
    top_fd = open_cache(cache)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with open(fd, "wb") as f:
            with (
                gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as gz,
                tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as tar,
            ):
                for name, data, _ in walk_cache(top_fd, walk):
                    info = tarfile.TarInfo(name)
                    info.size, info.mode, info.mtime = len(data), 0o600, 0
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    tar.addfile(info, io.BytesIO(data))
                    count += 1
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    finally:
        os.close(top_fd)
    return count, walk


class _Bounded(io.RawIOBase):
    """A seekable reader that refuses one read of more than MAX_MEMBER_BYTES: tarfile
    reads a pax or GNU long-name header whole, whatever size it declares."""

    def __init__(self, inner: io.BufferedIOBase | gzip.GzipFile) -> None:
        self.inner = inner

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > MAX_MEMBER_BYTES:
            raise tarfile.ReadError(f"a header declares more than {MAX_MEMBER_BYTES} bytes")
        return self.inner.read(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.inner.seek(offset, whence)

    def tell(self) -> int:
        return self.inner.tell()


@dataclass
class Imported:
    counts: Counter[str] = field(default_factory=Counter)  # imported, replaced, kept
    skipped: Counter[str] = field(default_factory=Counter)
    complete: bool = True  # False: the archive was abandoned part way
    problem: str = ""


def _archive_entries(path: Path, result: Imported) -> Iterator[tuple[str, bytes]]:
    """(key, bytes) of each acceptable member of the archive, in archive order."""
    with open(path, "rb") as raw:
        inner: io.BufferedIOBase | gzip.GzipFile = raw
        if raw.read(2) == b"\x1f\x8b":
            raw.seek(0)
            inner = gzip.GzipFile(fileobj=raw, mode="rb")
        else:
            raw.seek(0)
        try:
            with tarfile.open(fileobj=_Bounded(inner), mode="r:") as tar:
                while (member := tar.next()) is not None:
                    # A long archive must not pile up its headers (typeshed omits .members).
                    tar.members.clear()  # type: ignore[attr-defined]
                    if member.size > MAX_MEMBER_BYTES:
                        result.skipped["too long"] += 1
                        result.complete = False
                        result.problem = f"member {member.name!r} declares {member.size} bytes"
                        return
                    m = _MEMBER_NAME.fullmatch(member.name)
                    if not m:
                        result.skipped["unexpected name"] += 1
                        continue
                    if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE) or member.sparse:
                        result.skipped["not a regular file"] += 1
                        continue
                    if m.group(1) != m.group(2)[:2]:
                        result.skipped["shard/key mismatch"] += 1
                        continue
                    if member.size > MAX_ENTRY_BYTES:
                        result.skipped["too long"] += 1
                        continue
                    f = tar.extractfile(member)
                    data = f.read(MAX_ENTRY_BYTES + 1) if f else b""
                    if len(data) != member.size:
                        result.skipped["truncated"] += 1
                        continue
                    yield m.group(2), data
        except (tarfile.TarError, EOFError, OSError, zlib.error) as e:
            result.complete = False
            result.problem = f"cannot read the archive further: {e}"


def import_entries(cache: Path, source: Path, replace: bool = False) -> Imported:
    """Imports each valid entry of the archive or cache directory ``source``."""
    result = Imported()
    pending: Iterator[tuple[str, bytes]]
    source_fd: int | None = None
    if source.is_dir():
        source_fd = open_cache(source)
        walk = Walk()
        pending = ((name[3:35], data) for name, data, _ in walk_cache(source_fd, walk))
    else:
        walk = None
        pending = _archive_entries(source, result)
    top_fd = open_cache(cache, create=True)
    try:
        for key, data in pending:
            try:
                check_entry(data)
            except BadEntry as e:
                result.skipped[e.reason] += 1
                continue
            try:
                result.counts[write_entry(top_fd, key, data, replace)] += 1
            except OSError as e:
                result.skipped[f"cannot write: {e.strerror}"] += 1
    finally:
        os.close(top_fd)
        if source_fd is not None:
            os.close(source_fd)
    if walk is not None:
        result.skipped.update(walk.skipped)
    return result


@dataclass
class Stats:
    entries: int = 0
    bytes: int = 0
    baseline: int = 0  # entries whose winner is the baseline
    winner: int = 0  # entries whose winner is a pipeline of their own
    with_mac: int = 0
    temp_files: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def stats(cache: Path) -> Stats:
    s, walk = Stats(), Walk()
    top_fd = open_cache(cache)
    try:
        for _, data, entry in walk_cache(top_fd, walk):
            s.entries += 1
            s.bytes += len(data)
            if entry.baseline:
                s.baseline += 1
            else:
                s.winner += 1
            s.with_mac += entry.mac is not None
    finally:
        os.close(top_fd)
    s.temp_files, s.skipped = walk.temp_files, walk.skipped
    return s


# -- Command line ----------------------------------------------------------------------------


def _skipped_line(skipped: Counter[str]) -> str:
    total = sum(skipped.values())
    if not total:
        return "skipped 0"
    reasons = ", ".join(f"{n} {why}" for why, n in sorted(skipped.items()))
    return f"skipped {total}: {reasons}"


def _cache_arg(args: argparse.Namespace) -> Path:
    if args.cache_dir:
        return Path(args.cache_dir)
    path = default_directory()
    if path is None:
        raise SystemExit("llmc cache: LLMC_CACHE_DIR is 'off'; name a cache with --cache-dir")
    return path


def _export_main(args: argparse.Namespace) -> int:
    cache = _cache_arg(args)
    try:
        n, walk = export(cache, Path(args.out))
    except OSError as e:
        print(f"llmc cache export: {cache}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"exported {n} entries from {cache} to {args.out}")
    print(_skipped_line(walk.skipped))
    return 0


def _import_main(args: argparse.Namespace) -> int:
    cache = _cache_arg(args)
    try:
        r = import_entries(cache, Path(args.source), replace=args.replace)
    except OSError as e:
        print(f"llmc cache import: {e.filename or cache}: {e.strerror or e}", file=sys.stderr)
        return 1
    c = r.counts
    print(
        f"imported {c['imported']} entries into {cache}, replaced {c['replaced']},"
        f" kept {c['kept']} already there"
    )
    print(_skipped_line(r.skipped))
    if not r.complete:
        print(f"llmc cache import: {args.source}: {r.problem}", file=sys.stderr)
        return 1
    return 0


def _stats_main(args: argparse.Namespace) -> int:
    cache = _cache_arg(args)
    try:
        s = stats(cache)
    except OSError as e:
        print(f"llmc cache stats: {cache}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"cache       {cache}")
    print(f"entries     {s.entries}")
    print(f"bytes       {s.bytes}")
    print(f"baseline    {s.baseline}  (the -Oz baseline won)")
    print(f"winner      {s.winner}  (a pipeline won)")
    print(f"with mac    {s.with_mac}")
    print(f"temp files  {s.temp_files}")
    print(_skipped_line(s.skipped))
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n", 1)[1]
    sub = parser.add_subparsers(dest="cache_command", required=True, metavar="ACTION")

    def cache_dir(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--cache-dir",
            help="the cache (default: LLMC_CACHE_DIR, else $XDG_CACHE_HOME/llmc/decisions)",
        )

    p = sub.add_parser("export", help="write the valid entries to a deterministic .tar.gz")
    cache_dir(p)
    p.add_argument("out", metavar="OUT.tar.gz")
    p.set_defaults(func=_export_main)

    p = sub.add_parser("import", help="add the valid entries of an archive or a cache directory")
    cache_dir(p)
    p.add_argument("--replace", action="store_true", help="replace entries already there")
    p.add_argument("source", metavar="SRC", help="an exported .tar.gz, or a cache directory")
    p.set_defaults(func=_import_main)

    p = sub.add_parser("stats", help="count entries, bytes, winners, MACs and leftover files")
    cache_dir(p)
    p.set_defaults(func=_stats_main)
