"""Which files are pipelines: declared stages, `__main__` scripts, notebooks, and scripts that
do their work at module level, as `python train.py` scripts often do."""

from __future__ import annotations

import textwrap

from mldebt.catalogs import load_catalog
from mldebt.catalogs.models import load_models
from mldebt.declarations import Declarations
from mldebt.graph import build_graph
from mldebt.parse.analyze import analyze_file


def _scripts(files: dict[str, str]) -> dict[str, tuple[str, ...]]:
    facts = {
        path: analyze_file(path, textwrap.dedent(code).encode(), "d", load_catalog(), load_models())
        for path, code in files.items()
    }
    return {p.entry or p.source: p.files for p in build_graph(facts, Declarations()).pipelines if p.kind == "script"}


def test_a_script_without_a_main_guard_is_a_pipeline() -> None:
    scripts = _scripts({
        # nanoGPT's shape: the training loop at module level, the network in a module.
        "train.py": """
            import torch
            from model import GPT
            model = GPT()
            for batch in loader:
                scaler.scale(model(batch)).backward()
            torch.save(model.state_dict(), "out/ckpt.pt")
        """,
        "model.py": "import torch\nclass GPT(torch.nn.Module):\n    pass\n",
        "guarded.py": "import pandas as pd\n\nif __name__ == '__main__':\n    pd.read_csv('a.csv')\n",
    })
    assert scripts == {"train.py": ("model.py", "train.py"), "guarded.py": ("guarded.py",)}


def test_modules_packages_and_tests_with_top_level_work_are_not_scripts() -> None:
    scripts = _scripts({
        # Imported by another module: a library that reads its configuration at import.
        "settings.py": "import json\nCONFIG = json.load(open('config.json'))\n",
        "app.py": "from settings import CONFIG\n\ndef run():\n    return CONFIG\n",
        "pkg/__init__.py": "import pandas as pd\nTABLE = pd.read_csv('t.csv')\n",
        "tests/test_data.py": "import pandas as pd\nFRAME = pd.read_csv('tests/f.csv')\n",
        "tests/conftest.py": "import pandas as pd\nFRAME = pd.read_csv('tests/f.csv')\n",
        # Nothing at module level but definitions.
        "helpers.py": "import pandas as pd\n\ndef load():\n    return pd.read_csv('a.csv')\n",
    })
    assert scripts == {}
