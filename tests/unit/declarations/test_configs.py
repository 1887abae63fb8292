"""Keys of configuration files, as OmegaConf and Hydra read them, for the paths code takes."""

from __future__ import annotations

from pathlib import Path

from mldebt.declarations import ConfigFiles


def _configs(root: Path, files: dict[str, str]) -> ConfigFiles:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return ConfigFiles(root, [name for name in files if name != "unlisted.yaml"])


def test_keys_interpolations_and_what_is_not_a_path(tmp_path: Path) -> None:
    configs = _configs(tmp_path, {
        "c.yaml": (
            "year: 2024\nflag: true\nroot: data\nraw: ${root}/raw_${year}.csv\nloop: ${loop}/x\n"
            "bad: ${flag}/x\nnested:\n  dir: ${root}\n  file: ${nested.dir}/a.csv\nlist: [a, b]\n"
        ),
        "broken.yaml": "a: [1\n",
        "unlisted.yaml": "a: b\n",
    })

    assert configs.value("c.yaml", ["raw"]) == "data/raw_2024.csv"
    assert configs.value("c.yaml", ["nested", "file"]) == "data/a.csv"
    # A cycle, a boolean, a number, a list, a mapping, a missing key or file: no path.
    assert [configs.value("c.yaml", keys) for keys in (["loop"], ["bad"], ["year"], ["list"], ["nested"], ["no"])] == [
        None, None, None, None, None, None,
    ]
    assert configs.value("broken.yaml", ["a"]) is None
    assert configs.value("unlisted.yaml", ["a"]) is None
    assert configs.value("missing.yaml", ["a"]) is None


def test_a_hydra_defaults_list_picks_the_config_group_s_file(tmp_path: Path) -> None:
    configs = _configs(tmp_path, {
        "conf/config.yaml": "defaults:\n  - _self_\n  - data: cifar\n  - override /model: big\n",
        "conf/data/cifar.yaml": "path: data/cifar\n",
        "conf/model/big.yaml": "weights: models/big.pt\n",
    })

    assert configs.value("conf/config.yaml", ["data", "path"]) == "data/cifar"
    assert configs.value("conf/config.yaml", ["model", "weights"]) == "models/big.pt"
    assert configs.value("conf/config.yaml", ["optimizer", "lr"]) is None
