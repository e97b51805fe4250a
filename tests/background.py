"""Work that runs beside the tests: builds and a served session, each once per test run."""

from __future__ import annotations

import fcntl
import pickle
import threading
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Background:
    """A build (or a chain of builds) running in a thread; ``result`` waits for it."""

    target: object
    done: threading.Event = field(default_factory=threading.Event)
    value: object = None
    error: BaseException | None = None

    def start(self) -> Background:
        """Run ``target`` in a daemon thread."""
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            self.value = self.target()
        except BaseException as error:  # handed to the test that waits
            self.error = error
        finally:
            self.done.set()

    def result(self):
        """The build's result, once it has finished."""
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.value


def once_per_run(base: Path, name: str, build):
    """``build(base / name)``, run once per test run however many workers ask for it.

    The first worker to take the lock builds and leaves the result; the others wait for the
    lock and read that result.
    """
    result = base / f"{name}.pickle"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if result.exists():
            return pickle.loads(result.read_bytes())
        value = build(base / name)
        result.write_bytes(pickle.dumps(value))
        return value
