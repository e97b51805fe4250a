"""Generate the chapter's lab notebook from its page, snippets, modules and records.

The notebook is never edited by hand: the MkDocs hook ``hooks/notebook_hook.py`` reads
the files, calls :func:`build_notebook` and hands the result to mkdocs-jupyter, which
executes and renders it. The tests call the same functions. The notebook holds:

* setup cells that write the chapter's modules (``%%writefile``) and the self-check
  helper ``lab_check.py`` next to it, so it runs in an empty folder;
* one Markdown and one code cell per lesson snippet, in page order, whose code is the
  snippet itself (so each prints exactly its record);
* per exercise: the prompt, an empty cell for the learner's code, and a self-check cell
  that compares the learner's variables with the values in the solution's record.

Everything here is a pure function of its arguments, except :func:`helper_source`,
which reads the source of this module's self-check functions.
"""

from __future__ import annotations

import ast
import html
import inspect
import itertools
import re
import sys
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat
import tinycss2
from nbformat import v4

from hooks import bindings, fences, runner

PAGE = "logistic-regression.md"
CHAPTER = "logistic_regression"
NOTEBOOK = "logistic-regression-lab.ipynb"
TITLE = "Logistic regression lab"
HELPER_MODULE = "lab_check"
PYTHON = "3.11"  # as pyproject.toml requires
NOT_ANSWERED = "not answered yet"
MATCHES = "matches the lesson"
ROLE_KEY = "course"  # cell metadata: {"course": {"role": ..., "snippet" or "exercise": ...}}

HEADING = re.compile(r"^(?P<hashes>#{2,3})\s+(?P<title>.+?)\s*$")
SOLUTION_BLOCK = re.compile(r'^\s*\?\?\?\+?\s+[\w-]+\s+"Solution"')
CURRENCY = re.compile(r"\$(?=\d)")
INLINE_MATH = re.compile(r"\$(?P<tex>[^\s$](?:[^$\n]*?[^\s$])?)\$")
TEX_COMMAND = re.compile(r"\\(?P<name>[A-Za-z]+|,)")
TEX_WRAPPER = re.compile(r"\\(?:mathbf|mathrm|operatorname|text)\{(?P<inner>[^{}]*)\}")
TEX_SUBSCRIPT = re.compile(r"_\{?(?P<digits>\d+)\}?")
TEX_SYMBOLS = {"sigma": "σ", "varepsilon": "ε", "eta": "η", "le": "≤", "ge": "≥", ",": " "}
SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


# ----------------------------------------------------------------- the chapter


@dataclass(frozen=True)
class Lesson:
    """A lesson snippet of the page: its include path and the section that shows it."""

    include: str
    section: str


@dataclass(frozen=True)
class Exercise:
    """An exercise of the page: its solution snippet, title and prompt (page Markdown)."""

    include: str
    title: str
    prompt: str


@dataclass(frozen=True)
class Chapter:
    """The executed snippets of a chapter page, split into lessons and exercises."""

    lessons: tuple[Lesson, ...]
    exercises: tuple[Exercise, ...]


def headings_of(lines: list[str], code_lines: set[int]) -> list[tuple[int, int, str]]:
    """Level-2 and level-3 headings outside code as ``(line, level, title)``, 1-based."""
    found = []
    for number, line in enumerate(lines, start=1):
        match = HEADING.match(line)
        if match and number not in code_lines:
            found.append((number, len(match["hashes"]), match["title"]))
    return found


def code_lines_of(found: list[fences.Fence]) -> set[int]:
    """Line numbers covered by fenced code blocks (fence lines included)."""
    covered: set[int] = set()
    for fence in found:
        covered.update(range(fence.line, fence.line + len(fence.body) + 2))
    return covered


def last_heading(headings: list[tuple[int, int, str]], line: int, level: int) -> tuple[int, str]:
    """The nearest heading of ``level`` above ``line`` as ``(line, title)``."""
    above = [(number, title) for number, lvl, title in headings if lvl == level and number < line]
    return above[-1] if above else (0, "")


def solution_opening(lines: list[str], fence: fences.Fence) -> int | None:
    """The line (1-based) of the ``??? success "Solution"`` block holding ``fence``, if any."""
    if not fence.indent:
        return None
    for number in range(fence.line - 1, 0, -1):
        line = lines[number - 1]
        if line.strip() and len(line) - len(line.lstrip()) < len(fence.indent):
            return number if SOLUTION_BLOCK.match(line) else None
    return None


def read_chapter(text: str, chapter: str = CHAPTER, page: str = PAGE) -> Chapter:
    """Split the page's executed fences of ``chapter`` into lessons and exercises."""
    lines = text.splitlines()
    found = fences.scan(text, page)
    headings = headings_of(lines, code_lines_of(found))
    lessons, exercises = [], []
    for fence in found:
        if not (fence.executed and fence.include and fence.include.startswith(f"{chapter}/")):
            continue
        opening = solution_opening(lines, fence)
        if opening is None:
            lessons.append(Lesson(fence.include, last_heading(headings, fence.line, 2)[1]))
            continue
        start, title = last_heading(headings, opening, 3)
        prompt = "\n".join(lines[start : opening - 1]).strip()
        exercises.append(Exercise(fence.include, title, prompt))
    return Chapter(tuple(lessons), tuple(exercises))


# ----------------------------------------------------------------- code analysis


def parsed(code: str) -> ast.Module:
    """The syntax tree of ``code``; empty when it does not parse (the build check says why)."""
    try:
        return ast.parse(code)
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def imported_modules(code: str) -> list[str]:
    """Top-level names of the modules ``code`` imports, in source order."""
    nodes = [n for n in ast.walk(parsed(code)) if isinstance(n, ast.Import | ast.ImportFrom)]
    names: list[str] = []
    for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif node.level == 0 and node.module:
            names.append(node.module.split(".")[0])
    return list(dict.fromkeys(names))


def local_modules(codes: Iterable[str], available: Mapping[str, str]) -> list[str]:
    """The local modules ``codes`` need, with their own local imports, in first-use order."""
    queue = [name for code in codes for name in imported_modules(code)]
    needed: list[str] = []
    while queue:
        name = queue.pop(0)
        if name in available and name not in needed:
            needed.append(name)
            queue += imported_modules(available[name])
    return needed


def third_party_modules(codes: Iterable[str], local: Iterable[str]) -> list[str]:
    """Imported top-level modules that are neither local nor in the standard library."""
    skip = set(local) | set(sys.stdlib_module_names) | {"__future__"}
    names = [name for code in codes for name in imported_modules(code)]
    return [name for name in dict.fromkeys(names) if name not in skip]


def assigned_names(code: str) -> set[str]:
    """Every name that ``code`` binds anywhere (assignments, loops, imports, definitions)."""
    names: set[str] = set()
    for node in ast.walk(parsed(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def summary_of(code: str) -> str:
    """The snippet's first comment line, without the ``#`` (its one-line description)."""
    first = code.lstrip().splitlines()[0] if code.strip() else ""
    return first.lstrip("#").strip() if first.startswith("#") else ""


# ----------------------------------------------------------------- page text to notebook text


def plain_tex(tex: str) -> str:
    r"""Inline TeX as plain text: ``x_1`` -> ``x₁``, ``\sigma`` -> ``σ``."""
    text = TEX_WRAPPER.sub(lambda m: m["inner"], tex)
    text = TEX_SUBSCRIPT.sub(lambda m: m["digits"].translate(SUBSCRIPT_DIGITS), text)
    text = TEX_COMMAND.sub(lambda m: TEX_SYMBOLS.get(m["name"], m["name"]), text)
    return text.replace("{", "").replace("}", "")


def notebook_markdown(text: str) -> str:
    r"""Page Markdown for a notebook cell: inline math as plain text, dollars escaped.

    The site renders the notebook without MathJax (it would load from a CDN), and
    Jupyter reads ``$...$`` as math, so amounts such as ``$120`` become ``\$120``.
    """
    protected = CURRENCY.sub("\x00", text)
    plain = INLINE_MATH.sub(lambda m: plain_tex(m["tex"]), protected)
    return plain.replace("\x00", "\\$")


def resolve_bindings(text: str, records: Mapping[str, str | None], chapter: str = CHAPTER) -> str:
    """Replace ``{{ snippet "label" }}`` bindings with the recorded values."""
    resolved, _ = bindings.resolve(text, lambda ref: records.get(f"{chapter}/{ref}.py"))
    return resolved


# ----------------------------------------------------------------- exercise self-checks


@dataclass(frozen=True)
class Answer:
    """A variable the learner sets, and the labels of the record lines that hold its value.

    ``labels`` is one label (a single value) or a dict of labels (a dict answer with
    those keys). Labels are the names :func:`hooks.bindings.values_of` gives.
    """

    name: str
    meaning: str
    labels: str | Mapping[object, str]


@dataclass(frozen=True)
class ExerciseCheck:
    """The answers of one exercise, and how the chapter's solution hands them in.

    ``hand_in`` is code that, run after the solution snippet's own code, sets the
    answers from the solution's variables. The tests paste solution plus hand-in into
    the learner's cell to prove that the self-check accepts the lesson's solution.
    """

    answers: tuple[Answer, ...]
    hand_in: str


def _by(keys: Iterable[object], pattern: str) -> dict[object, str]:
    """Labels for a dict answer: ``pattern`` formatted with each key."""
    return {key: pattern.format(key=key) for key in keys}


THRESHOLDS = (0.2, 0.35, 0.5, 0.65, 0.8)
RATES = (0.02, 0.2, 1.0, 2.0)
REVIEW_COSTS = (18, 60, 120, 180)
BIN_COUNTS = (2, 4, 8, 10)

CHECKS: dict[str, ExerciseCheck] = {
    "exercise_threshold_sweep": ExerciseCheck(
        (
            Answer(
                "sweep_costs",
                "total cost in dollars, by threshold",
                _by(THRESHOLDS, "t={key:.2f} cost"),
            ),
            Answer(
                "cheapest_threshold", "the threshold with the lowest cost", "cheapest threshold"
            ),
        ),
        "sweep_costs = costs\ncheapest_threshold = min(costs, key=costs.get)",
    ),
    "exercise_learning_rate": ExerciseCheck(
        (
            Answer(
                "final_losses",
                "training loss after 3000 epochs, by learning rate",
                _by(RATES, "lr={key:.2f} loss"),
            ),
            Answer(
                "final_gradient_norms",
                "length of the gradient after 3000 epochs, by learning rate",
                _by(RATES, "lr={key:.2f} grad"),
            ),
            Answer(
                "largest_curvature",
                "the largest curvature of the loss at zero weights",
                "largest curvature at zero weights",
            ),
        ),
        "rates = (0.02, 0.2, 1.0, 2.0)\n"
        "fits = {rate: fit_logistic(X, y_train, lr=rate, epochs=3000) for rate in rates}\n"
        "final_losses = {rate: log_loss_from_logits(y_train, X @ w) for rate, w in fits.items()}\n"
        "final_gradient_norms = {\n"
        "    rate: np.linalg.norm(logistic_gradient(X, y_train, w)) for rate, w in fits.items()\n"
        "}\n"
        "largest_curvature = curvature",
    ),
    "exercise_cost_ratio": ExerciseCheck(
        (
            Answer(
                "cheapest_by_review_cost",
                "the cheapest of the thresholds 0.2, 0.5 and 0.8 (the lowest on a tie), "
                "by cost of an unnecessary review",
                _by(REVIEW_COSTS, "fp_cost={key} best"),
            ),
            Answer(
                "break_even_by_review_cost",
                "the break-even probability, by cost of an unnecessary review",
                _by(REVIEW_COSTS, "fp_cost={key} break_even"),
            ),
        ),
        "cheapest_by_review_cost = {\n"
        "    c: min(matrices, key=lambda t, c=c: total_cost(matrices[t], FN_COST, c))\n"
        "    for c in (18, 60, 120, 180)\n"
        "}\n"
        "break_even_by_review_cost = {c: c / (c + FN_COST) for c in (18, 60, 120, 180)}",
    ),
    "exercise_ece_bins": ExerciseCheck(
        (
            Answer(
                "ece_by_bins",
                "validation ECE, by number of bins",
                _by(BIN_COUNTS, "bins={key} ece"),
            ),
            Answer(
                "non_empty_bins",
                "how many bins hold at least one request, by number of bins",
                _by(BIN_COUNTS, "bins={key} non_empty"),
            ),
        ),
        "counts = (2, 4, 8, 10)\n"
        "ece_by_bins = {n: expected_calibration_error(y_val, p_val, n_bins=n) for n in counts}\n"
        "non_empty_bins = {n: len(reliability_table(y_val, p_val, n_bins=n)) for n in counts}",
    ),
    "exercise_auc_flip": ExerciseCheck(
        (
            Answer(
                "auc_as_recorded",
                "validation AUC with the labels as recorded",
                "labels=recorded auc",
            ),
            Answer("auc_after_flip", "validation AUC with V4 relabelled", "labels=flipped auc"),
            Answer(
                "pairs_after_flip",
                "number of positive-negative pairs with V4 relabelled",
                "labels=flipped pairs",
            ),
        ),
        "auc_as_recorded = auc_by_pairs(y_val, p_val)\n"
        "auc_after_flip = auc_by_pairs(flipped, p_val)\n"
        "pairs_after_flip = pairs",
    ),
    "exercise_new_request": ExerciseCheck(
        (
            Answer("new_request_score", "the score z of REQ-10234", "score z"),
            Answer(
                "new_request_probability",
                "its probability of needing review",
                "probability of needing review",
            ),
            Answer(
                "new_request_decisions",
                '"human review" or "auto-process", by threshold',
                _by((0.2, 0.5), "decision at {key:.2f}"),
            ),
        ),
        "new_request_score = (x_new @ w)[0]\n"
        "new_request_probability = p_new[0]\n"
        "new_request_decisions = {\n"
        '    t: "human review" if predict_with_threshold(p_new, t)[0] else "auto-process"\n'
        "    for t in (0.2, 0.5)\n"
        "}",
    ),
}


def expected_answers(check: ExerciseCheck, record: str) -> tuple[dict[str, object], list[str]]:
    """The recorded value (text) of every answer, and the labels the record lacks."""
    values = bindings.values_of(record)
    expected: dict[str, object] = {}
    missing: list[str] = []
    for answer in check.answers:
        labels = {None: answer.labels} if isinstance(answer.labels, str) else answer.labels
        texts = {key: values.get(label) for key, label in labels.items()}
        missing += [label for key, label in labels.items() if texts[key] is None]
        expected[answer.name] = texts[None] if isinstance(answer.labels, str) else texts
    return expected, missing


def describe(answer: Answer) -> str:
    """One comment line telling the learner what to put into an answer variable."""
    if isinstance(answer.labels, str):
        return f"{answer.name}: {answer.meaning}"
    keys = ", ".join(repr(key) for key in answer.labels)
    return f"{answer.name}: {answer.meaning} (a dict with the keys {keys})"


def answer_cell_source(check: ExerciseCheck) -> str:
    """The learner's empty cell: only comments naming the variables to produce."""
    lines = ["# Your answer: write your code here and set"]
    for answer in check.answers:
        lines += textwrap.wrap(
            describe(answer), width=76, initial_indent="#   ", subsequent_indent="#       "
        )
    return "\n".join([*lines, "# then run the self-check cell below."])


def self_check_source(title: str, expected: Mapping[str, object]) -> str:
    """The self-check cell: calls the helper with the lesson's recorded values."""
    arguments = "".join(f"    {name}={value!r},\n" for name, value in expected.items())
    return (
        "# Self-check: compares your answers with the numbers the lesson recorded.\n"
        f"from {HELPER_MODULE} import check_answer\n\n"
        f"check_answer(\n    {title!r},\n    globals(),\n{arguments})"
    )


# ----------------------------------------------------------------- the self-check helper
# These four functions are copied verbatim into the notebook's lab_check.py, so they
# use nothing but the standard library and each other.


def check_answer(title: str, namespace: Mapping[str, object], **expected: object) -> None:
    """Print whether the answers in ``namespace`` match the values the lesson printed.

    Args:
        title: The exercise's title, printed first.
        namespace: Where the answers live, usually the notebook's ``globals()``.
        **expected: For each answer variable, the lesson's value as printed text, or a
            dict of such texts for a dict answer.
    """
    unset = [name for name in expected if namespace.get(name) is None]
    if len(unset) == len(expected):
        print(f"{title}: not answered yet (set {', '.join(expected)} in the cell above)")
        return
    notes: list[str] = []
    for name, wanted in expected.items():
        if name in unset:
            notes.append(f"{name}: not answered yet")
        else:
            notes += answer_differences(name, namespace[name], wanted)
    print(f"{title}: matches the lesson" if not notes else f"{title}: differs from the lesson")
    for note in notes:
        print(f"  {note}")


def answer_differences(name: str, value: object, wanted: object) -> list[str]:
    """What differs between one answer and the lesson's value; empty when they agree.

    Args:
        name: The answer variable's name, for the messages.
        value: The learner's value.
        wanted: The lesson's value as printed text, or a dict of such texts.

    Returns:
        One message per difference.
    """
    if not isinstance(wanted, dict):
        same, shown = as_recorded(value, str(wanted))
        return [] if same else [f"{name} is {shown}, the lesson has {wanted}"]
    if not isinstance(value, Mapping):
        keys = ", ".join(repr(key) for key in wanted)
        return [f"{name} should be a dict with the keys {keys}, not a {type(value).__name__}"]
    notes = []
    for key, text in wanted.items():
        found = [k for k in value if k == key or _close_keys(k, key)]
        if not found:
            notes.append(f"{name}[{key!r}] is missing, the lesson has {text}")
            continue
        same, shown = as_recorded(value[found[0]], text)
        if not same:
            notes.append(f"{name}[{key!r}] is {shown}, the lesson has {text}")
    return notes


def _close_keys(key: object, wanted: object) -> bool:
    """Whether two numeric dict keys are equal up to floating-point noise."""
    try:
        return abs(float(key) - float(wanted)) < 1e-9
    except (TypeError, ValueError):
        return False


def as_recorded(value: object, recorded: str) -> tuple[bool, str]:
    """Show ``value`` the way the lesson printed ``recorded``, and whether the two agree.

    Args:
        value: The learner's value: a number (Python or NumPy, or an array of one) or text.
        recorded: The lesson's printed value, such as ``0.20``, ``$36``, ``2.9e-02``.

    Returns:
        Whether they agree at the printed precision, and the learner's value so shown.
    """
    number = re.fullmatch(r"(\$?)[-+]?\d+(?:\.(\d+))?([eE][-+]?\d+)?", recorded)
    try:
        if hasattr(value, "item") and getattr(value, "size", 1) == 1:
            value = value.item()  # a NumPy number, or an array holding one
        if number is None:
            return str(value) == recorded, repr(value)[:60]
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False, f"{repr(value)[:60]} (not a number)"
        digits = len(number[2] or "")
        shown = number[1] + format(float(value), f".{digits}{'e' if number[3] else 'f'}")
    except (TypeError, ValueError, OverflowError) as error:
        return False, f"{repr(value)[:60]} ({type(error).__name__})"
    return shown == recorded, shown


HELPER_FUNCTIONS = (check_answer, answer_differences, _close_keys, as_recorded)


def helper_source() -> str:
    """The notebook's ``lab_check.py``: the self-check functions above, verbatim."""
    header = (
        '"""Self-checks of the lab\'s exercises (generated with the notebook; do not edit)."""\n\n'
        "from __future__ import annotations\n\n"
        "import re\n"
        "from collections.abc import Mapping\n"
    )
    return header + "".join(f"\n\n{inspect.getsource(f)}" for f in HELPER_FUNCTIONS)


# ----------------------------------------------------------------- the notebook


@dataclass(frozen=True)
class Sources:
    """Everything the notebook is made from, read by the hook (or a test).

    Attributes:
        page: The chapter page's Markdown, front matter included.
        snippets: Code of every executed snippet, by include path.
        records: Record of every executed snippet, by include path (``None``: no record).
        modules: Source of every importable local module, by module name.
        versions: Installed version of each third-party distribution, by distribution name.
    """

    page: str
    snippets: Mapping[str, str]
    records: Mapping[str, str | None]
    modules: Mapping[str, str]
    versions: Mapping[str, str] = field(default_factory=dict)


def slug(include: str) -> str:
    """A cell id part from an include path: ``chapter/train_model.py`` -> ``train-model``."""
    return Path(include).stem.replace("_", "-")


def role(kind: str, **details: str) -> dict:
    """Cell metadata that names the cell's role for the build check and the tests."""
    return {ROLE_KEY: {"role": kind, **details}}


def intro_cells(modules: list[str], versions: Mapping[str, str]) -> list:
    """The title cell: what the notebook is and how to run it."""
    files = ", ".join(f"`{name}.py`" for name in [*modules, HELPER_MODULE])
    pins = " ".join(f"{name}=={version}" for name, version in versions.items())
    needs = (
        f" It needs `{pins}` (other versions may round a last digit differently)." if pins else ""
    )
    text = (
        f"# {TITLE}\n\n"
        "The runnable companion of the chapter *Logistic regression* of Access-Review ML, "
        "generated from the chapter's own code when the site was built.\n\n"
        f"1. Run the setup cells once: they write {files} into the folder of this notebook.\n"
        "2. Run the lessons in order: every lesson cell prints exactly what the chapter shows. "
        "Change them and watch the numbers move.\n"
        "3. The exercises at the end leave an empty cell for your code, and a self-check cell "
        "below it compares your numbers with the lesson's.\n\n"
        f"Run it with Python {PYTHON} or later and Jupyter, in an empty folder.{needs}"
    )
    return [v4.new_markdown_cell(text, id="intro")]


def setup_cells(modules: list[str], sources: Mapping[str, str]) -> list:
    """A heading, then one ``%%writefile`` cell per module and one for the helper."""
    cells = [
        v4.new_markdown_cell(
            "## Setup\n\nThe chapter's modules, exactly as the chapter imports them, "
            "and the helper of the exercises' self-checks.",
            id="setup",
        )
    ]
    files = [*((name, sources[name]) for name in modules), (HELPER_MODULE, helper_source())]
    for name, code in files:
        source = f"%%writefile {name}.py\n{code.rstrip()}\n"
        meta = role("module", module=name)
        cells.append(v4.new_code_cell(source, id=f"setup-{name.replace('_', '-')}", metadata=meta))
    return cells


FIGURE_NOTE = (
    "\n\nIn Jupyter, `publish` shows the figure below the cell; it also prints the data "
    "summary and digest that the build checks against the lesson's record."
)


def lesson_cells(chapter: Chapter, snippets: Mapping[str, str]) -> list:
    """One Markdown and one code cell per lesson snippet, with section headings."""
    cells, section = [], None
    for lesson in chapter.lessons:
        code = snippets[lesson.include]
        heading = f"## {notebook_markdown(lesson.section)}\n\n" if lesson.section != section else ""
        section = lesson.section
        text = f"{heading}`{Path(lesson.include).name}`: {notebook_markdown(summary_of(code))}"
        text += FIGURE_NOTE if "publish" in assigned_names(code) else ""
        cells.append(v4.new_markdown_cell(text, id=f"lesson-{slug(lesson.include)}-text"))
        meta = role("lesson", snippet=lesson.include)
        cells.append(
            v4.new_code_cell(code.rstrip(), id=f"lesson-{slug(lesson.include)}", metadata=meta)
        )
    return cells


def exercise_cells(exercise: Exercise, check: ExerciseCheck, expected: dict) -> list:
    """The prompt, the learner's empty cell and the self-check cell of one exercise."""
    key = slug(exercise.include)
    prompt = f"### {notebook_markdown(exercise.title)}\n\n{notebook_markdown(exercise.prompt)}"
    answer_meta = role("answer", exercise=exercise.include)
    check_meta = role("self-check", exercise=exercise.include)
    return [
        v4.new_markdown_cell(prompt, id=f"{key}-prompt"),
        v4.new_code_cell(answer_cell_source(check), id=f"{key}-answer", metadata=answer_meta),
        v4.new_code_cell(
            self_check_source(exercise.title, expected), id=f"{key}-check", metadata=check_meta
        ),
    ]


def exercises_heading() -> list:
    """The heading cell of the exercises."""
    text = (
        "## Exercises\n\n"
        "Fit on the training requests only; use the validation requests to choose and to "
        "audit. Each exercise leaves an empty cell: write your code there, set the variables "
        "its comment names, then run the self-check below it. The chapter's *Solution* "
        "blocks hold the lesson's own answers."
    )
    return [v4.new_markdown_cell(text, id="exercises")]


def exercise_problems(exercise: Exercise, sources: Sources, taken: set[str]) -> list[str]:
    """Why an exercise cannot get a self-check: no spec, no record, a missing label."""
    stem = Path(exercise.include).stem
    if stem not in CHECKS:
        return [f"{NOTEBOOK}: exercise {stem} has no self-check in hooks/notebook.py CHECKS"]
    record = sources.records.get(exercise.include)
    if record is None:
        return [f"{NOTEBOOK}: exercise {stem} has no record to check answers against"]
    _, missing = expected_answers(CHECKS[stem], record)
    problems = [f"{NOTEBOOK}: snippets/{exercise.include} prints no value {m!r}" for m in missing]
    clashes = {answer.name for answer in CHECKS[stem].answers} & taken
    problems += [f"{NOTEBOOK}: answer {name!r} of {stem} is set by a lesson" for name in clashes]
    return problems


def exercise_section(chapter: Chapter, sources: Sources, taken: set[str]) -> tuple[list, list[str]]:
    """The exercises' cells, and why any exercise could not get its self-check."""
    cells, problems = exercises_heading() if chapter.exercises else [], []
    for exercise in chapter.exercises:
        exercise = replace(exercise, prompt=resolve_bindings(exercise.prompt, sources.records))
        found = exercise_problems(exercise, sources, taken)
        if not found:
            check = CHECKS[Path(exercise.include).stem]
            expected, _ = expected_answers(check, sources.records[exercise.include] or "")
            cells += exercise_cells(exercise, check, expected)
        problems += found
    return cells, problems


def build_notebook(sources: Sources) -> tuple[nbformat.NotebookNode, list[str]]:
    """The lab notebook, and the problems that make it incomplete (empty when none)."""
    chapter = read_chapter(sources.page)
    lesson_codes = [sources.snippets[lesson.include] for lesson in chapter.lessons]
    modules = local_modules(lesson_codes, sources.modules)
    taken = set().union(*map(assigned_names, [*lesson_codes, *map(sources.modules.get, modules)]))
    exercises, problems = exercise_section(chapter, sources, taken)
    cells = [
        *intro_cells(modules, sources.versions),
        *setup_cells(modules, sources.modules),
        *lesson_cells(chapter, sources.snippets),
        *exercises,
    ]
    return new_notebook(cells), problems


def new_notebook(cells: list) -> nbformat.NotebookNode:
    """A version-4.5 notebook for a Python 3 kernel holding ``cells``."""
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    nbformat.validate(notebook)
    return notebook


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """The notebook as the ``.ipynb`` file's text (same notebook, same bytes)."""
    return nbformat.writes(notebook, version=4) + "\n"


# ----------------------------------------------------------------- checking the executed notebook


@dataclass(frozen=True)
class CellOutput:
    """What one executed code cell printed: stdout, and stderr with any traceback."""

    stdout: str
    stderr: str


ANSI = re.compile(r"\x1b\[[0-9;]*m")
HTML_CELL = re.compile(r'<div class="jp-Cell jp-CodeCell[^"]*" id="cell-id=(?P<id>[^"]+)">')
HTML_NEXT_CELL = re.compile(r'<div class="jp-Cell ')
HTML_OUTPUT = re.compile(
    r'<div class="jp-RenderedText jp-OutputArea-output(?P<classes>[^"]*)" '
    r'data-mime-type="(?P<kind>[^"]+)"[^>]*>\s*<pre>(?P<text>.*?)</pre>',
    re.DOTALL,
)
HTML_STDERR = "application/vnd.jupyter.stderr"


def outputs_of(notebook: nbformat.NotebookNode) -> dict[str, CellOutput]:
    """The output of every code cell of an executed notebook, by cell id."""
    found = {}
    for cell in (c for c in notebook.cells if c.cell_type == "code"):
        streams = {"stdout": "", "stderr": ""}
        for output in cell.outputs:
            if output.output_type == "stream":
                streams[output.name] += output.text
            elif output.output_type == "error":
                streams["stderr"] += ANSI.sub("", "\n".join(output.traceback)) + "\n"
        found[cell.id] = CellOutput(streams["stdout"], streams["stderr"])
    return found


def html_outputs(page: str) -> dict[str, CellOutput]:
    """The output of every code cell in nbconvert's ``lab`` HTML, by cell id.

    nbconvert marks each code cell with ``id="cell-id=ID"`` and each stream with its MIME
    type (``text/plain`` for stdout; stderr and tracebacks share the stderr type).
    """
    found = {}
    for match in HTML_CELL.finditer(page):
        following = HTML_NEXT_CELL.search(page, match.end())
        segment = page[match.end() : following.start() if following else len(page)]
        streams = {"text/plain": "", HTML_STDERR: ""}
        for output in HTML_OUTPUT.finditer(segment):
            if output["kind"] in streams and "executeResult" not in output["classes"]:
                streams[output["kind"]] += html.unescape(re.sub(r"<[^>]*>", "", output["text"]))
        found[match["id"]] = CellOutput(streams["text/plain"], streams[HTML_STDERR])
    return found


STREAM_OPENING = (
    r'<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="(?P<kind>[^"]+)"'
    r"[^>]*>\s*<pre>"
)
STREAM_SPLIT = re.compile(
    rf"(?P<head>{STREAM_OPENING})(?P<text>(?:(?!</pre>).)*)"
    r'</pre>\s*</div>\s*</div>\s*<div class="jp-OutputArea-child">\s*'
    r'<div class="jp-OutputPrompt jp-OutputArea-prompt"></div>\s*'
    + STREAM_OPENING.replace('(?P<kind>[^"]+)', "(?P=kind)"),
    re.DOTALL,
)


def merged_streams(page: str) -> str:
    """One output block per stream of a cell, however the kernel happened to chunk it.

    A cell that prints while it computes (``fit_logistic``'s progress) reaches nbconvert
    in a varying number of messages, each its own block; merged, two builds agree.
    """
    while True:
        merged = STREAM_SPLIT.sub(lambda m: m["head"] + m["text"], page)
        if merged == page:
            return page
        page = merged


def indented(text: str) -> str:
    """``text`` indented for a report."""
    return "\n".join(f"    {line}" for line in text.rstrip().splitlines())


def lesson_problem(where: str, include: str, output: CellOutput, record: str | None) -> str | None:
    """How a lesson cell's output differs from its snippet's record, or None."""
    head = f"{where}  snippets/{include}"
    if output.stderr:
        return f"{head}: the notebook cell wrote to stderr or raised\n{indented(output.stderr)}"
    if record is None:
        return f"{head}: has no record to compare the notebook cell with"
    if output.stdout == record:
        return None
    outcome = runner.Outcome(runner.SNIPPETS / include, "ok", stdout=output.stdout, record=record)
    report = runner.drift_report(outcome)
    return f"{head}: the notebook cell printed something other than its record\n{report}"


def cell_problem(where: str, cell, output: CellOutput | None, records: Mapping) -> str | None:
    """What is wrong with one executed code cell, or None."""
    meta = cell.metadata.get(ROLE_KEY, {})
    if output is None:
        return f"{where}: no output of cell {cell.id!r} found in the executed notebook"
    if meta.get("role") == "lesson":
        return lesson_problem(where, meta["snippet"], output, records.get(meta["snippet"]))
    if output.stderr:
        return f"{where} ({meta.get('role', 'code')}): wrote to stderr\n{indented(output.stderr)}"
    return None


def output_problems(
    notebook: nbformat.NotebookNode,
    outputs: Mapping[str, CellOutput],
    records: Mapping[str, str | None],
) -> list[str]:
    """Every lesson cell whose output is not its record, and every cell that wrote to stderr."""
    problems = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code":
            where = f"{NOTEBOOK} cell {number}"
            problems.append(cell_problem(where, cell, outputs.get(cell.id), records))
    return [problem for problem in problems if problem]


def self_check_outputs(
    notebook: nbformat.NotebookNode, outputs: Mapping[str, CellOutput]
) -> dict[str, str]:
    """What each exercise's self-check cell printed, by solution include path."""
    return {
        cell.metadata[ROLE_KEY]["exercise"]: outputs[cell.id].stdout if cell.id in outputs else ""
        for cell in notebook.cells
        if cell.metadata.get(ROLE_KEY, {}).get("role") == "self-check"
    }


def answered_too_early(
    notebook: nbformat.NotebookNode, outputs: Mapping[str, CellOutput]
) -> list[str]:
    """Self-checks that did not say "not answered yet" on the untouched notebook.

    One would mean that a lesson (or the helper) already sets an answer variable, or
    that the self-check is broken.
    """
    return [
        f"{NOTEBOOK}  self-check of snippets/{exercise} did not say {NOT_ANSWERED!r} "
        f"on the empty notebook: {said.strip()!r}"
        for exercise, said in self_check_outputs(notebook, outputs).items()
        if NOT_ANSWERED not in said
    ]


# ----------------------------------------------------------------- a lighter, offline page


EXTERNAL_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>"  # a script from a CDN
    r"|<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"  # MathJax and its config
    r"|<script type=\"module\">(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>",
    re.DOTALL,  # the last one: mermaid, imported from a CDN
)
EXTERNAL_REFERENCE = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?)(?P<url>(?:https?:)?//[^"'\s>)]*)"""
    r"""|@import\s+(?:url\()?\s*["']?(?P<imported>[^"'\s;)]*)""",
    re.IGNORECASE,
)
STYLE_BLOCK = re.compile(r"(?P<open><style\b[^>]*>)(?P<css>.*?)(?P<close></style>)", re.DOTALL)


CELL_BOUNDARY = re.compile(
    r'<div class="jp-Cell jp-CodeCell jp-Notebook-cell[^"]*">'  # a code cell's outer div
    r'|<div class="jp-Cell jp-(?:MarkdownCell|RawCell)[^>]*>'
    r"|</div> <!-- jp-Notebook -->"
)
SEARCH_SKIP = '<section data-search-exclude="code" style="display:contents">'


def code_out_of_search(page: str) -> str:
    """Wrap each code cell in a layout-neutral ``data-search-exclude`` section.

    The code is the chapter's own, which search already finds on the chapter page, so
    only the notebook's headings and prose are indexed. A ``section`` because Material's
    search parser ends an exclusion at the first closing tag of the same name.
    """
    bounds = list(CELL_BOUNDARY.finditer(page))
    parts, done = [], 0
    for here, following in itertools.pairwise(bounds):
        if here.group(0).startswith('<div class="jp-Cell jp-CodeCell'):
            cell = page[here.start() : following.start()]
            parts += [page[done : here.start()], SEARCH_SKIP, cell, "</section>"]
            done = following.start()
    return "".join([*parts, page[done:]])


def without_external_scripts(page: str) -> str:
    """Drop the CDN loaders nbconvert writes (MathJax, mermaid): the page needs neither."""
    return EXTERNAL_SCRIPT.sub("", page)


def external_references(page: str, site_url: str = "") -> list[str]:
    """Every ``src``, ``href``, ``url()`` or ``@import`` target on another host.

    Args:
        page: The built page.
        site_url: The site's own address, if it has one (``mkdocs serve`` sets it, and
            Material links the page's canonical address to it): not another host.
    """
    found = [m["url"] or m["imported"] for m in EXTERNAL_REFERENCE.finditer(page)]
    return [url for url in found if not (site_url and url.startswith(site_url))]


@dataclass(frozen=True)
class Used:
    """The class names, ids and element names a page uses."""

    classes: frozenset[str]
    ids: frozenset[str]
    tags: frozenset[str]


def used_names(page: str) -> Used:
    """Class names, ids and tags of ``page`` (style blocks excluded)."""
    markup = STYLE_BLOCK.sub("", page)
    classes = re.findall(r"\sclass\s*=\s*[\"']([^\"']*)[\"']", markup)
    return Used(
        frozenset(name for value in classes for name in value.split()),
        frozenset(re.findall(r"\sid\s*=\s*[\"']([^\"']*)[\"']", markup)),
        frozenset(tag.lower() for tag in re.findall(r"<([a-zA-Z][\w-]*)", markup)),
    )


def selector_may_match(selector: str, used: Used) -> bool:
    """Whether a CSS selector can match the page (conservative: unsure means yes)."""
    if "\\" in selector or ".md-" in selector or "data-md" in selector:
        return True
    bare = re.sub(r"\[[^\]]*\]", "", selector)
    bare = re.sub(r"\((?:[^()]|\([^()]*\))*\)", "", bare)
    classes = re.findall(r"\.(-?[_a-zA-Z][\w-]*)", bare)
    ids = re.findall(r"#(-?[_a-zA-Z][\w-]*)", bare)
    tags = re.findall(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)", bare)
    return (
        all(name in used.classes for name in classes)
        and all(name in used.ids for name in ids)
        and all(tag.lower() in used.tags for tag in tags)
    )


def split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(prelude[start:index].strip())
            start = index + 1
    return [*parts, prelude[start:].strip()]


GROUPING_RULES = {"media", "supports", "layer", "container"}
CSS_TOKEN = re.compile(r"/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|[{};]", re.DOTALL)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def css_statements(css: str) -> list[tuple[str, str | None]]:
    """Top-level statements of a stylesheet as ``(prelude, block)``; ``None``: no block.

    A scan over braces, semicolons, strings and comments only: much faster than a full
    tokenizer on mkdocs-jupyter's 600 KB of CSS.
    """
    statements: list[tuple[str, str | None]] = []
    depth = start = opening = 0
    for token in CSS_TOKEN.finditer(css):
        text = token.group(0)
        if text == "{":
            opening = token.start() if depth == 0 else opening
            depth += 1
        elif text == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                statements.append((css[start:opening], css[opening + 1 : token.start()]))
                start = token.end()
        elif text == ";" and depth == 0:
            statements.append((css[start : token.start()], None))
            start = token.end()
    return statements


def kept_css(css: str, used: Used) -> str:
    """The statements of a stylesheet whose selectors may match the page."""
    kept = []
    for prelude, block in css_statements(css):
        head = CSS_COMMENT.sub("", prelude).strip()
        keyword = head[1:].split(maxsplit=1)[0].split("(")[0].lower() if head[:1] == "@" else ""
        if keyword in GROUPING_RULES and block is not None:
            inner = kept_css(block, used)
            kept += [f"{head}{{{inner}}}"] if inner else []
        elif keyword and keyword != "charset":
            kept.append(f"{head}{{{block}}}" if block is not None else f"{head};")
        elif not keyword and block is not None:
            matching = [s for s in split_selectors(head) if selector_may_match(s, used)]
            kept += [f"{','.join(matching)}{{{block}}}"] if matching else []
    return "\n".join(kept)


def _rule_list(content) -> list:
    return tinycss2.parse_rule_list(content, skip_comments=True, skip_whitespace=True)


VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")


def _declarations(content) -> list:
    return tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)


def _walk_declarations(rules: list):
    """Every declaration of a stylesheet, nested grouping rules included."""
    for rule in rules:
        if rule.type in {"qualified-rule", "at-rule"} and rule.content is not None:
            if rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_RULES:
                yield from _walk_declarations(_rule_list(rule.content))
            else:
                yield from (d for d in _declarations(rule.content) if d.type == "declaration")


def used_variables(rules: list) -> set[str]:
    """Custom properties that a property uses, directly or through other variables."""
    uses: dict[str, set[str]] = {}
    roots: set[str] = set()
    for declaration in _walk_declarations(rules):
        referenced = set(VAR_USE.findall(tinycss2.serialize(declaration.value)))
        if declaration.name.startswith("--"):
            uses.setdefault(declaration.name, set()).update(referenced)
        else:
            roots |= referenced
    needed, queue = set(), list(roots)
    while queue:
        name = queue.pop()
        if name not in needed:
            needed.add(name)
            queue += uses.get(name, ())
    return needed


def _declaration_text(declaration) -> str:
    important = " !important" if declaration.important else ""
    return f"{declaration.name}:{tinycss2.serialize(declaration.value).strip()}{important}"


def without_variables(rules: list, keep: set[str]) -> str:
    """The stylesheet without the custom property definitions not in ``keep``."""
    out = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_RULES and rule.content:
            inner = without_variables(_rule_list(rule.content), keep)
            out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "qualified-rule":
            parts = [
                _declaration_text(d) if d.type == "declaration" else tinycss2.serialize([d])
                for d in _declarations(rule.content)
                if d.type != "declaration" or not d.name.startswith("--") or d.name in keep
            ]
            if parts:
                out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{';'.join(parts)}}}")
        else:
            out.append(tinycss2.serialize([rule]))
    return "\n".join(out)


def _parsed(css: str) -> list:
    return tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)


def lighter_page(page: str) -> str:
    """The page with its inline stylesheets pruned to the rules and variables it can use.

    Rules go first, block by block; then custom properties that no kept rule (of any
    block) and no ``style`` attribute uses, directly or through another variable.
    """
    used = used_names(page)
    blocks = [_parsed(kept_css(m["css"], used)) for m in STYLE_BLOCK.finditer(page)]
    attributes = "".join(re.findall(r"\sstyle\s*=\s*\"([^\"]*)\"", STYLE_BLOCK.sub("", page)))
    needed = used_variables([rule for block in blocks for rule in block])
    needed |= set(VAR_USE.findall(attributes))
    pruned = iter([without_variables(block, needed) for block in blocks])
    return STYLE_BLOCK.sub(lambda m: m["open"] + next(pruned) + m["close"], page)
