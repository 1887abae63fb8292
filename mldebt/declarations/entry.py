"""Which script a pipeline command runs, read from the command text without running a shell."""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

from mldebt.targets import normalise_path

_PYTHON = re.compile(r"^(?:python|pypy)(?:\d+(?:\.\d+)*)?(?:\.exe)?$")
# An interpreter named by an environment variable: `$PYTHON`, `${CMD_PYTHON}`, `$PY`.
_PYTHON_VARIABLE = re.compile(r"^\$\{?[A-Za-z_]*PY[A-Za-z0-9_]*\}?$", re.IGNORECASE)
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
# Commands that run the rest of the line as another command.
_WRAPPERS = frozenset({"time", "nohup", "exec", "env", "nice", "command"})
# Environment managers whose `run` subcommand runs the rest of the line in the environment.
_RUNNERS = frozenset({"uv", "poetry", "pipenv", "pdm", "hatch", "rye"})
_PYTHON_OPTIONS_WITH_VALUE = frozenset({"-W", "-X", "--check-hash-based-pycs"})
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&", "(", ")", ";;"})
_REDIRECTIONS = frozenset({">", ">>", "<", ">&", "<&", "&>", "&>>", ">|"})
# shlex reads a character at a time in Python, 2.5 µs each: a foreach of a thousand stages
# with a 60 KB command took 20 s. No command that runs a script is this long.
_MAX_LEXED_LINE = 4096


@dataclass(frozen=True)
class Invocation:
    """How a command runs a repository script: the script, the arguments after it (what the
    script sees as sys.argv[1:]) and the directory it runs in."""

    entry: str
    argv: tuple[str, ...]
    cwd: str


def detect_invocation(
    commands: Sequence[str], cwd: str, files: Collection[str], scripts: Mapping[str, str] | None = None
) -> Invocation | None:
    """The first Python script or notebook that ``commands`` run, with its arguments.

    ``cwd`` is the repository-relative directory the commands start in; ``cd`` changes it for
    the rest of that command. A module run with ``-m`` counts only when its file is in
    ``files``, since otherwise it is an installed tool (``python -m pytest``). ``scripts`` are
    the project's console scripts, by name, each with the module file it runs (`tagger train`
    runs the module of `tagger = "tagger.cli:app"`).
    """
    for command in commands:
        here = cwd
        for words in _simple_commands(command):
            if words[0] == "cd":
                here = normalise_path(words[1], here) if len(words) > 1 else cwd
                continue
            found = _entry(words, here, files, scripts or {})
            if found is not None:
                entry, argv = found
                return Invocation(entry, argv, here)
    return None


def _tokens(line: str) -> list[str]:
    """The shell tokens of one line; its words when it does not lex (an unbalanced quote) or
    is too long to: they are still the best guess at the program."""
    if len(line) <= _MAX_LEXED_LINE:
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>()")
            lexer.whitespace_split = True
            return list(lexer)
        except ValueError:
            pass
    return [word.strip("\"'") for word in line.split()]


def _simple_commands(command: str) -> Iterator[list[str]]:
    # A YAML block scalar puts one shell command per line; backslash-newline continues one.
    for line in command.replace("\\\n", " ").splitlines():
        tokens = _tokens(line)
        words: list[str] = []
        skip_next = False
        for token in tokens:
            if skip_next:
                skip_next = False
            elif token in _SEPARATORS:
                if words:
                    yield words
                words = []
            elif token in _REDIRECTIONS:
                skip_next = True
            else:
                words.append(token)
        if words:
            yield words


def _entry(
    words: list[str], here: str, files: Collection[str], scripts: Mapping[str, str]
) -> tuple[str, tuple[str, ...]] | None:
    i = 0
    while i < len(words):
        word = words[i]
        if _ASSIGNMENT.match(word) or word in _WRAPPERS:
            i += 1
        elif word in _RUNNERS and words[i + 1 : i + 2] == ["run"]:
            i += 2
            while i < len(words) and words[i].startswith("-"):
                i += 1
        else:
            break
    if i >= len(words):
        return None
    program, arguments = words[i], words[i + 1 :]
    name = posixpath.basename(program)
    if _PYTHON.match(name) or _PYTHON_VARIABLE.match(program):
        return _python_entry(arguments, here, files)
    if name == "papermill" or (name == "jupyter" and arguments[:1] in (["nbconvert"], ["execute"])):
        notebook = next((a for a in arguments if a.endswith(".ipynb")), None)
        return _with(_script(notebook, here), ())
    if program.endswith(".py"):
        return _with(_script(program, here), tuple(arguments))
    if name in scripts:
        return scripts[name], tuple(arguments)
    return None


def _with(entry: str | None, argv: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    return None if entry is None else (entry, argv)


def _python_entry(arguments: list[str], here: str, files: Collection[str]) -> tuple[str, tuple[str, ...]] | None:
    i = 0
    while i < len(arguments):
        argument = arguments[i]
        if argument.startswith("-m"):
            inline = argument[2:]
            module = inline or (arguments[i + 1] if i + 1 < len(arguments) else "")
            rest = arguments[i + 1 :] if inline else arguments[i + 2 :]
            return _with(_module_file(module, here, files), tuple(rest))
        if argument.startswith("-c") or argument == "-":
            return None
        if argument in _PYTHON_OPTIONS_WITH_VALUE:
            i += 2
        elif argument.startswith("-"):
            i += 1
        else:
            return _with(_script(argument, here), tuple(arguments[i + 1 :]))
    return None


def _script(path: str | None, here: str) -> str | None:
    # An unresolved interpolation names no particular file.
    if not path or "${" in path:
        return None
    return normalise_path(path, here)


def _module_file(module: str, here: str, files: Collection[str]) -> str | None:
    relative = module.replace(".", "/")
    for base in (here, posixpath.join(here, "src") if here else "src"):
        for candidate in (f"{relative}.py", f"{relative}/__main__.py"):
            path = normalise_path(candidate, base)
            if path in files:
                return path
    return None
