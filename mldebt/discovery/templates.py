"""Templates: files that become code or manifests only once a generator renders them.

A project template (cookiecutter-data-science, a Kedro starter, a Copier template) holds the
code of projects not yet made: `{{ cookiecutter.module_name }}` where a package name goes,
`{% if ... %}` around optional lines. Analysed as it stands, its Python is a syntax error and
its `conf/base/catalog.yml` declares data nobody has. So a template is skipped, and the run says
so once, naming ``exclude`` for whoever wants it silent.

What is a template:

- every file under a directory whose name holds a Jinja tag (`{{ cookiecutter.repo_name }}/`,
  Copier's `{{ project_name }}/`), and a file whose own name holds one
  (`{% if docker %}Dockerfile{% endif %}`): generators render names as well as contents;
- a file with a template engine's suffix: `.j2`, `.jinja`, `.jinja2` (Copier's default suffix
  is `.jinja`, Ansible's and many generators' `.j2`);
- in a repository that is a project generator (a `cookiecutter.json`, `copier.yml` or
  `copier.yaml` in it), a Python source that does not parse *where it holds a Jinja tag*: the
  line on which parsing fails has `{{ ... }}`, `{% ... %}` or `{# ... #}` (a cookiecutter hook).
  A module that merely carries Jinja in a string (an Airflow DAG's templated `bash_command`)
  parses and stays code, and a real syntax error stays a finding unless Jinja is what breaks
  the line. Elsewhere a syntax error is always a finding: a pull request must not be able to
  hide a file from the gate by writing `{{ x }}` into it.

The first two are decided from the path alone, while listing; the third needs the parser's
verdict, so the engine asks `is_template_source` about the sources that failed to parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SUFFIXES = (".j2", ".jinja", ".jinja2")
GENERATOR_MARKERS = frozenset({"cookiecutter.json", "copier.yml", "copier.yaml"})

# A Jinja expression, statement or comment tag, on one line.
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")


def generates_projects(files: Iterable[str]) -> bool:
    """Whether the repository with these files is a project generator (see the module doc)."""
    return any(path.rpartition("/")[2] in GENERATOR_MARKERS for path in files)


def is_template_name(name: str) -> bool:
    """Whether a file or directory called ``name`` is a template by its name alone."""
    return _TAG.search(name) is not None


def template_of(rel: str) -> str | None:
    """The template that the file ``rel`` belongs to: its first directory named with a Jinja tag
    (with a trailing slash), else ``rel`` itself when its name or suffix makes it one; None for
    a file of the repository's own."""
    parts = rel.split("/")
    for depth, part in enumerate(parts[:-1]):
        if is_template_name(part):
            return "/".join(parts[: depth + 1]) + "/"
    return rel if is_template_name(parts[-1]) or rel.endswith(SUFFIXES) else None


def is_template_source(data: bytes, line: int) -> bool:
    """Whether a source whose parse failed on ``line`` (1-based) fails because of Jinja there."""
    lines = data.split(b"\n", line)
    if line < 1 or line > len(lines):
        return False
    return _TAG.search(lines[line - 1].decode("utf-8", errors="replace")) is not None


def describe(templates: list[str]) -> str:
    """The one note for every template skipped (``templates``: sorted paths, directories with a
    trailing slash)."""
    shown = ", ".join(templates[:3]) + (", ..." if len(templates) > 3 else "")
    count = f"{len(templates)} template{'s' if len(templates) != 1 else ''}"
    return (
        f"skipped {count} (Jinja or cookiecutter: code only once rendered): {shown}; "
        f"add them to `exclude` in [tool.mldebt] to skip them without this note"
    )
