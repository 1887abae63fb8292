"""argparse options: an empty default means "not given", so a path built from it is unknown
until a command gives the option."""

from __future__ import annotations

from pathlib import Path

from mldebt.engine import CheckOptions, analyse

SCRIPT = """\
import argparse
import os

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--data_path", default="")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    open(os.path.join(args.data_path, "metadata_attn_mask.txt"), "w")
    open(args.out + "/log.txt", "w")
"""


def test_an_empty_default_is_not_given(tmp_path: Path) -> None:
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "masks.py").write_text(SCRIPT)
    (tmp_path / "tools" / "staged.py").write_text(SCRIPT)
    (tmp_path / "dvc.yaml").write_text("stages:\n  masks:\n    cmd: python tools/staged.py --data_path data/ljspeech\n")
    accesses = analyse(tmp_path, CheckOptions(jobs=1, use_cache=False)).graph.accesses
    targets = {path: [str(a.target) for a in accesses if a.path == path] for path in ("tools/masks.py", "tools/staged.py")}

    # Not the root's metadata_attn_mask.txt, nor /log.txt.
    assert targets["tools/masks.py"] == ["<dynamic>", "<dynamic>"]
    # The command gives --data_path: the file is in that folder; --out stays unknown.
    assert targets["tools/staged.py"] == ["data/ljspeech/metadata_attn_mask.txt", "<dynamic>"]
