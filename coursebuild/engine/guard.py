"""Protect the project tree while a snippet runs, and observe which project files it reads.

:func:`install` adds a PEP 578 audit hook to the running process (a forked worker child, or
the lab's Jupyter kernel). The hook refuses every attempt to create, write, append,
truncate, rename, delete or re-permission a path inside the project root, and records every
project file the snippet opens (with its digest at that moment) and every folder it lists.

What an audit hook does not see: writes through ``ctypes`` or other C code that calls the
operating system directly, processes started by the snippet (they run without the hook),
and memory-mapped writes through a file opened before the hook was installed. This module
uses the standard library only: the lab kernel imports it too.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sys
from dataclasses import dataclass, field

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# Events that change a path: the positions of their path arguments, and of a dir_fd.
CHANGING = {
    "os.remove": ((0,), 1),
    "os.rmdir": ((0,), 1),
    "os.mkdir": ((0,), 2),
    "os.rename": ((0, 1), 2),
    "os.truncate": ((0,), None),
    "os.chmod": ((0,), 2),
    "os.chown": ((0,), 3),
    "os.link": ((1,), 3),
    "os.symlink": ((1,), 2),
    "os.utime": ((0,), 3),
    "os.setxattr": ((0,), None),
    "os.removexattr": ((0,), None),
    "shutil.rmtree": ((0,), 1),
    "sqlite3.connect": ((0,), None),
}
LISTING = {"os.listdir", "os.scandir"}
MISSING = "missing"
DERIVED = ("__pycache__",)


def _text(path) -> str | None:
    """A path argument as text, or None for file descriptors and odd values."""
    if isinstance(path, int) or path is None:
        return None
    try:
        return os.fsdecode(path)
    except TypeError:
        return None


def resolved(path, dir_fd: int | None = None) -> str | None:
    """The absolute real path an audited argument names (file descriptors resolved)."""
    try:
        if isinstance(path, int):
            return os.readlink(f"/proc/self/fd/{path}") if path >= 0 else None
        text = _text(path)
        if text is None or text.startswith(":memory:"):
            return None
        if isinstance(dir_fd, int) and dir_fd >= 0 and not os.path.isabs(text):
            text = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), text)
        return os.path.realpath(os.path.join(os.getcwd(), text))
    except OSError:
        return None


def is_write(mode, flags) -> bool:
    """Whether an ``open`` event's mode or flags can change the file."""
    if isinstance(mode, str) and any(letter in mode for letter in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & WRITE_FLAGS)


def file_digest(path: str) -> str:
    """The sha256 of a file's bytes, or ``missing``."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except (FileNotFoundError, NotADirectoryError):
        return MISSING
    except IsADirectoryError:
        return listing_digest(path)


def listing_digest(path: str) -> str:
    """A digest of a folder's sorted entry names (``dir:`` prefixed), or ``missing``."""
    try:
        names = sorted(os.listdir(path))
    except (FileNotFoundError, NotADirectoryError):
        return MISSING
    return "dir:" + hashlib.sha256("\0".join(names).encode()).hexdigest()


def _from_import_system() -> bool:
    """Whether the current event comes from the import machinery (it lists sys.path folders)."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


@dataclass
class Guard:
    """The state of the audit hook: the root, ignored folders, and what it saw."""

    root: str
    ignored: tuple[str, ...] = ()
    reads: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    busy: bool = False

    def inside(self, path: str | None) -> bool:
        """Whether ``path`` lies inside the project root."""
        return path is not None and (path == self.root or path.startswith(self.root + os.sep))

    def relative(self, path: str) -> str:
        """``path`` relative to the root, with forward slashes."""
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    def watched(self, path: str | None) -> bool:
        """Whether a read of ``path`` is a dependency (a project file, not the environment)."""
        if not self.inside(path):
            return False
        if any(path == folder or path.startswith(folder + os.sep) for folder in self.ignored):
            return False
        return not any(part in DERIVED for part in self.relative(path).split("/"))

    def refuse(self, event: str, path: str) -> None:
        """Record the attempt and raise ``PermissionError`` naming the path."""
        __tracebackhide__ = True  # IPython (the lab kernel) shows the snippet's frame only
        name = self.relative(path)
        self.refused.append(f"{event} {name}")
        raise PermissionError(
            errno.EACCES,
            f"refused: a snippet may not change the project tree ({event} {name}); "
            "write to a temporary folder instead",
            name,
        )

    def __call__(self, event: str, args: tuple) -> None:
        """The audit hook."""
        __tracebackhide__ = True
        if self.busy or (event != "open" and event not in CHANGING and event not in LISTING):
            return
        self.busy = True
        try:
            self.handle(event, args)
        finally:
            self.busy = False

    def handle(self, event: str, args: tuple) -> None:
        """Refuse changes inside the root; remember reads and listings of project files."""
        __tracebackhide__ = True
        if event == "open":
            path = resolved(args[0]) if not isinstance(args[0], int) else None
            if self.inside(path) and is_write(args[1], args[2]):
                self.refuse("write", path)
            if self.watched(path) and self.relative(path) not in self.reads:
                self.reads[self.relative(path)] = file_digest(path)
        elif event in LISTING:
            path = resolved(args[0] if args and args[0] is not None else ".")
            if self.watched(path) and not _from_import_system():
                self.reads.setdefault(self.relative(path), listing_digest(path))
        else:
            positions, fd_at = CHANGING[event]
            dir_fd = args[fd_at] if fd_at is not None and len(args) > fd_at else None
            for position in positions:
                path = resolved(args[position], dir_fd)
                if self.inside(path):
                    self.refuse(event.split(".")[-1], path)


def install(root: str, ignored: tuple[str, ...] = ()) -> Guard:
    """Install the hook for the rest of this process's life; return its state.

    Args:
        root: The project root (made absolute and real).
        ignored: Folders inside the root whose reads are not dependencies (the virtual
            environment, the cache); writes there are refused all the same.
    """
    real = os.path.realpath(root)
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.exec_prefix, sys.base_prefix)}
    ignored = tuple({os.path.realpath(p) for p in ignored} | prefixes)
    guard = Guard(real, ignored)
    sys.addaudithook(guard)
    return guard


def limit_memory(extra_bytes: int) -> None:
    """Let this process grow by at most ``extra_bytes`` of address space from now on."""
    import resource

    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[0])
    current = pages * os.sysconf("SC_PAGE_SIZE")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def lift_memory_limit() -> None:
    """Raise the address-space limit back to its hard limit (to report after a MemoryError)."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
