"""What each data access is, decided once for every rule and report that asks.

MLD101 reports the undeclared, MLD102 what lies outside the repository, MLD103 the reads of
undeclared consumers, and `mldebt accesses` shows the declaration: each used to decide its
share on its own, in its own order, and so could disagree with the others about one access.
Here the order is fixed. An access is, by the first that holds:

1. ``DYNAMIC``: its target is not known statically;
2. ``SYSTEM``: scratch space or a device (``/tmp``, ``/dev``, ``/proc``, ``/sys``), or an HTTP
   service on this machine (``http://127.0.0.1:8000/health``, ``localhost``, ``0.0.0.0``,
   ``[::1]``): a server the code itself starts or talks to, not a dataset; so is the cloud
   instance's metadata service (link-local ``169.254.169.254``, ECS' ``169.254.170.2``,
   ``metadata.google.internal``), which tells the code about the machine it runs on;
3. ``SCRATCH`` (a user-home path): a per-user cache that the same pipeline fills and reads
   (``~/.cache/<project>``, written by its own downloader);
4. ``OUTSIDE``: an absolute or user-home path, or a relative one leaving the repository from
   code whose working directory is known (a notebook, a script a DVC stage runs);
5. ``UNANCHORED``: a relative path that leaves the repository from code that may run anywhere
   (the same path from a subdirectory stays inside): nobody can say where it points;
6. ``EMPTY``: a target with no value, the repository's root itself, or the working
   directory wherever the code runs (`copytree(src, ".")` fills it: no dataset anyone could
   declare);
7. ``DECLARED``: a manifest declares it for the code making it;
8. ``CODE``: a repository source file, notebook or SQL script, read as text
   (`exec(open("config.py").read())`, a migration running `op.execute(open("proc.sql").read())`);
9. ``CONFIG``: the repository's own configuration or packaging (`pyproject.toml`,
   `setup.cfg`, `requirements*.txt`, `*.ini`, tool configurations, DVC's `dvc.yaml`,
   `dvc.lock` and `.dvc` files, and their temporary or backup copies such as
   `dvc.yaml.tmp`), or a committed YAML, TOML, INI or CFG file: settings, not data;
10. ``TOOLING``: a committed file that tests, docs or packaging code read: a test's own
    fixtures, the assets a site generator publishes, the JSON `setup.py` takes its version from;
    and a committed stylesheet, script or font that any code reads (the `.css` a notebook
    styles itself with): how a page looks, not data;
11. ``SCRATCH``: data a pipeline writes and reads back itself (a download it then opens, a
    result it saves and loads): internal to it, whatever the external source it came from;
12. ``FIGURE``: a figure, animation, document or audio clip written for people (``.png``,
    ``.svg``, ``.pdf``, ``.gif``, ``.mp4``, ``.html``, ``.wav``, ...), or by an API that writes
    only figures (matplotlib's ``savefig("umap")`` adds the extension), that no code of the
    repository reads;
13. ``CONSUMER_READ``: a read of undeclared data that another pipeline writes (MLD103's);
14. ``NAMED``: what a hub, library or registry knows by name (``models:/churn``), undeclared;
15. ``UNDECLARED``: anything else: nothing declares it for this code (``elsewhere`` says when
    another DVC stage does).

CONFIG, TOOLING, SCRATCH and FIGURE are judgement calls; MLD101's `also-report` option
reports them again.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import posixpath
from urllib.parse import urlsplit
from dataclasses import dataclass
from enum import Enum

from mldebt.declarations import Declaration
from mldebt.targets import Target, TargetKind

# Absolute paths that are not data locations: scratch space and devices.
_SYSTEM_PREFIXES = ("/tmp/", "/var/tmp/", "/dev/", "/proc/", "/sys/")
_SYSTEM_PATHS = frozenset({"/tmp", "/dev/null"})
# Web protocols: on a loopback host they reach a local service. A database URL on localhost
# (`postgresql://localhost/sales`) still holds data.
_WEB_SCHEMES = frozenset({"http", "https", "ws", "wss"})
# Cloud instance-metadata services by name (their addresses are link-local): GCP's, and the
# IPv6 address of AWS' (a unique-local one).
_METADATA_HOSTS = frozenset({"metadata.google.internal", "fd00:ec2::254"})
# A repository's configuration and packaging, by file name, committed or not.
_CONFIG_NAMES = frozenset({
    "pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "pytest.ini", "mypy.ini", ".flake8", ".pylintrc",
    ".coveragerc", ".pre-commit-config.yaml", "environment.yml", "environment.yaml", "Pipfile", "Pipfile.lock",
    "poetry.lock", "package.json", "MANIFEST.in", "Makefile", "Dockerfile", "mkdocs.yml", "mkdocs.yaml",
    ".readthedocs.yaml", ".readthedocs.yml", "codecov.yml", "CITATION.cff", "VERSION", "version.txt",
    # DVC's own manifests: what code reads or writes of them (a script generating dvc.yaml,
    # one reporting dvc.lock's hashes) is the pipeline's definition, not its data.
    "dvc.yaml", "dvc.lock", ".dvcignore",
})
_CONFIG_PATTERNS = ("requirements*.txt", "*.ini", "README*", "LICENSE*", "CHANGELOG*", "*.dvc")
# A temporary or backup copy of a configuration file (`dvc.yaml.tmp`, written and then moved
# over dvc.yaml) is that configuration.
_COPY_SUFFIXES = (".tmp", ".bak", ".orig", "~")
# Committed files in these formats hold settings: read by code, they configure it.
_SETTINGS_SUFFIXES = (".yaml", ".yml", ".toml", ".cfg", ".ini")
# Settings and credentials by name or packaging role, committed or not (a user makes them from
# a template, a CLI generates them): a project's own settings (`config.json`, a
# `database.yaml` of host, user and password), credentials and secrets, a conda recipe's
# `meta.yaml`, and what a Kedro project's `conf/<environment>/` holds (`conf/local/credentials.yml`).
_SETTINGS_NAMES = frozenset({"config.json", "settings.json", "database.yaml", "database.yml", "meta.yaml"})
_SECRET_PATTERNS = ("credentials.*", "*[-_]credentials.*", "secrets.*", "*[-_]secrets.*")
_SETTINGS_FORMATS = (".yaml", ".yml", ".json", ".toml")
_SOURCE_SUFFIXES = (".py", ".ipynb", ".pyi", ".sql")
# A page's presentation: committed, it is read to style or script what people see.
_WEB_ASSET_SUFFIXES = (".css", ".scss", ".less", ".js", ".woff", ".woff2", ".ttf", ".otf")
# What is written for people to look at or listen to: figures, animations, documents, audio.
_FIGURE_SUFFIXES = (
    ".png", ".jpg", ".jpeg", ".svg", ".pdf", ".eps", ".gif", ".mp4", ".webm", ".avi", ".html", ".htm",
    ".md", ".rst", ".tex", ".wav", ".mp3", ".flac", ".ogg",
)
# MLflow's local tracking and artifact stores (`mlflow ui`'s defaults): the registry's own files.
_MLFLOW_STORES = frozenset({"mlruns", "mlartifacts"})


class Status(str, Enum):
    DYNAMIC = "dynamic"
    SYSTEM = "system"
    OUTSIDE = "outside"
    UNANCHORED = "unanchored"
    EMPTY = "empty"
    DECLARED = "declared"
    CODE = "code"
    CONFIG = "config"
    TOOLING = "tooling"
    SCRATCH = "scratch"
    FIGURE = "figure"
    CONSUMER_READ = "consumer-read"
    NAMED = "named"
    UNDECLARED = "undeclared"


@dataclass(frozen=True)
class Classification:
    status: Status
    # What declares the target for the code making the access; else, for code that DVC stages
    # run, another stage's declaration of it (MLD101 names it).
    declaration: Declaration | None = None
    elsewhere: Declaration | None = None
    # For OUTSIDE: "absolute path", "user-home path" or "path outside the repository".
    outside: str = ""


def is_local_service(uri: str) -> bool:
    """Whether a URI is a web endpoint on this machine: a loopback or unspecified address
    (127.0.0.0/8, ::1, 0.0.0.0) or localhost; or the cloud instance's metadata service, on a
    link-local address (169.254.0.0/16, fe80::/10) or by its name."""
    try:
        parts = urlsplit(uri)
    except ValueError:  # an unclosed "[" of an IPv6 address
        return False
    host = parts.hostname
    if parts.scheme not in _WEB_SCHEMES or not host:
        return False
    if host == "localhost" or host.endswith(".localhost") or host in _METADATA_HOSTS:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_link_local


def is_config(path: str, committed: bool) -> bool:
    """Whether a repository path names configuration or packaging rather than data."""
    folder, name = posixpath.split(path)
    for suffix in _COPY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    if name in _CONFIG_NAMES or any(fnmatch.fnmatchcase(name, pattern) for pattern in _CONFIG_PATTERNS):
        return True
    if posixpath.basename(folder) == "requirements" and name.endswith(".txt"):
        return True
    if name in _SETTINGS_NAMES or (
        name.endswith(_SETTINGS_FORMATS)
        and (any(fnmatch.fnmatchcase(name, p) for p in _SECRET_PATTERNS) or posixpath.basename(posixpath.dirname(folder)) == "conf")
    ):
        return True
    return committed and name.endswith(_SETTINGS_SUFFIXES)


def classify(
    target: Target,
    *,
    anchored: bool,
    declaration: Declaration | None,
    elsewhere: Declaration | None,
    committed: bool,
    by_tooling: bool,
    round_trip: bool,
    unread_write: bool,
    consumer_read: bool,
    figure_api: bool = False,
    working_directory: bool = False,
) -> Classification:
    """One access's classification, from its target and what the graph knows about it:
    ``anchored``, the working directory of the code is known; ``declaration`` and ``elsewhere``,
    as ``DataGraph`` found them; ``committed``, the target is a file of the repository;
    ``by_tooling``, the code is a test, docs or packaging; ``round_trip``, a pipeline of the
    code writes the target and reads it back; ``unread_write``, the access writes what no code
    of the repository reads; ``consumer_read``, the access is a read of an
    undeclared consumer; ``figure_api``, the API writes only figures; ``working_directory``,
    the code names the directory it runs in (".")."""

    def result(status: Status, outside: str = "") -> Classification:
        return Classification(status, declaration, elsewhere, outside)

    if target.kind is TargetKind.DYNAMIC:
        return result(Status.DYNAMIC)
    if target.kind is TargetKind.URI and is_local_service(target.value):
        return result(Status.SYSTEM)
    if target.kind is TargetKind.PATH and not target.is_in_repo:
        if target.value.startswith(_SYSTEM_PREFIXES) or target.value in _SYSTEM_PATHS:
            return result(Status.SYSTEM)
        if target.is_user_home:
            return result(Status.SCRATCH) if round_trip else result(Status.OUTSIDE, "user-home path")
        if target.is_absolute:
            return result(Status.OUTSIDE, "absolute path")
        return result(Status.OUTSIDE, "path outside the repository") if anchored else result(Status.UNANCHORED)
    if target.value in ("", ".") or working_directory:
        return result(Status.EMPTY)
    if declaration is not None:
        return result(Status.DECLARED)
    if target.kind is TargetKind.PATH:
        if committed and target.value.endswith(_SOURCE_SUFFIXES):
            return result(Status.CODE)
        if is_config(target.value, committed):
            return result(Status.CONFIG)
        if committed and (by_tooling or target.value.lower().endswith(_WEB_ASSET_SUFFIXES)):
            return result(Status.TOOLING)
    if round_trip:
        return result(Status.SCRATCH)
    if unread_write and target.kind is TargetKind.PATH and (figure_api or target.value.lower().endswith(_FIGURE_SUFFIXES)):
        return result(Status.FIGURE)
    if consumer_read:
        return result(Status.CONSUMER_READ)
    if target.is_named or (target.kind is TargetKind.PATH and _MLFLOW_STORES.intersection(target.value.split("/"))):
        return result(Status.NAMED)
    return result(Status.UNDECLARED)
