"""The problems of one build, shared by its hooks and reported once, at the end."""

PROBLEMS: list[str] = []
