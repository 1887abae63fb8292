"""The data a shell command line downloads or unpacks, read from its words, never run.

A notebook's `!wget URL`, a script's `os.system("curl -L URL -o a.zip")` or
`subprocess.run(["unzip", "a.zip", "-d", "data"])` fetch and extract data as any catalog call
does: ``accesses`` names what they read and write. Only the programs that move datasets count
(wget, curl, gdown, unzip, tar, kaggle); a word the shell or IPython would expand (`$URL`,
`{url}`, a glob's `*`) makes its command unknown, and it is left out. A part of the command that
is not known statically (`["wget", url]`, `f"wget {url} -O {path}"`) is given as a placeholder
(``placeholder``), and a target holding one is built on that part (``pieces``).
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass
from urllib.parse import urlsplit

# What separates simple commands on a line (`cd data && wget URL; unzip a.zip`).
_SEPARATORS = frozenset({";", "&&", "||", "|", "&"})
# Options of each program that take the next word as their value (and so hide it from the
# URL or archive), besides those that say where the data goes.
_VALUED = {
    "wget": {"-o", "-a", "-t", "-T", "-U", "-e", "-i", "-w", "-Q", "--header", "--user", "--password", "--tries", "--timeout", "--user-agent"},
    "curl": {"-H", "-d", "-X", "-u", "-A", "-e", "-C", "-w", "-m", "-b", "-c", "-F", "-r", "-x", "-T", "--header", "--data", "--request", "--user", "--user-agent", "--retry", "--max-time", "--connect-timeout", "--cookie", "--range", "--proxy"},
    "gdown": set(),
    "unzip": {"-x", "-P"},
    "tar": {"--exclude", "-T", "-X", "--strip-components"},
    "kaggle": {"-f", "--file", "-w"},
}


def placeholder(position: int) -> str:
    """What stands for the part at ``position`` of a command whose text is not known statically."""
    return f"{_PLACEHOLDER}{position}{_PLACEHOLDER}"


def pieces(target: str) -> list[str | int]:
    """A target as its literal text and the positions of the placeholders it holds, in order."""
    return [int(piece[1:-1]) if piece.startswith(_PLACEHOLDER) else piece for piece in _PIECES.findall(target)]


_PLACEHOLDER = "\x00"
_PIECES = re.compile(r"\x00\d+\x00|[^\x00]+")


def _is_url(word: str) -> bool:
    return "://" in word or word.startswith(_PLACEHOLDER)


@dataclass(frozen=True)
class ShellAccess:
    """One read or write of a command: the program and the literal target."""

    program: str
    direction: str  # "read" | "write"
    target: str


def accesses(words: str | list[str]) -> list[ShellAccess]:
    """What a command line (its text, or a program's argument list) reads and writes."""
    if isinstance(words, str):
        try:
            lexer = shlex.shlex(words, posix=True, punctuation_chars=";&|<>()")
            lexer.whitespace_split = True
            tokens = list(lexer)
        except ValueError:  # an unclosed quote
            return []
        commands = _split(tokens)
    else:
        commands = [list(words)]
    found: list[ShellAccess] = []
    # Where an earlier `cd` of the line moved (`cd data && wget URL` saves into data/).
    folder = ""
    for command in commands:
        if command[:1] == ["cd"]:
            if len(command) != 2 or command[1] == "-" or any(c in command[1] for c in "$`{}*"):
                return found  # where the rest runs is not known
            folder = posixpath.normpath(posixpath.join(folder, command[1]))
            continue
        found.extend(ShellAccess(a.program, a.direction, _within(folder, a.target)) for a in _command(command))
    return found


def _split(tokens: list[str]) -> list[list[str]]:
    """The simple commands of a line's tokens."""
    commands: list[list[str]] = [[]]
    for token in tokens:
        if token in _SEPARATORS:
            commands.append([])
        else:
            commands[-1].append(token)
    return [command for command in commands if command]


def _within(folder: str, target: str) -> str:
    """A relative path of a command run in ``folder``, from where the line started."""
    if not folder or "://" in target or target.startswith(("/", "~")):
        return target
    return posixpath.normpath(posixpath.join(folder, target))


def _command(words: list[str]) -> list[ShellAccess]:
    while words and words[0] in ("sudo", "!", "time"):
        words = words[1:]
    if not words or any(c in word for word in words for c in "$`{}*"):
        return []
    program = posixpath.basename(words[0])
    arguments, redirect = _redirected(words[1:])
    handler = _PROGRAMS.get(program)
    if handler is None:
        return []
    return [ShellAccess(program, direction, target) for direction, target in handler(arguments, redirect) if target]


def _redirected(words: list[str]) -> tuple[list[str], str]:
    """The words without a `> file` redirection, and that file ("" for none)."""
    out: list[str] = []
    target = ""
    skip = False
    for position, word in enumerate(words):
        if skip:
            skip = False
        elif word in (">", ">>"):
            target = words[position + 1] if position + 1 < len(words) else ""
            skip = True
        elif word in ("<", "(", ")") or word.startswith(("2>", ">")):
            skip = word in ("<",)
        else:
            out.append(word)
    return out, target


def _options(words: list[str], program: str, wanted: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The values of the ``wanted`` options (by every spelling: `-O f`, `-Of`, `--output=f`,
    `--output f`; mapped to one key) and the operands; a wanted key with an empty value is a
    flag (curl's `-O`)."""
    values: dict[str, str] = {}
    operands: list[str] = []
    valued = _VALUED[program]
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        name, equals, inline = word.partition("=") if word.startswith("--") else (word[:2], "", word[2:])
        if word.startswith("--") and not equals:
            name, inline = word, ""
        key = wanted.get(name)
        if key is not None and key.endswith("!"):
            values[key[:-1]] = ""
        elif key is not None:
            if not inline and not equals and position < len(words):
                inline = words[position]
                position += 1
            values[key] = inline
        elif word.startswith("-") and not word.startswith("--") and len(word) > 2:
            # Letters bundled (`-LO`, `-qO file`): each a flag, until one that takes a value,
            # which is the rest of the word or the next.
            for letter, rest in ((word[i], word[i + 1 :]) for i in range(1, len(word))):
                key = wanted.get(f"-{letter}")
                if key is not None and key.endswith("!"):
                    values[key[:-1]] = ""
                    continue
                if key is not None or f"-{letter}" in valued:
                    if not rest and position < len(words):
                        rest = words[position]
                        position += 1
                    if key is not None:
                        values[key] = rest
                    break
        elif word.startswith("-") and len(word) > 1:
            if word in valued:
                position += 1
        else:
            operands.append(word)
    return values, operands


def _file_of(url: str) -> str:
    """The file a download of ``url`` saves by default: the last segment of its path; "" when
    that is not known."""
    return "" if _PLACEHOLDER in url else posixpath.basename(urlsplit(url).path)


def _wget(words: list[str], redirect: str) -> list[tuple[str, str]]:
    values, operands = _options(
        words, "wget", {"-O": "output", "--output-document": "output", "-P": "folder", "--directory-prefix": "folder"}
    )
    urls = [word for word in operands if _is_url(word)]
    output = values.get("output")
    if output == "-":
        return []  # to standard output, as curl's
    out = [("read", url) for url in urls]
    if output:
        out.append(("write", output))
    else:
        folder = values.get("folder", "")
        out.extend(("write", posixpath.join(folder, _file_of(url))) for url in urls if _file_of(url))
    return out


def _curl(words: list[str], redirect: str) -> list[tuple[str, str]]:
    values, operands = _options(
        words, "curl", {"-o": "output", "--output": "output", "-O": "remote!", "--remote-name": "remote!", "--output-dir": "folder"}
    )
    urls = [word for word in operands if _is_url(word)]
    output = values.get("output") or redirect
    if output and output != "-":
        return [*(("read", url) for url in urls), ("write", posixpath.join(values.get("folder", ""), output))]
    if "remote" in values:
        folder = values.get("folder", "")
        return [*(("read", url) for url in urls), *(("write", posixpath.join(folder, _file_of(url))) for url in urls if _file_of(url))]
    # To standard output, the answer is a program's (`curl -fsSL URL | sh`, an apt key), no file.
    return []


def _gdown(words: list[str], redirect: str) -> list[tuple[str, str]]:
    values, operands = _options(words, "gdown", {"-O": "output", "--output": "output", "--id": "id"})
    sources = [*operands, *([values["id"]] if values.get("id") else [])]
    # A bare id is a Google Drive file's: gdown fetches it from Drive's download URL.
    out = [("read", word if _is_url(word) else f"https://drive.google.com/uc?id={word}") for word in sources]
    if values.get("output"):
        out.append(("write", values["output"]))
    return out


def _unzip(words: list[str], redirect: str) -> list[tuple[str, str]]:
    values, operands = _options(words, "unzip", {"-d": "folder"})
    if not operands:
        return []
    return [("read", operands[0]), ("write", values.get("folder") or ".")]


def _tar(words: list[str], redirect: str) -> list[tuple[str, str]]:
    if not words:
        return []
    # Old-style bundled letters without a dash (`tar xzf a.tgz`) are options all the same.
    first = words[0] if words[0].startswith("-") else "-" + words[0]
    bundle = first[1:] if not first.startswith("--") else ""
    extract = "x" in bundle or "--extract" in words or "--get" in words
    words = [first, *words[1:]]
    archive = ""
    if "f" in bundle:
        # The letters after `f` in a bundle, else the next word, are the archive.
        rest = bundle[bundle.index("f") + 1 :]
        archive = rest or (words[1] if len(words) > 1 else "")
        words = words[2:] if not rest else words[1:]
    else:
        words = words[1:] if bundle else words
    values, operands = _options(words, "tar", {"-f": "file", "--file": "file", "-C": "folder", "--directory": "folder"})
    archive = values.get("file") or archive
    if not archive or archive == "-":
        return []
    if extract:
        return [("read", archive), ("write", values.get("folder") or ".")]
    if "c" in bundle or "--create" in words:
        folder = values.get("folder", "")
        return [*(("read", posixpath.join(folder, word)) for word in operands), ("write", archive)]
    return []


def _kaggle(words: list[str], redirect: str) -> list[tuple[str, str]]:
    if len(words) < 2 or words[1] != "download" or words[0] not in ("datasets", "competitions", "d", "c"):
        return []
    values, operands = _options(
        words[2:], "kaggle",
        {"-d": "name", "--dataset": "name", "-c": "name", "--competition": "name", "-p": "folder", "--path": "folder"},
    )
    name = values.get("name") or (operands[0] if operands else "")
    if not name:
        return []
    # A dataset is `owner/name`, a competition its name alone: both as Kaggle names them.
    named = name if words[0] in ("datasets", "d") else f"competitions/{name}"
    return [("read", f"kaggle://{named}"), ("write", values.get("folder") or ".")]


_PROGRAMS = {"wget": _wget, "curl": _curl, "gdown": _gdown, "unzip": _unzip, "tar": _tar, "kaggle": _kaggle}
