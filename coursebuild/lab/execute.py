"""Execute a lab notebook in a guarded Jupyter kernel, or replay an earlier execution.

The kernel runs in the lab's own folder (outside the project), over IPC (no TCP, no
encryption warning), with the project tree protected and its memory bounded as in the
snippet worker, and each cell bounded by its snippet's time limit: on a hang the kernel is
interrupted, then killed. An execution is replayed from the cache only when the code cells,
the lab's files and the environment are all unchanged.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import nbformat

from coursebuild.engine import Problem, RunCache
from coursebuild.engine.environment import fixed_env
from coursebuild.engine.limits import DEFAULT_MEMORY, DEFAULT_TIMEOUT
from coursebuild.lab.notebook import ROLE_KEY

ANSI = re.compile(r"\x1b\[[0-9;]*m")
GUARD = "__import__('coursebuild.engine.guard', fromlist=['guard']).{call}"
TIME_LIMIT = {  # the reply nbclient makes up for a cell it interrupted at its time limit
    "ename": "CellTimeLimit",
    "evalue": "the cell ran past its time limit; the kernel was interrupted, then stopped",
    "traceback": ["CellTimeLimit: the cell ran past its time limit"],
}
QUIET = logging.getLogger("coursebuild.lab.kernel")
QUIET.propagate = False  # nbclient's own timeout messages: the build reports the problem
QUIET.addHandler(logging.NullHandler())


def kernel_env() -> dict[str, str]:
    """The runner's fixed environment, minus the package path and Agg (Jupyter plots inline)."""
    return {k: v for k, v in fixed_env().items() if k not in {"PYTHONPATH", "MPLBACKEND"}}


def cell_timeout(cell) -> float:
    """A cell's time limit: its snippet's, or the default."""
    return float(cell.metadata.get(ROLE_KEY, {}).get("timeout", DEFAULT_TIMEOUT))


def kernel_setup(root: Path, memory: int) -> list[str]:
    """Kernel arguments that install the guard and the memory bound before any cell runs."""
    lines = [
        GUARD.format(call=f"install({str(root)!r})"),
        GUARD.format(call=f"limit_memory({memory})"),
    ]
    return [f"--IPKernelApp.exec_lines={line}" for line in lines]


def merged_stream_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Join consecutive stream outputs of a cell: the kernel's chunking varies run to run."""
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and output.output_type == previous.output_type == "stream"
                and output.name == previous.name
            ):
                previous.text += output.text
            else:
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged
    return nb


def execute(nb: nbformat.NotebookNode, folder: Path, root: Path, memory: int) -> Exception | None:
    """Run every cell of ``nb`` in ``folder``; return the error that stopped it, if any.

    nbclient owns the kernel manager, so on every path it shuts the kernel down at once.
    """
    from nbclient import NotebookClient  # imported only when a lab runs
    from traitlets.config import Config

    transport = Config({"KernelManager": {"transport": "ipc", "ip": str(folder / ".kernel")}})
    client = NotebookClient(
        nb,
        config=transport,
        kernel_name="python3",
        timeout_func=cell_timeout,
        interrupt_on_timeout=True,
        error_on_timeout=TIME_LIMIT,
        allow_errors=False,
        record_timing=False,
        shutdown_kernel="immediate",
        extra_arguments=kernel_setup(root, memory),
        resources={"metadata": {"path": str(folder)}},
        log=QUIET,
    )
    try:
        client.execute(env=kernel_env())
    except Exception as error:
        return error
    return None


def lab_key(nb: nbformat.NotebookNode, files: dict[str, str]) -> str:
    """What an execution depends on besides the environment: code cells, the lab's files.

    The cache adds the environment's fingerprint to every key (``RunCache.value_key``).
    """
    code = [c for c in nb.cells if c.cell_type == "code"]
    cells = [(c.id, c.source, c.metadata.get(ROLE_KEY, {})) for c in code]
    return json.dumps({"cells": cells, "files": files}, sort_keys=True)


def stored_outputs(nb: nbformat.NotebookNode) -> bytes:
    """The code cells' outputs of an executed notebook, for the cache."""
    cells = {
        c.id: {"outputs": c.outputs, "execution_count": c.execution_count}
        for c in nb.cells
        if c.cell_type == "code"
    }
    return json.dumps({"metadata": nb.metadata, "cells": cells}, sort_keys=True).encode()


def replayed(nb: nbformat.NotebookNode, data: bytes) -> bool:
    """Put stored outputs into ``nb``; False (``nb`` untouched) if they do not fit it."""
    try:
        stored = json.loads(data)
        cells, code = stored["cells"], [c for c in nb.cells if c.cell_type == "code"]
        if set(cells) != {c.id for c in code}:
            return False
        for cell in code:
            outputs = [nbformat.from_dict(o) for o in cells[cell.id]["outputs"]]
            cell.outputs, cell.execution_count = outputs, cells[cell.id]["execution_count"]
        nb.metadata = nbformat.from_dict(stored["metadata"])
    except (ValueError, KeyError, TypeError):
        return False
    return True


def run_or_replay(
    nb: nbformat.NotebookNode,
    folder: Path,
    root: Path,
    key: str,
    cache: RunCache | None,
    memory: int = DEFAULT_MEMORY,
) -> tuple[Exception | None, bool]:
    """Execute ``nb`` (or replay it from the cache); return the error and whether it replayed."""
    data = cache.recall("labs", key) if cache is not None else None
    if data is not None and replayed(nb, data):
        return None, True
    error = execute(nb, folder, root, memory)
    merged_stream_outputs(nb)
    if error is None and cache is not None:
        cache.keep("labs", stored_outputs(nb), key)
    return error, False


def raising_cell_problem(nb: nbformat.NotebookNode, name: str, error: Exception) -> Problem:
    """Name the snippet (or cell) whose notebook cell raised, with the error's tail."""
    text = ANSI.sub("", str(error))
    for cell in nb.cells:
        meta = cell.metadata.get(ROLE_KEY, {})
        if cell.cell_type == "code" and cell.source.strip() and cell.source.strip() in text:
            include = meta.get("snippet") or meta.get("exercise")
            who = f"snippets/{include}" if include else f"its {meta.get('role', 'code')} cell"
            message = "its notebook cell raised:"
            if getattr(error, "ename", "") == TIME_LIMIT["ename"]:
                message = f"its notebook cell ran past its time limit of {cell_timeout(cell):g} s"
            return Problem(name, None, message, who, text[-1500:])
    return Problem(name, None, "executing the notebook failed:", None, text[-1500:])
