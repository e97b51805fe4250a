"""Build machinery: the snippet runner, its worker and the MkDocs hooks."""
