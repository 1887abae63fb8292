"""Configuration constants: the upper-case names a module binds, whether it reads them, and the
ones it reads from modules it imported."""

from __future__ import annotations

import textwrap

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.parse.analyze import analyze_file
from mldebt.parse.facts import FileFacts


def facts(code: str) -> FileFacts:
    return analyze_file("pkg/train.py", textwrap.dedent(code).encode(), "digest", load_catalog(), load_models())


def test_module_level_upper_case_names_are_constants_with_whether_the_module_reads_them() -> None:
    found = facts("""
        SEED = 1
        LR: float = 0.1
        BATCH, EPOCHS = 32, 10
        X = load()
        lower = 2
        __all__ = ["SEED"]

        def train(n=EPOCHS):
            local = SEED
            INNER = 3
            return n
    """)
    # One-letter X is a feature matrix, not a setting; INNER is bound in a function.
    assert found.settings == (("SEED", True), ("LR", False), ("BATCH", False), ("EPOCHS", True))


def test_constants_read_through_an_imported_module_are_qualified() -> None:
    found = facts("""
        import config as cfg
        from pkg import settings
        import numpy as np

        rate = cfg.LR * settings.paths.ROOT
        obj.NAME
        np.PI
        cfg.lower
    """)
    # Through imported modules only: obj is no module; np.PI is a library's, kept all the same.
    assert found.settings_read == ("config.LR", "pkg.settings.paths.ROOT", "numpy.PI")
    assert found.settings == ()
