"""A content-addressed cache of snippet runs that cannot go stale.

A run is replayed only when nothing that could change its output changed: the snippet's
bytes and path, every project file the run read (observed by the guard, each by digest),
and the environment fingerprint (Python, platform, installed distributions, fixed
environment variables, the engine's own code). Layout, under the cache folder::

    blobs/ab/abcdef...      content, named by its sha256 (verified on every read)
    index/<kind>/<key>.json entries: what a key was run with, and where its result is

Every write is atomic (a temporary file, then ``os.replace``), so two builds at once never
corrupt an entry; an unreadable, truncated or foreign entry is a miss, never an error.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from coursebuild.engine import guard

FORMAT = 2
MODES = ("on", "off", "refresh")  # refresh: run fresh, then store
MODE_ENV = "COURSEBUILD_CACHE"
DEFAULT_MAX_BYTES = 512 << 20
ENTRIES_PER_KEY = 8
CACHEABLE = {"ok", "error"}  # timeouts, memory and refused runs are never replayed


def digest_of(data: bytes) -> str:
    """The sha256 of ``data``, in hex."""
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class ContentStore:
    """Blobs named by their digest, and small JSON indexes that point at them."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _blob(self, name: str) -> Path:
        return self.folder / "blobs" / name[:2] / name

    def put(self, data: bytes) -> str:
        """Store ``data``; return its name."""
        name = digest_of(data)
        if self.get(name) is None:  # missing, or damaged: (re)write it
            _write_atomic(self._blob(name), data)
        return name

    def get(self, name: str) -> bytes | None:
        """The blob called ``name``, or None if it is missing or damaged."""
        try:
            data = self._blob(name).read_bytes()
        except OSError:
            return None
        return data if digest_of(data) == name else None

    def _index(self, kind: str, key: str) -> Path:
        return self.folder / "index" / kind / f"{key}.json"

    def entries(self, kind: str, key: str) -> list[dict]:
        """The entries stored under ``key`` (newest first); empty when unreadable."""
        try:
            data = json.loads(self._index(kind, key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return []
        entries = data.get("entries")
        return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []

    def save_entries(self, kind: str, key: str, entries: list[dict]) -> None:
        """Replace the entries under ``key`` (atomically)."""
        data = {"format": FORMAT, "entries": entries[:ENTRIES_PER_KEY]}
        _write_atomic(self._index(kind, key), json.dumps(data, sort_keys=True).encode())

    def value(self, kind: str, key: str) -> bytes | None:
        """The one value stored under ``key`` (a derived artifact), or None."""
        for entry in self.entries(kind, key):
            data = self.get(str(entry.get("blob", "")))
            if data is not None:
                return data
        return None

    def put_value(self, kind: str, key: str, data: bytes) -> None:
        """Store one value under ``key``."""
        self.save_entries(kind, key, [{"blob": self.put(data)}])

    def size(self) -> int:
        """Bytes used by the store."""
        return sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())

    def prune(self, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
        """Drop the least recently written indexes, then unreferenced blobs; return bytes freed."""
        before = self.size() if self.folder.is_dir() else 0
        if before <= max_bytes:
            return 0
        indexes = sorted(self.folder.glob("index/*/*.json"), key=lambda p: p.stat().st_mtime)
        for path in indexes[: max(1, len(indexes) // 2)]:
            path.unlink(missing_ok=True)
        self._drop_unreferenced_blobs()
        return before - self.size()

    def _drop_unreferenced_blobs(self) -> None:
        text = "".join(p.read_text(encoding="utf-8") for p in self.folder.glob("index/*/*.json"))
        for blob in self.folder.glob("blobs/*/*"):
            if blob.name not in text:
                blob.unlink(missing_ok=True)

    def clear(self) -> None:
        """Remove everything."""
        shutil.rmtree(self.folder, ignore_errors=True)


class FileDigests:
    """Digests of project files, remembered while a file's size and times stay the same."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.known: dict[str, tuple[tuple, str]] = {}

    def current(self, relative: str, recorded: str) -> str:
        """The digest ``relative`` has now, of the same kind as ``recorded`` (file or listing)."""
        path = self.root / relative
        try:
            info = path.stat()
        except OSError:
            return guard.MISSING
        signature = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        kind = "dir" if recorded.startswith("dir:") else "file"
        memo = self.known.get(f"{kind}:{relative}")
        if memo and memo[0] == signature:
            return memo[1]
        compute = guard.listing_digest if kind == "dir" else guard.file_digest
        value = compute(str(path))
        self.known[f"{kind}:{relative}"] = (signature, value)
        return value

    def unchanged(self, reads: dict[str, str]) -> bool:
        """Whether every file in ``reads`` still has its recorded digest."""
        return all(self.current(name, digest) == digest for name, digest in reads.items())


class RunCache:
    """Snippet runs stored by what they ran, keyed on everything they depended on."""

    def __init__(self, store: ContentStore, fingerprint: str, mode: str = "on") -> None:
        if mode not in MODES:
            raise ValueError(f"{MODE_ENV}={mode!r}: choose one of {', '.join(MODES)}")
        self.store, self.fingerprint, self.mode = store, fingerprint, mode

    def value_key(self, kind: str, parts: tuple[str | bytes, ...]) -> str:
        """The key of a stored value: this environment's fingerprint, ``kind`` and ``parts``.

        Each piece is framed by its length, so no two different lists of parts share a key,
        and no caller can forget the environment.
        """
        pieces = [self.fingerprint, kind, *parts]
        data = [p.encode() if isinstance(p, str) else p for p in pieces]
        return digest_of(b"".join(len(d).to_bytes(8, "big") + d for d in data))

    def recall(self, kind: str, *parts: str | bytes) -> bytes | None:
        """The value of ``kind`` (a lab, a converted page...) kept for ``parts``, if replaying."""
        if self.mode != "on":
            return None
        return self.store.value(kind, self.value_key(kind, parts))

    def keep(self, kind: str, data: bytes, *parts: str | bytes) -> None:
        """Keep ``data`` as the value of ``kind`` for ``parts``, unless the cache is off."""
        if self.mode != "off":
            self.store.put_value(kind, self.value_key(kind, parts), data)

    def key(self, name: str, code: bytes) -> str:
        """The key of a run: environment, snippet path and snippet bytes."""
        return digest_of(f"{self.fingerprint}\0{name}\0".encode() + code)

    def lookup(self, name: str, code: bytes, files: FileDigests) -> dict | None:
        """A stored result whose recorded reads all still hold, or None."""
        if self.mode != "on":
            return None
        for entry in self.store.entries("runs", self.key(name, code)):
            reads = entry.get("reads")
            if isinstance(reads, dict) and files.unchanged(reads):
                result = self._load(str(entry.get("result", "")))
                if result is not None:
                    return result
        return None

    def _load(self, name: str) -> dict | None:
        data = self.store.get(name)
        try:
            result = json.loads(data) if data is not None else None
            artifacts = {k: self.store.get(v) for k, v in result["artifacts"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        if any(blob is None for blob in artifacts.values()):
            return None
        result["artifacts"] = {k: base64.b64encode(v).decode() for k, v in artifacts.items()}
        return result

    def store_run(self, name: str, code: bytes, reply: dict, files: FileDigests) -> bool:
        """Store a fresh run if it may be replayed and no file it read changed since."""
        if self.mode == "off" or reply["status"] not in CACHEABLE:
            return False
        reads = dict(reply.get("reads", {}))
        if not files.unchanged(reads):
            return False  # a file changed while the snippet ran: its output may be stale
        artifacts = {k: self.store.put(base64.b64decode(v)) for k, v in reply["artifacts"].items()}
        result = {k: reply[k] for k in ("status", "stdout", "stderr", "seconds")}
        result.update(artifacts=artifacts, reads=reads, refused=[])
        blob = self.store.put(json.dumps(result, sort_keys=True).encode())
        key = self.key(name, code)
        kept = [e for e in self.store.entries("runs", key) if e.get("reads") != reads]
        self.store.save_entries("runs", key, [{"reads": reads, "result": blob}, *kept])
        return True
