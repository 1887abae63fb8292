"""MLD004: a `.ipynb` file that is not a readable Jupyter notebook."""

from __future__ import annotations

from mldebt.rules.analysis import FileProblemRule
from mldebt.rules.base import Invalid, Valid


class InvalidNotebook(FileProblemRule):
    """
    ## What it does
    Reports a `.ipynb` file that is not a readable Jupyter notebook: invalid JSON, or JSON
    without notebook cells.

    ## Why is this bad?
    Jupyter cannot open it either, and none of its cells can be analysed. Broken notebooks
    often come from merge conflicts committed by mistake.

    ## Use instead
    Repair the notebook (for instance with `nbdime` for merge conflicts) or delete it.
    """

    code = "MLD004"
    name = "invalid-notebook"
    VALID = [
        Valid(
            {
                "eda.ipynb": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", '
                    '"metadata": {}, "outputs": [], "execution_count": null, "source": "x = 1"}]}'
            }
        )
    ]
    INVALID = [
        Invalid(
            {"broken.ipynb": '{"cells": [\n'},
            path="broken.ipynb", line=2, column=1,
            message="invalid notebook JSON: Expecting value",
        )
    ]
