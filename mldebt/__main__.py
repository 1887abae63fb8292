"""`python -m mldebt`: the same as the `mldebt` command, with one more risk.

`python -m` puts the current directory first on sys.path, and mldebt runs from inside the
repositories it analyses, which are untrusted. The entry is dropped before anything of ours is
imported (as Python 3.11's `-P` would); mldebt's own modules are found through its package.
But runpy has by then imported modules of its own (importlib, contextlib, warnings, types, ...)
with that entry in place: a `contextlib.py` in the directory has already run. That cannot be
undone, only refused: when the directory holds a module that shadows one already imported,
mldebt stops, and says to use the `mldebt` command or `python -P -m mldebt`.
"""

import os
import sys
from importlib.machinery import all_suffixes


def _shadowing(directory: str) -> list[str]:
    """Files in ``directory`` named like a top-level module this interpreter has imported."""
    try:
        entries = set(os.listdir(directory))
    except OSError:
        return []
    found = []
    for name in sorted({module.partition(".")[0] for module in sys.modules} - {"__main__", "mldebt"}):
        found.extend(name + suffix for suffix in all_suffixes() if name + suffix in entries)
        if name in entries and os.path.exists(os.path.join(directory, name, "__init__.py")):
            found.append(f"{name}/")
    return found


if sys.path and os.path.abspath(sys.path[0] or os.curdir) == os.getcwd():
    del sys.path[0]
    shadows = _shadowing(os.getcwd())
    if shadows:
        sys.stderr.write(
            f"mldebt: error: the current directory holds {', '.join(shadows[:5])}, which `python -m` may "
            "already have imported in place of the standard library's; in a repository you do not "
            "trust, run the `mldebt` command or `python -P -m mldebt` instead\n"
        )
        sys.exit(2)

from mldebt.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
