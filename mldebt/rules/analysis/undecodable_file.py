"""MLD002: a source file whose bytes do not decode in its declared encoding."""

from __future__ import annotations

from mldebt.rules.analysis import FileProblemRule
from mldebt.rules.base import Invalid, Valid


class UndecodableFile(FileProblemRule):
    """
    ## What it does
    Reports a source file whose bytes do not decode in its declared encoding (UTF-8 unless a
    PEP 263 coding cookie says otherwise).

    ## Why is this bad?
    Python itself refuses to import such a file, and mldebt cannot analyse it.

    ## Example
    A file declaring `# -*- coding: utf-8 -*-` that contains Latin-1 bytes.

    ## Use instead
    Re-encode the file as UTF-8, or declare its real encoding.
    """

    code = "MLD002"
    name = "undecodable-file"
    VALID = [Valid({"latin.py": "# -*- coding: latin-1 -*-\n# caf\udce9\nx = 1\n"})]
    INVALID = [
        Invalid(
            {"latin.py": "# caf\udce9\nx = 1\n"},
            path="latin.py", line=1, column=1,
            message="bad encoding declaration: invalid or missing encoding declaration",
        )
    ]
