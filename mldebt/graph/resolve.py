"""Cross-module resolution: symbolic target values -> Targets, once every file's facts are in.

A reference ``["r", module, name]`` is looked up in the constants of the repository file that
``module`` names. Scripts import their neighbours by bare name (``from config import X``
beside config.py) and packages by dotted path from a source root (``src/``), so a module is
found by the longest dotted suffix that matches, preferring the importer's own directory.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from mldebt.declarations import ConfigFiles
from mldebt.graph.pipelines import is_tooling
from mldebt.parse.facts import ARGV_MODULE, CONFIG_MODULE, CONFIG_SEPARATOR, FileFacts, Value
from mldebt.parse.sql import files, is_system_table, tables
from mldebt.parse.values import DYNAMIC as DYNAMIC_VALUE
from mldebt.parse.values import evaluate, from_command_line, is_memory_in, literal, unanchor
from mldebt.targets import DYNAMIC, Target, TargetKind, classify, table

# Builders and ids that `from_pretrained` / `load_dataset` take without a local path.
_HUB_PREFIX = {"hub": "hf://models/", "dataset": "hf://datasets/"}
# A file of a GitHub repository at a ref, served raw.
_RAW_URL = re.compile(r"^https?://(?:raw\.githubusercontent\.com/([^/]+)/([^/]+)|github\.com/([^/]+)/([^/]+)/raw)/(.+)$", re.IGNORECASE)
_TEMPLATE_FIELD = re.compile(r"\{[A-Za-z_][\w.]*(?::[^{}]*)?\}")


class ModuleIndex:
    """Finds the repository file a dotted module name refers to."""

    def __init__(self, facts: Iterable[FileFacts]) -> None:
        self._by_suffix: dict[str, list[FileFacts]] = defaultdict(list)
        for file in facts:
            if not file.path.endswith(".py") or not file.module:
                continue
            parts = file.module.split(".")
            for start in range(len(parts)):
                self._by_suffix[".".join(parts[start:])].append(file)

    def find(self, module: str, importer: str = "") -> FileFacts | None:
        candidates = self._by_suffix.get(module)
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        # The exact dotted path from the root wins, then the importer's directory, then the
        # shallowest file: what Python would find with the usual sys.path.
        importer_dir = importer.rpartition("/")[0]
        exact = [c for c in candidates if c.module == module]
        if exact:
            return exact[0]
        # Beside the importer: `from utils import x` in a/run.py finds a/utils.py or the
        # package a/utils/__init__.py, as Python does with the script's directory on sys.path.
        local = posixpath.join(importer_dir, module.replace(".", "/"))
        beside = [c for c in candidates if c.path in (f"{local}.py", f"{local}/__init__.py")]
        if beside:
            return beside[0]
        # Else the one nearest the importer (a project's own utils/ in a repository of several
        # projects), then the shallowest.
        here = importer_dir.split("/") if importer_dir else []
        return min(candidates, key=lambda c: (-_shared_depth(here, c.path.split("/")[:-1]), c.path.count("/"), c.path))


def _shared_depth(a: list[str], b: list[str]) -> int:
    depth = 0
    for left, right in zip(a, b, strict=False):
        if left != right:
            break
        depth += 1
    return depth


# First path segments that mean "a local directory" even when the repository does not track it
# (outputs are usually git-ignored): `models/finetuned` is a path, `bert-base-uncased` is not.
_LOCAL_ROOTS = frozenset({"data", "models", "model", "outputs", "output", "checkpoints", "artifacts", "runs", "results", "saved_models", "weights"})


@dataclass(frozen=True)
class Resolver:
    index: ModuleIndex
    # Top-level directories of the repository, for telling hub ids from local paths.
    local_roots: frozenset[str] = frozenset()
    # Script -> (arguments, working directory) of the one manifest command that runs it.
    argv: Mapping[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    # The repository's files and directories, for where a script that no stage runs works.
    existing: frozenset[str] = frozenset()
    # The configuration files whose keys code reads (`cfg.data.path`); None: none is read.
    configs: ConfigFiles | None = None
    # The GitHub repositories (`owner/name`, lower case) this one is a copy of: a raw URL of
    # one names a file of the work tree.
    repositories: frozenset[str] = frozenset()
    # Scripts that a README runs from their own folder.
    folder_runs: frozenset[str] = frozenset()
    # Kedro projects in folders below the root (`kedro/` with its conf/): their code runs there.
    kedro_projects: frozenset[str] = frozenset()

    def lookup_from(self, file: FileFacts, cwd: str) -> _Lookup:
        return _Lookup(self.index, file.path, self.argv.get(file.path), self.configs, self._working_directory(file, cwd))

    def _own_code(self, file: FileFacts, api: str) -> bool:
        """Whether a call goes to the repository's own code, whatever the catalog's method names
        say: a method called on a class defined in ``file`` or imported from a repository module,
        or a function of a repository module (`import common; common.to_json(path)` is not
        pandas' writer)."""
        receiver = api.rpartition(".")[0]
        if not receiver or "." in receiver:
            return False
        if any(d.kind == "class" and d.qualname == receiver for d in file.definitions):
            return True
        # `import common`, `from pkg import common` (pkg.common) or `from pkg import Model`.
        return any(
            self.index.find(module, file.path) is not None
            for i in file.imports if i.alias == receiver
            for module in (i.module, *((f"{i.module}.{i.name}",) if i.name else ()))
        )

    def targets(
        self, file: FileFacts, value: Value, interpret: str, direction: str, weak: bool = False, api: str = "",
        cwd: str = "",
    ) -> tuple[tuple[Target, str, str], ...]:
        """The (target, direction, assumed working directory) triples an access touches:
        usually one, in the access's direction; for a SQL statement, each table it reads or
        writes, whatever the method (`cursor.execute("INSERT INTO t ...")` writes t); DYNAMIC
        when the value cannot be known; none when a weak access turns out not to be one. The
        working directory is "" except where it was guessed (``_script_folder``)."""
        if self._own_code(file, api):
            # `GPT.from_pretrained(name)` on the repository's own class, `common.to_json(path)`
            # of its own module: its own code, whose argument means whatever that code makes of
            # it, and whose reads and writes are seen where they happen.
            return ()
        lookup = self.lookup_from(file, cwd)
        if is_memory_in(value, lookup):
            return ()
        text = evaluate(value, lookup)
        if weak and (text is None or not _looks_like_a_file(text)):
            return ()
        if text is None:
            return ((DYNAMIC, direction, ""),)
        text, anchored = unanchor(text)
        if text == ":memory:":
            # sqlite3.connect(":memory:"), duckdb.connect(":memory:"): a scratch database.
            return ()
        if interpret == "database":
            # libpq's `host=localhost dbname=test user=...`: the database, without the credentials.
            uri = _conninfo_uri(text)
            if uri is not None:
                return ((classify(uri), direction, ""),)
            interpret = "path"
        if interpret == "sql":
            read, written = tables(text)
            # DuckDB's files in place of tables, where the code runs.
            read_files, written_files = files(text)
            if not read and not written and not read_files and not written_files:
                return ((DYNAMIC, direction, ""),)
            base = self._working_directory(file, cwd)
            # A query of the database's own catalog touches no data.
            return tuple(
                (table(name), way, "")
                for names, way in ((read, "read"), (written, "write"))
                for name in names
                if not is_system_table(name)
            ) + tuple(
                (classify(name, base), way, "")
                for names, way in ((read_files, "read"), (written_files, "write")) for name in names
            )
        if interpret == "service" and "://" in text and not _names_a_file(text):
            # A web service's answer (`requests.get(api).json()`) or a ping: no dataset.
            return ()
        if interpret == "table":
            return ((table(text) if text.strip() else DYNAMIC, direction, ""),)
        if interpret in _HUB_PREFIX and not anchored and _is_hub_id(text, self.local_roots | _LOCAL_ROOTS):
            return ((Target(TargetKind.URI, _HUB_PREFIX[interpret] + text.strip()), direction, ""),)
        rooted = anchored or interpret == "rooted" or from_command_line(value)
        base = "" if rooted else self._working_directory(file, cwd)
        # A template the library fills in (Keras' "model-{epoch:02d}.keras"): any such file.
        pattern = _TEMPLATE_FIELD.sub("*", text)
        target = classify(pattern, base)
        own = self._own_file(target) if is_tooling(file.path, file) else None
        if own is not None:
            return ((Target(TargetKind.PATH, own), direction, ""),)
        if not base and not cwd and interpret != "rooted":
            folder = self._script_folder(file, target, pattern)
            if folder:
                return ((classify(pattern, folder), direction, folder),)
        return ((target, direction, ""),)

    def _own_file(self, target: Target) -> str | None:
        """The file of the work tree that a raw GitHub URL of this repository names
        (`https://raw.githubusercontent.com/<owner>/<name>/<ref>/<path>`, or github.com's
        `<owner>/<name>/raw/<ref>/<path>`), when the work tree has it; else None. Only for
        tests, docs and packaging (a test fetching its own fixture): a pipeline downloading the
        file gets what the default branch has now, which need not be the work tree's copy."""
        match = _RAW_URL.match(target.value) if target.kind is TargetKind.URI and self.repositories else None
        if match is None:
            return None
        owner, name = (match[1], match[2]) if match[1] else (match[3], match[4])
        if f"{owner}/{name}".lower() not in self.repositories:
            return None
        parts = match[5].split("?", 1)[0].split("/")
        # The ref may hold slashes (a branch `release/2.0`): the path is what the tree has.
        return next((path for start in range(1, len(parts)) if (path := "/".join(parts[start:])) in self.existing), None)

    def _script_folder(self, file: FileFacts, target: Target, text: str) -> str:
        """The script's own folder, where a relative path of a script that no stage runs
        points there and not at the root: `src/setup.py` reading "requirements.txt" finds
        src/requirements.txt, and the root has none. The path must exist from the folder and
        not from the root, or, for a path with a directory part (`data/x.csv`), that directory
        must exist from the folder and neither it nor the path from the root."""
        folder = posixpath.dirname(file.path)
        if not folder or file.path in self.argv or file.path.endswith(".ipynb"):
            return ""
        if target.kind is not TargetKind.PATH or not target.is_in_repo:
            return ""
        relative = posixpath.dirname(target.value)
        if self._exists(target.value, relative):
            return ""
        return folder if self._exists(classify(text, folder).value, relative) else ""

    def _exists(self, path: str, relative: str) -> bool:
        """Whether ``path`` exists, or, when the path as written has a directory part
        (``relative``), the directory it names does."""
        # The root (".") always exists.
        if path in (".", "") or path in self.existing:
            return True
        return bool(relative) and posixpath.dirname(path) in self.existing

    def _working_directory(self, file: FileFacts, cwd: str) -> str:
        """Where a relative path in ``file`` starts: the directory the one dvc.yaml stage
        running it works in; a notebook's own directory (Jupyter's and VS Code's default), and
        a script's that its README runs there; the code of a Kedro project in a folder, that
        folder (`kedro run` runs there); else the repository root. Then wherever a module-level
        os.chdir or `%cd` moved (``cwd``)."""
        if file.path in self.argv:
            start = self.argv[file.path][1]
        elif file.path.endswith(".ipynb") or file.path in self.folder_runs:
            start = posixpath.dirname(file.path)
        else:
            start = max((p for p in self.kedro_projects if file.path.startswith(p + "/")), key=len, default="")
        return posixpath.normpath(posixpath.join(start, cwd)) if cwd else start


class _Lookup:
    def __init__(
        self, index: ModuleIndex, importer: str, argv: tuple[tuple[str, ...], str] | None,
        configs: ConfigFiles | None, cwd: str,
    ) -> None:
        self.index = index
        self.importer = importer
        self.argv = argv
        self.configs = configs
        # Where the importer's relative paths start: a configuration file it loads is there.
        self.cwd = cwd

    def __call__(self, module: str, name: str) -> Value | None:
        if module == ARGV_MODULE:
            return self._argument(int(name)) if name.isdigit() else self._option(name.split("\x00"))
        if module == CONFIG_MODULE:
            return self._config_key(name.split(CONFIG_SEPARATOR))
        file = self.index.find(module, self.importer)
        if file is not None:
            return file.constants.get(name)
        # `from config import Config` then `Config.DATA`: the owner is a class in a module.
        owner, _, cls = module.rpartition(".")
        file = self.index.find(owner, self.importer) if owner else None
        if file is not None:
            return file.constants.get(f"{cls}.{name}")
        return None


    def _config_key(self, parts: list[str]) -> Value | None:
        """What a configuration file says at a key: the file's path (relative to where the
        importer runs, unless `__file__` anchors it), then the keys."""
        text, anchored = unanchor(parts[0])
        if self.configs is None or text.startswith(("/", "~")) or "://" in text:
            return None
        path = posixpath.normpath(text if anchored else posixpath.join(self.cwd, text))
        found = self.configs.value(path, parts[1:])
        return literal(found) if found is not None else None

    def _argument(self, position: int) -> Value | None:
        if self.argv is None:
            return None
        arguments, cwd = self.argv
        if position == 0:
            return literal(self.importer)
        if position > len(arguments):
            return None
        return _command_line_path(arguments[position - 1], cwd)

    def _option(self, keys: list[str]) -> Value | None:
        """What the command gives an argparse option (`--data x`, `--data=x`) or the Nth
        positional argument ("#N"); None when it gives nothing, and the default applies."""
        if self.argv is None:
            return None
        arguments, cwd = self.argv
        if keys and keys[0].startswith("#"):
            # Positional: the tokens that are neither options nor an option's value.
            positional = [
                a for i, a in enumerate(arguments)
                if not a.startswith("-") and (i == 0 or not arguments[i - 1].startswith("-") or "=" in arguments[i - 1])
            ]
            index = int(keys[0][1:])
            return _command_line_path(positional[index], cwd) if index < len(positional) else None
        for i, argument in enumerate(arguments):
            if argument in keys and i + 1 < len(arguments):
                return _command_line_path(arguments[i + 1], cwd)
            flag, equals, rest = argument.partition("=")
            if equals and flag in keys:
                return _command_line_path(rest, cwd)
        return None


def _command_line_path(argument: str, cwd: str) -> Value:
    if "${" in argument:
        # Given, but by an interpolation left unresolved: not the default, and not known.
        return DYNAMIC_VALUE
    # Relative paths on a command line are relative to where the command runs.
    if cwd and not argument.startswith(("-", "/", "~")) and "://" not in argument:
        argument = posixpath.join(cwd, argument)
    return literal(argument)


def _conninfo_uri(text: str) -> str | None:
    """A libpq key/value connection string (`host=db port=5432 dbname=sales user=u`) as the
    URI of its database (`postgresql://db:5432/sales`); None for anything else."""
    pairs = [word.partition("=") for word in text.split()]
    if not pairs or "://" in text or any(not key or not equals for key, equals, _ in pairs):
        return None
    given = {key: value.strip("'") for key, _, value in pairs}
    if "dbname" not in given and "host" not in given:
        return None
    port = f":{given['port']}" if given.get("port") else ""
    return f"postgresql://{given.get('host') or 'localhost'}{port}/{given.get('dbname', '')}".rstrip("/")


def _looks_like_a_file(text: str) -> bool:
    return "://" in text or _has_extension(text)


def _names_a_file(uri: str) -> bool:
    """Whether a URL's path ends in a file name with an extension (`/data/train.csv`)."""
    try:
        return _has_extension(urlsplit(uri).path)
    except ValueError:  # an unclosed "[" of an IPv6 address
        return True


def _has_extension(path: str) -> bool:
    name = path.rstrip("/").rpartition("/")[2]
    stem, dot, suffix = name.rpartition(".")
    return bool(dot and stem and suffix and suffix.isalnum())


def _is_hub_id(text: str, local_roots: frozenset[str]) -> bool:
    """`bert-base-uncased` or `org/model` rather than a local path."""
    stripped = text.strip()
    if not stripped or stripped.startswith((".", "/", "~")) or "://" in stripped or "\\" in stripped:
        return False
    if stripped.split("/", 1)[0] in local_roots:
        return False
    return stripped.count("/") <= 1 and not stripped.endswith((".bin", ".pt", ".json", ".safetensors"))
