"""Work that runs beside the tests (builds, a served session), started when collection ends."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


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
