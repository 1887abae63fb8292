"""`python -m mldebt`: the same as the `mldebt` command.

`python -m` puts the current directory first on sys.path, and mldebt runs from inside the
repositories it analyses, which are untrusted: a `json.py` there must never be imported in
place of the standard library's. The entry is dropped before anything else is imported (as
Python 3.11's `-P` would); mldebt's own modules are found through its package, not sys.path.
"""

import os
import sys

if sys.path and os.path.abspath(sys.path[0] or os.curdir) == os.getcwd():
    del sys.path[0]

from mldebt.cli import main

if __name__ == "__main__":
    main()
