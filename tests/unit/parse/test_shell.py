"""Command lines that download or unpack data, read from their words (never run)."""

from __future__ import annotations

import pytest

from mldebt.parse.shell import accesses, pieces, placeholder

R, W = "read", "write"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        # wget saves the URL's last path segment unless -O says where; -P is the folder.
        ("wget https://x.org/data/climate.csv.zip", [("wget", R, "https://x.org/data/climate.csv.zip"), ("wget", W, "climate.csv.zip")]),
        ("wget -q -O data/a.csv 'https://x.org/a.csv?raw=1'", [("wget", R, "https://x.org/a.csv?raw=1"), ("wget", W, "data/a.csv")]),
        ("wget --output-document=b.zip https://x.org/get", [("wget", R, "https://x.org/get"), ("wget", W, "b.zip")]),
        ("wget -nc -P data https://x.org/c.tgz", [("wget", R, "https://x.org/c.tgz"), ("wget", W, "data/c.tgz")]),
        ("wget -qO- https://x.org/d.sh", []),
        ("wget -qO d.csv https://x.org/d", [("wget", R, "https://x.org/d"), ("wget", W, "d.csv")]),
        # curl writes to standard output unless -o names a file or -O keeps the URL's name.
        ("curl -L https://x.org/e.zip -o e.zip", [("curl", R, "https://x.org/e.zip"), ("curl", W, "e.zip")]),
        ("curl -O https://x.org/data/f.csv", [("curl", R, "https://x.org/data/f.csv"), ("curl", W, "f.csv")]),
        ("curl -s -H 'Accept: text/csv' https://x.org/g > g.csv", [("curl", R, "https://x.org/g"), ("curl", W, "g.csv")]),
        ("curl -sSLO https://x.org/data/h.csv", [("curl", R, "https://x.org/data/h.csv"), ("curl", W, "h.csv")]),
        # To standard output, curl's answer is a program's input (an installer, an apt key).
        ("curl https://x.org/h.json", []),
        ("curl -fsSL https://x.org/key.gpg | apt-key add -", []),
        # gdown: a Drive file by URL or by id; its name comes from Drive unless -O gives one.
        ("gdown 1AbC -O weights.pt", [("gdown", R, "https://drive.google.com/uc?id=1AbC"), ("gdown", W, "weights.pt")]),
        ("gdown https://drive.google.com/uc?id=2XyZ", [("gdown", R, "https://drive.google.com/uc?id=2XyZ")]),
        # Archives: read, and extracted into -d / -C, else the working directory.
        ("unzip -q climate.csv.zip", [("unzip", R, "climate.csv.zip"), ("unzip", W, ".")]),
        ("unzip -o a.zip -d data/raw", [("unzip", R, "a.zip"), ("unzip", W, "data/raw")]),
        ("tar -xzf aclImdb_v1.tar.gz", [("tar", R, "aclImdb_v1.tar.gz"), ("tar", W, ".")]),
        ("tar xvf b.tar -C data", [("tar", R, "b.tar"), ("tar", W, "data")]),
        ("tar --extract --file=c.tgz --directory data/c", [("tar", R, "c.tgz"), ("tar", W, "data/c")]),
        ("tar -czf out.tgz results", [("tar", R, "results"), ("tar", W, "out.tgz")]),
        # Kaggle's datasets and competitions by name, downloaded into -p (else here).
        ("kaggle datasets download -d owner/cats --unzip -p data", [("kaggle", R, "kaggle://owner/cats"), ("kaggle", W, "data")]),
        ("kaggle competitions download -c dogs-vs-cats", [("kaggle", R, "kaggle://competitions/dogs-vs-cats"), ("kaggle", W, ".")]),
        ("kaggle datasets list", []),
        # Commands joined on one line, each on its own, where an earlier `cd` moved; sudo and a
        # path to the program. After a `cd` to where nobody knows, nothing is.
        ("cd data && /usr/bin/wget https://x.org/i.csv; sudo unzip j.zip", [("wget", R, "https://x.org/i.csv"), ("wget", W, "data/i.csv"), ("unzip", R, "data/j.zip"), ("unzip", W, "data")]),
        ("cd data; cd ../raw && tar xzf /tmp/k.tgz", [("tar", R, "/tmp/k.tgz"), ("tar", W, "raw")]),
        ("wget https://x.org/l.csv && cd $DIR && unzip m.zip", [("wget", R, "https://x.org/l.csv"), ("wget", W, "l.csv")]),
        # What the shell or IPython expands is not known; an unclosed quote is no command.
        ("wget $URL", []),
        ("wget {url} -O a.csv", []),
        ("wget 'https://x.org/a", []),
        ("ls -la", []),
        ("pip install wget", []),
    ],
)
def test_command_lines(command: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(a.program, a.direction, a.target) for a in accesses(command)] == expected


def test_an_argument_list_is_the_words_as_given() -> None:
    got = accesses(["wget", "https://x.org/a b.csv", "-O", "data/a;b.csv"])
    assert [(a.direction, a.target) for a in got] == [(R, "https://x.org/a b.csv"), (W, "data/a;b.csv")]


def test_a_part_not_known_statically_is_its_placeholder_in_the_targets() -> None:
    url, path = placeholder(0), placeholder(1)
    got = accesses(["wget", url, "-O", path])
    assert [(a.direction, a.target) for a in got] == [(R, url), (W, path)]
    # wget names its file after the URL, which is not known.
    assert [(a.direction, a.target) for a in accesses(["wget", "-P", "data", url])] == [(R, url)]
    got = accesses(f"curl --output-dir d -o{path}.csv https://x.org/a")
    assert [(a.direction, pieces(a.target)) for a in got] == [(R, ["https://x.org/a"]), (W, ["d/", 1, ".csv"])]
