"""Parsing: modules with libcst, notebooks into code cells with a line map, fact extraction."""
