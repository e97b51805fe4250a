"""Access-Review ML's course build: engine, page checks, lab notebooks, quizzes, MkDocs adapter.

Layers, from the bottom up:

* :mod:`coursebuild.engine` runs snippets (fixed environment, warm worker, tree protection,
  content-addressed cache) and compares them with their records; it knows no Markdown.
* :mod:`coursebuild.page` reads fences, binds numbers, audits typed numbers, checks links,
  renders equations.
* :mod:`coursebuild.lab` generates, executes and checks each chapter's lab notebook.
* :mod:`coursebuild.quiz` reads and renders chapter quizzes.
* :mod:`coursebuild.mkdocs_adapter` is the only module that imports MkDocs.
"""
