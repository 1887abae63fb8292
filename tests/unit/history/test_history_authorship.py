import pytest

from mldebt.history import (
    CREATOR_MODEL,
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    REFERENCE_EXCLUDE,
    REFERENCE_INCLUDE,
    REFERENCE_MODEL,
    authorship,
    mine_history,
    select_files,
)


def test_degree_of_authorship_by_hand(repo, commit):
    # model.py was created as train.py: creation is followed through the rename. The creator
    # reading counts Alice's creating commit as one of her changes (DL) and the others' (AC).
    root = repo(
        [
            commit("Alice", 0, {"train.py": "1\n"}),
            commit("Bob", 1, renames={"train.py": "model.py"}),
            commit("Bob", 2, {"model.py": "2\n"}),
            commit("Bob", 3, {"model.py": "3\n"}),
            commit("Alice", 4, {"model.py": "4\n"}),
            commit("Carol", 5, {"model.py": "5\n"}),
        ]
    )
    entry = authorship(mine_history(root), model=CREATOR_MODEL)["model.py"]
    doa = {d.developer: d for d in entry.developers}

    # DOA = 3.293 + 1.098 FA + 0.164 DL - 0.321 ln(1 + AC)
    # Alice: FA=1 DL=2 AC=4: 3.293 + 1.098 + 0.328 - 0.321 ln 5 = 4.719 - 0.51663 = 4.20237
    # Bob:   FA=0 DL=3 AC=3: 3.293 + 0.492 - 0.321 ln 4         = 3.785 - 0.44500 = 3.34000
    # Carol: FA=0 DL=1 AC=5: 3.293 + 0.164 - 0.321 ln 6         = 3.457 - 0.57515 = 2.88185
    assert doa["Alice"].doa == pytest.approx(4.20237, abs=1e-5)
    assert doa["Bob"].doa == pytest.approx(3.34000, abs=1e-5)
    assert doa["Carol"].doa == pytest.approx(2.88185, abs=1e-5)
    # Normalised by the highest (Alice): Bob 3.34000 / 4.20237 = 0.79479, Carol 0.68576.
    assert doa["Bob"].normalised == pytest.approx(0.79479, abs=1e-5)
    assert doa["Carol"].normalised == pytest.approx(0.68576, abs=1e-5)
    assert (doa["Alice"].created, doa["Bob"].changes, doa["Carol"].other_changes) == (True, 3, 5)
    assert entry.creator == "Alice"
    # Bob: 0.79 > 0.75 and 3.34 >= 3.293. Carol: neither.
    assert entry.authors == ("Alice", "Bob")


def test_a_high_ratio_with_a_low_degree_is_not_authorship(memory_history):
    # A bot created the file, so nobody has FA; X and Y lead with DL=2 each, but six one-off
    # contributors push their AC to 8: 3.293 + 0.328 - 0.321 ln 9 = 2.916 < 3.293.
    rows = [("renovate[bot]", 0, ["f.py"])]
    rows += [(name, 1, ["f.py"]) for name in ("X", "X", "Y", "Y", "P", "Q", "R", "S", "T", "U")]
    entry = authorship(memory_history(rows))["f.py"]

    top = entry.developers[0]
    assert top.normalised == 1.0 and top.doa < 3.293
    assert entry.creator is None
    assert entry.authors == ()


def test_a_high_degree_with_a_low_ratio_is_not_authorship(memory_history):
    # C: DL=7, AC=21 -> 3.293 + 1.148 - 0.321 ln 22 = 3.449 >= 3.293, but B (DL=20, AC=8)
    # reaches 5.868, so C's ratio is 0.59.
    rows = [("A", 0, ["f.py"])] + [("B", 1, ["f.py"])] * 20 + [("C", 2, ["f.py"])] * 7
    entry = authorship(memory_history(rows))["f.py"]
    c = next(d for d in entry.developers if d.developer == "C")

    assert c.doa >= 3.293 and c.normalised <= 0.75
    assert not c.author
    assert "B" in entry.authors


def test_a_file_without_history_is_an_orphan(memory_history):
    history = memory_history([("A", 0, ["a.py"])], files=["a.py", "untouched.py"])

    assert authorship(history)["untouched.py"].authors == ()


def test_default_selection_drops_vendored_generated_and_documentation():
    paths = [
        "train.py",
        "src/features.py",
        "vendor/lib.py",
        "pkg/third_party/x.py",
        "external/y.py",
        "proto/model_pb2.py",
        "static/app.min.js",
        "src/generated/schema.py",
        "docs/conf.py",
        "README.md",
        "docs.rst",
        "requirements.txt",
        "LICENSE",
        "LICENSE.txt",
    ]

    assert select_files(paths) == ("train.py", "src/features.py")
    assert select_files(paths, include=["src/"]) == ("src/features.py",)
    # Only source code counts by default (images, data and config do not); a file can be
    # brought back by including it and un-excluding it.
    assert select_files(["model.py", "logo.png", "data.csv", "setup.cfg"]) == ("model.py",)
    assert "requirements.txt" in select_files(
        paths, include=[*DEFAULT_INCLUDE, "requirements.txt"], exclude=[*DEFAULT_EXCLUDE, "!requirements.txt"]
    )


def test_reference_model_counts_the_creation_as_fa_only(repo, commit):
    # The reference tool: Alice's creating commit is her FA, not one of her changes, and it is
    # no change for the others to accept either. model.py was created as train.py.
    root = repo(
        [
            commit("Alice", 0, {"train.py": "1\n"}),
            commit("Bob", 1, renames={"train.py": "model.py"}),
            commit("Bob", 2, {"model.py": "2\n"}),
            commit("Alice", 3, {"model.py": "3\n"}),
        ]
    )
    history = mine_history(root)
    reference = {d.developer: d for d in authorship(history, model=REFERENCE_MODEL)["model.py"].developers}
    creator = {d.developer: d for d in authorship(history, model=CREATOR_MODEL)["model.py"].developers}

    # Alice: FA=1 DL=1 AC=2: 3.293 + 1.098 + 0.164 - 0.321 ln 3 = 4.555 - 0.35265 = 4.20235
    # Bob:   FA=0 DL=2 AC=1: 3.293 + 0.328 - 0.321 ln 2         = 3.621 - 0.22250 = 3.39850
    assert (reference["Alice"].changes, reference["Alice"].other_changes) == (1, 2)
    assert (reference["Bob"].changes, reference["Bob"].other_changes) == (2, 1)
    assert reference["Alice"].doa == pytest.approx(4.20235, abs=1e-5)
    assert reference["Bob"].doa == pytest.approx(3.39850, abs=1e-5)
    # The creator reading counts the creation as Alice's change: DL=2 for her, AC=2 for Bob.
    assert (creator["Alice"].changes, creator["Bob"].other_changes) == (2, 2)


def test_reference_model_holds_the_creator_to_the_ratio(memory_history):
    # A: FA=1 DL=0 AC=20: 3.293 + 1.098 - 0.321 ln 21 = 3.41371; B: 3.293 + 3.28 = 6.573.
    rows = [("A", 0, ["f.py"])] + [("B", 1, ["f.py"])] * 20
    history = memory_history(rows)

    entry = authorship(history, model=REFERENCE_MODEL)["f.py"]
    a = next(d for d in entry.developers if d.developer == "A")

    assert a.doa == pytest.approx(3.41371, abs=1e-5) and a.normalised < 0.75
    assert entry.authors == ("B",)
    assert authorship(history)["f.py"].authors == ("B",)  # the default
    # The creator reading keeps A an author whatever the ratio.
    assert authorship(history, model=CREATOR_MODEL)["f.py"].authors == ("B", "A")


def test_reference_model_spares_the_creator_the_absolute_threshold(memory_history):
    # 40 one-off changes by others: A (FA=1 DL=0 AC=40) has 3.293 + 1.098 - 0.321 ln 41 = 3.199,
    # under 3.293, but leads the file (the others: 3.457 - 0.321 ln 40 = 2.273).
    rows = [("A", 0, ["f.py"])] + [(f"dev{i}", 1, ["f.py"]) for i in range(40)]
    entry = authorship(memory_history(rows), model=REFERENCE_MODEL)["f.py"]
    a = entry.developers[0]

    assert a.developer == "A" and a.doa < 3.293 and a.normalised == 1.0
    assert entry.authors == ("A",)


def test_reference_selection_counts_what_linguist_counts():
    paths = [
        "lib/geocoder.rb",
        "Rakefile",
        "geocoder.gemspec",
        "app/views/index.html.erb",
        "public/index.html",
        "css/site.scss",
        "src/build/steps.js",
        "package.json",
        "config.yml",
        "README.md",
        "docs/conf.py",
        "lib/docs/api.rb",
        "examples/demo.rb",
        "test/examples/case.rb",
        "build/build.js",
        "benchmarks/run.rb",
        "vendor/assets/x.js",
        "js/jquery-1.11.js",
        "css/bootstrap.min.css",
        "node_modules/a/index.js",
        "third-party/y.c",
        "spec/require.js",
    ]

    assert select_files(paths, REFERENCE_INCLUDE, REFERENCE_EXCLUDE) == (
        "lib/geocoder.rb",
        "Rakefile",
        "geocoder.gemspec",
        "app/views/index.html.erb",
        "public/index.html",
        "css/site.scss",
        "src/build/steps.js",
    )
