"""One small project that carries every kind of fault, and one healthy chapter beside them.

A single ``mkdocs build`` of it proves, each asserted separately in its one end report:
drift, an exception, a time limit, a memory limit, a missing snippet, a missing record,
fence typos, invalid TeX, an unknown binding, a typed number, broken links, bad quiz data,
snippets that try to change the tree, and lab-only failures (a hang and a write in the
kernel). The healthy chapter (two snippets reading a CSV file, one exercise, a
three-question quiz) proves that a second chapter needs no change to the package.
"""

from __future__ import annotations

import textwrap

from tests.projects import exec_fence

PAGE = "faults.md"
CHAPTER = "second-chapter.md"


def dedent(text: str) -> str:
    """``textwrap.dedent`` without the leading newline."""
    return textwrap.dedent(text).lstrip("\n")


SNIPPETS = {
    "faults/hello.py": (
        "# Prints a mean.\nprint('mean:', (1 + 2 + 4) / 3)\n",
        "mean: 2.3433333333333333\n",
    ),
    "faults/raises.py": ("# Raises.\nx = 1\nraise ValueError('bad x')\n", "x\n"),
    "faults/slow.py": ("# runner: timeout=1\nimport time\ntime.sleep(30)\n", ""),
    "faults/hungry.py": (
        "# runner: memory=200M\nimport numpy as np\nhuge = np.ones(10**9)\nprint(huge.sum())\n",
        "",
    ),
    "faults/unrecorded.py": ("print('new output')\n", None),
    "faults/own_record.py": (
        "# Appends to its own record.\nwith open('own_record.out', 'a') as out:\n"
        "    out.write('changed')\nprint('done')\n",
        "done\n",
    ),
    "faults/page_writer.py": (
        "# Tries to edit the page and to remove a file, catching the refusals.\n"
        "import os, tempfile\nfrom pathlib import Path\n"
        "for attempt in (lambda: Path('../../docs/faults.md').write_text('gone'),\n"
        "                lambda: os.remove('hello.py'),\n"
        "                lambda: os.rename('raises.py', 'moved.py')):\n"
        "    try:\n        attempt()\n    except PermissionError as error:\n"
        "        print('refused:', error.filename)\n"
        "with tempfile.TemporaryDirectory() as scratch:\n"
        "    Path(scratch, 'note.txt').write_text('fine')\n"
        "    print('temporary folder:', Path(scratch, 'note.txt').read_text())\n",
        "refused: docs/faults.md\nrefused: snippets/faults/hello.py\n"
        "refused: snippets/faults/raises.py\ntemporary folder: fine\n",
    ),
    "faults/bound.py": ("# Prints a bound value.\nprint('answer: 42')\n", "answer: 42\n"),
    "lab_hang/waits.py": (
        "# runner: timeout=2\n# Hangs only in the lab's kernel.\nimport sys, time\n"
        "if 'ipykernel' in sys.modules:\n    time.sleep(600)\nprint('ready')\n",
        "ready\n",
    ),
    "lab_write/writes.py": (
        "# Writes into the project only in the lab's kernel.\nimport sys\n"
        "if 'ipykernel' in sys.modules:\n    open('ROOT_FILE', 'w').write('x')\nprint('ready')\n",
        "ready\n",
    ),
    "second_chapter/load_table.py": (
        "# Reads the chapter's table from a CSV file beside it.\nfrom pathlib import Path\n"
        "rows = [line.split(',') for line in Path('table.csv').read_text().split()]\n"
        "print('rows:', len(rows))\nprint('first latency:', rows[0][1])\n",
        "rows: 3\nfirst latency: 120\n",
    ),
    "second_chapter/total.py": (
        "# Adds the latencies with the chapter's module.\nfrom tally import total_latency\n"
        "print('total latency:', total_latency())\n",
        "total latency: 450\n",
    ),
    "second_chapter/exercise_mean.py": (
        "# Solution: the mean latency.\nfrom tally import latencies\n"
        "values = latencies()\nmean = sum(values) / len(values)\n"
        "print(f'mean latency: {mean:.1f}')\n",
        "mean latency: 150.0\n",
    ),
}

FILES = {
    "snippets/second_chapter/table.csv": "a,120\nb,150\nc,180\n",
    "snippets/second_chapter/tally.py": dedent(
        '''
        """The chapter's module: latencies read from the table beside it."""

        from pathlib import Path

        TABLE = Path(__file__).with_name("table.csv")


        def latencies() -> list[int]:
            """Every latency of the table, in milliseconds."""
            return [int(line.split(",")[1]) for line in TABLE.read_text().split()]


        def total_latency() -> int:
            """The sum of the latencies."""
            return sum(latencies())
        '''
    ),
    "snippets/second_chapter/exercises.yml": dedent(
        """
        exercise_mean:
          answers:
            - name: mean_latency
              meaning: the mean latency in milliseconds
              label: mean latency
          hand_in: |
            mean_latency = mean
        """
    ),
    "snippets/second_chapter/quiz.yml": dedent(
        """
        lesson: second-chapter
        pass_mark: 2
        count: 3
        questions:
          - id: rows
            question: How many rows does the table hold?
            options:
              - {text: "{{ load_table \\"rows\\" }}", correct: true, feedback: Counted.}
              - {text: None, feedback: The snippet reads a table.}
          - id: total
            question: What is the total latency?
            options:
              - {text: Zero, feedback: The table is not empty.}
              - {text: "{{ total \\"total latency\\" }}", correct: true, feedback: Added up.}
          - id: file
            question: Where does the table live?
            options:
              - {text: In a CSV file beside the snippets, correct: true, feedback: Yes.}
              - {text: In the page, feedback: The page shows it only.}
        """
    ),
    "snippets/faults/quiz.yml": dedent(
        """
        lesson: faults
        pass_mark: 1
        questions:
          - id: both-right
            question: Which is right?
            options:
              - {text: This one, correct: true, feedback: Yes.}
              - {text: That one, correct: true, feedback: Also yes.}
        """
    ),
}

HOME = "# Test course\n\nNo snippet here.\n"

CHAPTER_PAGE = dedent(
    """
    ---
    title: Second chapter
    ---

    # Second chapter

    The table lives in a CSV file beside the snippets.

    ## Loading the table

    EXEC_LOAD

    It has {{ load_table "rows" }} rows; the sum is {{ total "total latency" }}.

    EXEC_TOTAL

    ## Exercises

    Work these in the lab.

    ### Mean latency

    Compute the mean latency of the table.

    ??? success "Solution"
        EXEC_MEAN

    ## Check your understanding

    <!-- quiz: second_chapter/quiz.yml -->
    """
)

LAB_PAGES = {
    "lab-hang.md": "# Lab hang\n\nEXEC\n".replace("EXEC", exec_fence("lab_hang/waits.py")),
    "lab-write.md": "# Lab write\n\nEXEC\n".replace("EXEC", exec_fence("lab_write/writes.py")),
}

# Each fault of the faults page, in page order: (name, Markdown). The test finds its line.
FAULT_BLOCKS = [
    ("drift", exec_fence("faults/hello.py")),
    ("raises", exec_fence("faults/raises.py")),
    ("slow", exec_fence("faults/slow.py")),
    ("hungry", exec_fence("faults/hungry.py")),
    ("missing", exec_fence("faults/nowhere.py")),
    ("unrecorded", exec_fence("faults/unrecorded.py")),
    ("own_record", exec_fence("faults/own_record.py")),
    ("page_writer", exec_fence("faults/page_writer.py")),
    ("typo", exec_fence("faults/hello.py", 'exec="on" source="abve" result="text"')),
    ("unknown", exec_fence("faults/hello.py", 'exce="on" source="above"')),
    ("bound", exec_fence("faults/bound.py")),
    ("tex", "Broken $\\sigmaa(z)$ here.\n"),
    ("binding", 'The answer is {{ bound "median" }}.\n'),
    ("typed", "The mean is 2.333 by hand.\n"),
    ("link", "See [nothing](no-such-page.md).\n"),
    ("anchor", "See [the chapter](second-chapter.md#no-such-part).\n"),
    ("quiz", "<!-- quiz: faults/quiz.yml -->\n"),
]


def faults_page() -> tuple[str, dict[str, int]]:
    """The faults page, and the line where each fault block starts."""
    text, lines = "---\nlab: false\n---\n# Faults\n\n", {}
    for name, block in FAULT_BLOCKS:
        lines[name] = text.count("\n") + 1
        text += block + "\n"
    return text, lines


def project_files(root_file: str) -> tuple[dict[str, str], dict[str, int]]:
    """Every file of the project (``root_file``: where the kernel-only writer writes)."""
    page, lines = faults_page()
    files = {"docs/index.md": HOME, f"docs/{PAGE}": page, **FILES}
    chapter = CHAPTER_PAGE.replace("EXEC_LOAD", exec_fence("second_chapter/load_table.py"))
    chapter = chapter.replace("EXEC_TOTAL", exec_fence("second_chapter/total.py"))
    solution = exec_fence("second_chapter/exercise_mean.py").replace("\n", "\n    ")
    files[f"docs/{CHAPTER}"] = chapter.replace("EXEC_MEAN", solution.rstrip())
    files.update({f"docs/{name}": text for name, text in LAB_PAGES.items()})
    for include, (code, record) in SNIPPETS.items():
        files[f"snippets/{include}"] = code.replace("ROOT_FILE", root_file)
        if record is not None:
            files[f"snippets/{include.removesuffix('.py')}.out"] = record
    return files, lines


NAV = ["Home: index.md", f"Second chapter: {CHAPTER}", f"Faults: {PAGE}", *LAB_PAGES]
