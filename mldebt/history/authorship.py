"""Who authors each file: the degree-of-authorship model of Avelino et al. (ICPC 2016).

    DOA = 3.293 + 1.098 * FA + 0.164 * DL - 0.321 * ln(1 + AC)

FA is 1 for the developer who created the file (the oldest commit of its history, through
renames), DL the number of commits by the developer that changed it, AC the number by everybody
else. A developer authors the file when their DOA, divided by the file's highest, exceeds 0.75
and their DOA is at least 3.293 (the creator is spared the second condition).

Two readings of the model are offered (`AuthorshipModel`, chosen by name in `MODELS`, which
`[tool.mldebt.history] authorship-model` sets). `REFERENCE_MODEL` ("reference", the default) is
what the authors' tool (aserg-ufmg/Truck-Factor) computes: the commit that creates a file is its
FA, not one of its changes, and the creator too must pass the 0.75 ratio. `CREATOR_MODEL`
("creator") differs in both: the creating commit also counts as a change (DL for the creator,
AC for the others), and whoever created a file authors it whatever the others did since, so
that a file's author is never displaced by colleagues who changed it more; the creation then
weighs against the others, so a colleague's single change to a file no longer makes them an
author. It matches fewer of the published truck factors (bench/truckfactor.py).

What the reference counts is `REFERENCE_INCLUDE` minus `REFERENCE_EXCLUDE` (linguist's
languages, by path), mldebt `DEFAULT_INCLUDE` minus `DEFAULT_EXCLUDE` (source code and
notebooks); `[tool.mldebt.history] include` and `exclude` choose. bench/truckfactor.py
measures each choice against the published truck factors.

Bots author nothing: their commits count neither as DL nor as AC, and a file a bot created has
no creator among the developers. (The reference tool has no bots; `[tool.mldebt.history] bots
= []` turns ours off.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pathspec

from mldebt.history.mine import History

DOA_BASE = 3.293
NORMALISED_THRESHOLD = 0.75


@dataclass(frozen=True)
class AuthorshipModel:
    """Which reading of the DOA model decides who authors a file (see the module docstring)."""

    creation_is_a_change: bool  # the creating commit counts in DL (creator) and AC (others)
    creator_authors: bool  # the creator authors the file whatever the ratio
    normalised_threshold: float = NORMALISED_THRESHOLD  # the ratio to the file's highest DOA must exceed it
    absolute_threshold: float = DOA_BASE  # and the DOA must reach it (creators are spared)


REFERENCE_MODEL = AuthorshipModel(creation_is_a_change=False, creator_authors=False)
CREATOR_MODEL = AuthorshipModel(creation_is_a_change=True, creator_authors=True)
MODELS: dict[str, AuthorshipModel] = {"reference": REFERENCE_MODEL, "creator": CREATOR_MODEL}
DEFAULT_MODEL = "reference"

# What counts as code, as Avelino et al. count it (GitHub's linguist languages): source files
# of programming languages and notebooks; images, data, configuration and markup are left out.
DEFAULT_INCLUDE: tuple[str, ...] = tuple(
    f"*.{ext}"
    for ext in (
        "py", "pyx", "pxd", "ipynb", "r", "R", "jl", "scala", "java", "kt", "kts", "groovy", "c", "h", "cc", "cpp",
        "cxx", "hpp", "hh", "cu", "cuh", "go", "rs", "rb", "php", "js", "jsx", "mjs", "ts", "tsx", "swift", "m", "mm",
        "cs", "fs", "lua", "pl", "pm", "sh", "bash", "sql", "hs", "ml", "ex", "exs", "erl", "clj", "dart", "vue",
    )
)

# Files whose authorship says nothing about who can maintain the code: vendored, generated,
# documentation. gitignore syntax, so a caller can re-include one with "!requirements.txt".
DEFAULT_EXCLUDE: tuple[str, ...] = (
    "vendor/",
    "third_party/",
    "external/",
    "generated/",
    "*_pb2.py",
    "*_pb2_grpc.py",
    "*.min.js",
    "docs/",
    "doc/",
    "debian/",
    "*.md",
    "*.rst",
    "*.txt",
    "LICENSE",
    "LICENSE.*",
)

# What the reference tool counts: the files at HEAD that GitHub's linguist puts in a
# repository's language statistics (languages of the programming and markup types, so HTML and
# style sheets too), by extension or file name as linguist recognises them.
REFERENCE_INCLUDE: tuple[str, ...] = (
    *DEFAULT_INCLUDE,
    *(
        f"*.{ext}"
        for ext in (
            "pyw", "pyi", "ipy", "rake", "gemspec", "ru", "thor", "podspec", "jbuilder", "erb", "rhtml", "haml", "slim",
            "coffee", "litcoffee", "es6", "ls", "jade", "mustache", "hbs", "handlebars", "ejs", "twig", "phtml", "tpl",
            "html", "htm", "xhtml", "css", "scss", "sass", "less", "styl", "tex", "xsl", "xslt", "vm", "inc", "ctp",
            "cljs", "cljc", "edn", "el", "vim", "scm", "rkt", "lisp", "hrl", "mli", "fsx", "vb", "d", "nim", "cr",
            "hx", "as", "mxml", "f", "f90", "for", "asm", "s", "S", "tcl", "awk", "sed", "zsh", "fish", "ps1", "psm1",
            "bat", "cmd", "gradle", "cmake", "mk", "mak", "ino", "pde", "thrift", "y", "yy", "l", "ll", "hxx", "h++",
            "c++", "ipp", "tcc", "inl", "cl", "opencl", "glsl", "frag", "vert", "shader", "swg", "pxi", "jsm", "sbt",
        )
    ),
    "Makefile", "makefile", "GNUmakefile", "CMakeLists.txt", "Rakefile", "Gemfile", "Guardfile", "Vagrantfile",
    "Capfile", "Thorfile", "Podfile", "Berksfile", "Dockerfile", "Jakefile", "SConstruct", "SConscript",
)

# What linguist leaves out of the statistics (vendored, documentation) as it did when the
# paper's data was collected, and the paths the paper removed in every system: examples,
# docs below the top level, build/ and benchmarks/ at the top, require.js copies.
REFERENCE_EXCLUDE: tuple[str, ...] = (
    "cache/", "/dependencies/", "/deps/", "/tools/", "configure", "configure.ac", "config.guess", "config.sub",
    "node_modules/", "*.min.js", "*-min.js", "*.min.css", "*-min.css", "*import.css", "*import.less",
    "*import.scss", "*import.styl", "bootstrap*.js", "bootstrap*.css", "bootstrap*.less", "bootstrap*.scss",
    "bootstrap*.styl", "font-awesome.*", "foundation.css", "foundation.scss", "normalize.css", "normalize.scss",
    "normalize.less", "[Bb]ourbon/", "animate.css", "third_party/", "third-party/", "thirdparty/", "3rd_party/",
    "3rd-party/", "3rdparty/", "vendor/", "vendors/", "extern/", "external/", "/debian/", "jquery*.js",
    "jquery-ui*.css", "prototype*.js", "effects.js", "controls.js", "dragdrop.js", "dojo.js", "MochiKit.js",
    "yahoo-*.js", "yui*.js", "ckeditor.js", "tiny_mce*.js", "tiny_mce/", "Chart.js", "[Cc]ode[Mm]irror/lib/",
    "[Cc]ode[Mm]irror/mode/", "[Cc]ode[Mm]irror/theme/", "[Cc]ode[Mm]irror/addon/", "[Cc]ode[Mm]irror/keymap/",
    "shBrush*.js", "shCore.js", "shLegacy.js", "angular*.js", "d3*.js", "react.js", "react-*.js",
    "modernizr-*.js", "modernizr.custom.*.js", "knockout-*.js", "admin_media/", "/fabfile.py", "/waf", "/.osx",
    "html5shiv.js", "/[Ss]amples/", "/doc/", "docs/", "[Dd]ocumentation/", "javadoc/", "/man/", "examples/",
    "/[Ee]xamples/", "/build/", "/benchmarks/", "require.js", "COPYING*", "LICENSE*", "License*", "README*",
    "readme*", "CHANGELOG*", "CONTRIBUTING*", "INSTALL*",
)


@dataclass(frozen=True)
class DeveloperAuthorship:
    """One developer's degree of authorship of one file, with the terms it comes from."""

    developer: str
    doa: float
    normalised: float
    created: bool
    changes: int  # DL
    other_changes: int  # AC
    author: bool


@dataclass(frozen=True)
class FileAuthorship:
    """Everyone who changed one file, and who of them authors it."""

    path: str
    creator: str | None  # None when a bot created it or its creation is not in the history
    developers: tuple[DeveloperAuthorship, ...]  # highest DOA first

    @property
    def authors(self) -> tuple[str, ...]:
        """The developers who author this file; empty for an orphan."""
        return tuple(entry.developer for entry in self.developers if entry.author)


def degree_of_authorship(created: bool, changes: int, other_changes: int) -> float:
    """The absolute DOA of one developer for one file."""
    return (
        DOA_BASE + (1.098 if created else 0.0) + 0.164 * changes - 0.321 * math.log1p(other_changes)
    )


def select_files(
    paths: Iterable[str], include: Sequence[str] = DEFAULT_INCLUDE, exclude: Sequence[str] = DEFAULT_EXCLUDE
) -> tuple[str, ...]:
    """The ``paths`` that count for authorship: matching ``include`` (all when empty) and not
    ``exclude``; both are gitignore-style patterns."""
    included = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    excluded = pathspec.GitIgnoreSpec.from_lines(exclude)
    return tuple(
        path
        for path in paths
        if (included is None or included.match_file(path)) and not excluded.match_file(path)
    )


def authorship(
    history: History, files: Iterable[str] | None = None, model: AuthorshipModel = MODELS[DEFAULT_MODEL]
) -> dict[str, FileAuthorship]:
    """Authorship of each of ``files`` (default: the source files at HEAD, `select_files`),
    decided by ``model``."""
    wanted = select_files(history.files) if files is None else tuple(files)
    bot = [developer.bot for developer in history.developers]
    result = {}
    for path in wanted:
        record = history.paths.get(path)
        if record is None:
            result[path] = _file_authorship(path, None, {}, history, model)
            continue
        creator = None if bot[record.creator] else record.creator
        changes = {developer: len(dates) for developer, dates in record.changes.items() if not bot[developer]}
        if creator is not None and not model.creation_is_a_change:
            changes[creator] -= 1
        result[path] = _file_authorship(path, creator, changes, history, model)
    return result


def _file_authorship(
    path: str, creator: int | None, changes: dict[int, int], history: History, model: AuthorshipModel
) -> FileAuthorship:
    total = sum(changes.values())
    scores = {
        developer: degree_of_authorship(developer == creator, count, total - count)
        for developer, count in changes.items()
    }
    highest = max(scores.values(), default=0.0)
    entries = []
    for developer, doa in scores.items():
        # With thousands of other changes every DOA turns negative, and a ratio of negatives
        # would rank the worst first: then nobody passes the ratio (as in the reference tool).
        normalised = doa / highest if highest > 0 else 0.0
        created = developer == creator
        entries.append(
            DeveloperAuthorship(
                developer=history.developers[developer].name,
                doa=doa,
                normalised=normalised,
                created=created,
                changes=changes[developer],
                other_changes=total - changes[developer],
                author=(created and model.creator_authors)
                or (normalised > model.normalised_threshold and (created or doa >= model.absolute_threshold)),
            )
        )
    entries.sort(key=lambda entry: (-entry.doa, entry.developer))
    return FileAuthorship(
        path=path,
        creator=None if creator is None else history.developers[creator].name,
        developers=tuple(entries),
    )
