"""libcst for file rules, imported when a rule first uses it: `from mldebt.rules import nodes as cst`.

Every run imports every rule's module, to know its code and name; a warm run parses nothing,
and importing libcst would cost it about a third of its time. A rule module that imported
libcst itself would make every run pay for it. Here a name is looked up in libcst on its
first use, during a walk, and kept, so later uses are plain attribute reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from libcst import *  # noqa: F403


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    import libcst

    value = getattr(libcst, name)
    globals()[name] = value
    return value
