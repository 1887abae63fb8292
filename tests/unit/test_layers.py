"""The package's layers, enforced on itself with import-linter: imports only go down.

The contract is only worth something if it can fail: two tests add a bad import to a throwaway
copy of the package and check that the contract breaks on exactly that import, and one walks
the package so that a module nobody placed in a layer fails here rather than slipping through.
"""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / ".importlinter"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter on the package under ``root``, with the contract found there.

    lint-imports puts its working directory first on sys.path, ahead of the editable install,
    so a copy of the package in ``root`` is the one analysed."""
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         "--no-cache", "--config", str(root / ".importlinter")],
        cwd=root, capture_output=True, text=True, check=False,
    )


def _copy_with_import(tmp_path: Path, module: str, imported: str) -> Path:
    """A copy of the package and its contract in which ``module`` also imports ``imported``."""
    shutil.copytree(ROOT / "mldebt", tmp_path / "mldebt", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(CONTRACT, tmp_path / ".importlinter")
    path = tmp_path.joinpath(*module.split(".")).with_suffix(".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\nimport {imported}  # the bad import\n", encoding="utf-8")
    return tmp_path


def _package_modules() -> set[str]:
    """Every module of mldebt, found on disk: a .py file in a directory chain of packages.

    The demo's example repository (mldebt/demo/example/) is package data, not modules: it has
    no __init__.py and is never imported."""
    modules = set()
    for path in (ROOT / "mldebt").rglob("*.py"):
        relative = path.relative_to(ROOT)
        if not all((ROOT / parent / "__init__.py").is_file() for parent in relative.parents if parent != Path(".")):
            continue
        parts = relative.with_suffix("").parts
        modules.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def _layers_contracts() -> list[configparser.SectionProxy]:
    config = configparser.ConfigParser()
    config.read(CONTRACT, encoding="utf-8")
    return [config[section] for section in config.sections() if config[section].get("type") == "layers"]


def _top_level_contract() -> configparser.SectionProxy:
    """The layers contract whose container is the root package."""
    (contract,) = (contract for contract in _layers_contracts() if _lines(contract, "containers") == ["mldebt"])
    return contract


def _lines(contract: configparser.SectionProxy, key: str) -> list[str]:
    """A multi-line option of ``contract``, one module expression a line."""
    return contract.get(key, "").split()


def _names(contract: configparser.SectionProxy, key: str, container: str = "mldebt") -> list[str]:
    """The module tails that ``key`` of ``contract`` lists, as full names under ``container``."""
    return [f"{container}.{tail.strip().strip('()')}"
            for line in contract.get(key, "").split("\n") for tail in re.split(r"[|:]", line) if tail.strip()]


def test_import_layers_hold() -> None:
    proc = _lint(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_renderer_importing_the_engine_breaks_the_contract(tmp_path: Path) -> None:
    proc = _lint(_copy_with_import(tmp_path, "mldebt.report.text", "mldebt.engine"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Imports go down" in proc.stdout and "BROKEN" in proc.stdout
    assert "mldebt.report.text -> mldebt.engine (l." in proc.stdout


def test_a_rule_importing_the_cli_breaks_the_contract(tmp_path: Path) -> None:
    proc = _lint(_copy_with_import(tmp_path, "mldebt.rules.data.hard_coded_data_path", "mldebt.cli"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "mldebt.rules.data.hard_coded_data_path -> mldebt.cli (l." in proc.stdout


def test_every_module_sits_in_exactly_one_top_level_layer() -> None:
    contract = _top_level_contract()
    layers = _names(contract, "layers")
    # A package split across layers (exhaustive_ignores) is no layer itself: only its modules are.
    split = set(_names(contract, "exhaustive_ignores"))
    places = {
        module: [layer for layer in layers if module == layer or module.startswith(layer + ".")]
        for module in _package_modules() - {"mldebt"} - split
    }
    assert {module: held for module, held in places.items() if len(held) != 1} == {}
    assert split == {"mldebt.ownership"}


def test_a_package_split_across_layers_imports_nothing_of_ours() -> None:
    # Its __init__ sits in no layer, so an import there would escape the contract.
    for package in _names(_top_level_contract(), "exhaustive_ignores"):
        tree = ast.parse(ROOT.joinpath(*package.split("."), "__init__.py").read_text(encoding="utf-8"))
        ours = [ast.unparse(node) for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("mldebt"))
                or isinstance(node, ast.Import) and any(alias.name.startswith("mldebt") for alias in node.names)]
        assert ours == [], package


def test_every_child_of_a_container_sits_in_exactly_one_of_its_layers() -> None:
    # What the contracts' `exhaustive = true` asks of import-linter, asked again from the files on
    # disk: a module that import-linter's graph missed would be missed there too.
    modules = _package_modules()
    misplaced = {}
    for contract in _layers_contracts():
        for container in _lines(contract, "containers"):
            layers = _names(contract, "layers", container)
            ignored = set(_names(contract, "exhaustive_ignores", container))
            for child in sorted(m for m in modules if m.rpartition(".")[0] == container and m not in ignored):
                if layers.count(child) != 1:
                    misplaced[child] = layers.count(child)
    assert misplaced == {}


def test_the_module_walk_sees_the_package() -> None:
    # Guards the test above against a walk that finds nothing (and so nothing unplaced).
    modules = _package_modules()
    assert {"mldebt", "mldebt.cli", "mldebt.report.text", "mldebt.rules.data.hard_coded_data_path",
            "mldebt.parse.collectors"} <= modules
    assert not any(module.startswith("mldebt.demo.example") for module in modules)
