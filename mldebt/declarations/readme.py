"""Where a README says its folder's scripts run: `python train.py` in ch06/README.md means
ch06/train.py runs from ch06, so its bare relative paths (`train.csv`) are ch06's files, not
the root's. Books and courses keep one folder per lesson, each run from its own folder.

Only a command that runs a script of the README's own folder (or, after a `cd`, of the folder
it moves to) by its path from there counts; `python ch06/train.py` runs it from elsewhere.
"""

from __future__ import annotations

import posixpath
import re

from mldebt.declarations.entry import detect_invocation
from mldebt.declarations.harvest import Harvest

README = re.compile(r"(?i)^readme(\.(md|markdown|rst|txt))?$")
# A shell prompt or a notebook's shell escape before the command: `$ python x.py`, `!python x.py`.
_PROMPT = re.compile(r"^\s*(?:[$%>]\s+|!)")


def collect_folder_runs(harvest: Harvest, path: str) -> None:
    """Record the scripts that the README at ``path`` runs from their own folder."""
    text = harvest.text(path, manifest=False)
    if text is None:
        return
    folder = posixpath.dirname(path)
    for line in text.splitlines():
        if "python" not in line and ".py" not in line:
            continue
        invocation = detect_invocation([_PROMPT.sub("", line)], folder, harvest.files)
        if (
            invocation is not None and invocation.cwd and invocation.entry in harvest.files
            and invocation.entry.endswith(".py") and posixpath.dirname(invocation.entry) == invocation.cwd
        ):
            harvest.add_folder_run(invocation.entry)
