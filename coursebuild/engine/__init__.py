"""The engine: fixed environment, warm worker, runner, cache, records and the problem report.

It imports neither MkDocs nor Markdown, and takes the project root as a parameter.
"""

from coursebuild.engine.cache import ContentStore, FileDigests, RunCache
from coursebuild.engine.imports import project_imports
from coursebuild.engine.limits import Limits, limits_of
from coursebuild.engine.problems import RECORD_COMMAND, Problem, Report
from coursebuild.engine.records import Outcome, read_record, record_path
from coursebuild.engine.runner import Runner, WorkerProcess, project_cache, project_store

__all__ = [
    "RECORD_COMMAND",
    "ContentStore",
    "FileDigests",
    "Limits",
    "Outcome",
    "Problem",
    "Report",
    "RunCache",
    "Runner",
    "WorkerProcess",
    "limits_of",
    "project_cache",
    "project_imports",
    "project_store",
    "read_record",
    "record_path",
]
