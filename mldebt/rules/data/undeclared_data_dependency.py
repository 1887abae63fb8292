"""MLD101: data that code reads or writes and no manifest declares."""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from mldebt.config import ChoiceList, Flag, Globs, RuleOptions, option
from mldebt.declarations import Declaration
from mldebt.findings import Category, Finding
from mldebt.graph import DataAccess, Site, Status
from mldebt.rules.base import Invalid, Rule, RuleContext, Valid
from mldebt.rules.data import how_of, several, verb_of
from mldebt.targets import Target, TargetKind


class UndeclaredDataDependency(Rule):
    """
    ## What it does
    Flags data that code reads or writes, with a target known statically (a path, URI or SQL
    table), that no manifest declares: no `dvc.yaml` stage or `.dvc` file, no Kedro catalog
    entry, no `[tool.mldebt.data]` input or output covers it. The repository's own database
    schema declares its tables: an SQLAlchemy model's `__tablename__` (with
    `__table_args__ = {"schema": ...}`), a Core `Table(...)`, an alembic `op.create_table(...)`.

    Code that a DVC stage runs must find its data among that stage's own `deps`, `outs`,
    `params`, `metrics` and `plots` (or in a `.dvc` file, a Kedro catalog or
    `[tool.mldebt.data]`): another stage's `outs` do not make it a dependency of this one.

    ## Why is this bad?
    Undeclared data dependencies are invisible to lineage, review and retraining: DVC does
    not rerun a stage when an undeclared input changes, a reviewer cannot see that a change
    to a file reaches a model, and nobody knows who consumes an output before deleting it
    (Sculley et al., "Hidden Technical Debt in Machine Learning Systems": data dependencies
    cost more than code dependencies).

    Paths built from literals, module constants (also imported from other modules),
    `os.path.join`, pathlib `/`, f-strings and `+` are resolved, and so are command-line
    arguments (`sys.argv[1]`, argparse's `args.data`): from the `dvc.yaml` command that runs
    the script, else the option's default (an empty default, `default=""`, is "not given":
    unknown); in a script or notebook, so is a parameter of a function or of a class's
    constructor, from the literals its calls pass (one access each); what a function or class
    imported from another module of the repository does with its parameters
    (`fetch(url, "sms.zip")`, `SpamDataset("train.csv")`) is an access at the call, on what
    the call passes; and so are keys of configuration files (`cfg.data.path` of a Hydra
    main's or `compose`'s config or of `OmegaConf.load(...)`,
    `params["raw"]` of a YAML or JSON file loaded whole), with a Hydra defaults list's config
    groups and OmegaConf's `${key}` interpolations. A target that cannot be known statically
    (a parameter a call passes an unknown value, an option without a default,
    `${oc.env:DATA}`) is counted in the summary, never flagged.
    A call that stands for several targets, one for each name of a loop over a literal list
    (`for task in TASKS: pd.read_csv(task + "_dev.csv")`) or each file of a list it is given, is
    one finding that counts them and names the first ("reads 57 files like ...").
    Shell commands that download or unpack data are accesses as the calls that do it are: a
    notebook's `!wget URL`, `!curl -L URL -o f`, `!gdown ID -O f`, `!unzip a.zip -d dir`,
    `!tar -xzf a.tgz -C dir` and `!kaggle datasets download -d owner/name -p dir`, and the same
    commands run by a script's `os.system(...)` or `subprocess.run([...])`: the URL is read,
    the file or folder written (their words are read, never run; a word the shell would expand,
    `$URL`, is not known). A write below a folder the code made, of a name not known
    (`os.makedirs(d)`, then `shutil.copy(src, d / name)` in a loop), writes that folder, as
    `shutil.copytree(src, d)` does.
    A SQL statement is one finding per table it reads or writes. A seed script's DDL is one
    finding for its database: where a module runs CREATE, DROP or ALTER TABLE on a connection
    it opened to a database known statically (`sqlite3.connect("data/app.db")`,
    `psycopg2.connect("postgresql://db/shop")`, also through a function's parameter), the
    tables it writes there are that database's, named in the message, and declaring the
    database declares them; a cursor passed to a function keeps its connection's database.
    Absolute and user-home paths are MLD102's; a read of data another pipeline writes is
    MLD103's. Scratch space and devices (`/tmp`, `/dev`) are not data, nor is an HTTP service
    on this machine (`requests.get("http://127.0.0.1:8000/health")`, `localhost`, `0.0.0.0`,
    `[::1]`): a server the code starts or talks to, such as a test polling the one it launched
    (a database URL on `localhost` still holds data), nor the cloud instance's metadata service
    (`http://169.254.169.254/latest/meta-data/instance-type`, `metadata.google.internal`).
    Nor is a call of a web service: an HTTP GET (`requests.get`, `httpx.get`, `urlopen`) whose
    answer is parsed as JSON at once (`requests.get(api).json()["fact"]`) or thrown away (a
    connectivity ping), from a URL whose path names no file; the GET of a file
    (`requests.get("https://x.org/data.csv")`, `.../stats.json`), or of a page the code keeps
    (`.content`, `.text`, written to a file), is data.
    What a hub, library or registry knows by name is not flagged unless the `hub` option is set: Hugging Face Hub ids (`from_pretrained("bert-base-uncased")`,
    `hf_hub_download`), library datasets (`load_iris()` is `sklearn://iris`,
    `fetch_openml("titanic")` `openml://titanic`, `tfds.load("mnist")` `tfds://mnist`, Keras',
    torchvision's, torchaudio's and torchtext's datasets, `torch.hub.load`, seaborn's
    `load_dataset("tips")` `seaborn://tips`, plotly's and vega_datasets'), MLflow runs and
    registered models (`runs:/...`, `models:/churn`, and MLflow's local stores `mlruns/` and
    `mlartifacts/`), Weights & Biases artifacts (`wandb://...`), Kedro catalog names
    (`catalog.load("companies")` is `kedro://companies`) and Kaggle's datasets and competitions
    (`kaggle competitions download -c titanic` is `kaggle://competitions/titanic`). This is a
    judgement call: the name is the dependency's declaration, and the registry keeps its
    versions and lineage; the directory a library downloads such a dataset into (`data_home`,
    torchvision's `root` with `download=True`) is its cache and is not reported at all. A
    directory read as it lies (`ImageFolder("data/train")`) is a path like any other.

    Also judgement calls, and not reported unless the `also-report` option names them:
    configuration and packaging (`"config"`: `pyproject.toml`, `setup.cfg`, `requirements*.txt`,
    `*.ini`, tool configurations, DVC's `dvc.yaml`, `dvc.lock` and `.dvc` files and their
    temporary or backup copies (`dvc.yaml.tmp`), and committed YAML, TOML, INI and CFG files:
    settings, not data; committed or not, settings and credentials by name or packaging role:
    `config.json`, `settings.json`, `database.yaml`, `credentials.*` and `secrets.*` in YAML,
    JSON or TOML, what a Kedro project's `conf/<environment>/` holds, a conda recipe's
    `meta.yaml`); what tests, docs and packaging code read from the repository's own committed
    files (`"tooling"`: a test's fixtures, a site generator's assets, also by a raw GitHub URL
    of the repository's own committed file, where `.git/config`'s remotes or `[project.urls]`
    name the repository, and a committed stylesheet, script or font any code reads, such as the
    `.css` a notebook styles itself with); a pipeline's own scratch (`"scratch"`: what a script
    or notebook, or a test or module that no pipeline runs, writes and reads back itself, such
    as a download it then opens or extracts, whose external source is still reported, or a
    file it reads back through its own `Dataset` class); and figures, animations, documents and audio for people
    that no code reads (`"figure"`: `.png`, `.svg`, `.pdf`, `.gif`, `.mp4`, `.html`, `.md`, `.rst`, `.wav`,
    ..., and whatever matplotlib's `savefig` writes, `savefig("umap")` included). Committed
    SQL scripts that code reads as text (a migration's `op.execute(open("proc.sql").read())`)
    are code, like Python sources. A script no stage runs works in the repository's root,
    unless a README in its folder runs it from there (`python train.py`), or a relative path
    exists only from its own folder: then there, and in the latter case the message says so.

    ## Example
    ```python
    import pandas as pd

    df = pd.read_csv("data/raw/customers.csv")
    ```

    ## Use instead
    Declare it, for instance as a dependency of the stage that runs this code:
    ```yaml
    stages:
      prepare:
        cmd: python prepare.py
        deps: [data/raw/customers.csv]
    ```
    or in pyproject.toml:
    ```toml
    [tool.mldebt.data]
    inputs = ["data/raw/*.csv"]
    ```

    ## References
    - Sculley et al., NeurIPS 2015, section 3 (Data Dependencies Cost More than Code Dependencies)
    - DVC: stage dependencies and outputs (dvc.yaml)
    """

    code = "MLD101"
    name = "undeclared-data-dependency"
    category = Category.UNDECLARED_DATA_DEPENDENCY

    @dataclass(frozen=True)
    class Options(RuleOptions):
        ignore_targets: tuple[str, ...] = option(Globs(doc='targets never reported, e.g. `["logs/**"]`.'))
        hub: bool = option(
            Flag(
                doc="also report what a hub, library or registry knows by\n"
                "name (Hugging Face Hub, library datasets, MLflow, Weights & Biases, Kedro catalog names)."
            )
        )
        also_report: tuple[str, ...] = option(
            ChoiceList(
                choices=("config", "tooling", "scratch", "figure"),
                doc="also report what is not data by default (see above):\n"
                '`"config"`, `"tooling"`, `"scratch"`, `"figure"`.',
            )
        )

    VALID = [
        Valid(
            {
                "dvc.yaml": "stages:\n  prepare:\n    cmd: python prepare.py\n    deps: [data/raw.csv]\n",
                "prepare.py": "import pandas as pd\ndf = pd.read_csv('data/raw.csv')\n",
            }
        ),
        Valid({"train.py": "import sys\nimport pandas as pd\ndf = pd.read_csv(sys.argv[1])\n"}),
        Valid(
            {
                "pyproject.toml": "[tool.mldebt.data]\noutputs = ['models/*.pkl']\n",
                "train.py": "import joblib\nMODEL = 'models/model.pkl'\njoblib.dump(object(), MODEL)\n",
            }
        ),
    ]
    INVALID = [
        Invalid(
            {"train.py": "import pandas as pd\n\ndf = pd.read_csv('s3://bucket/x.csv')\n"},
            path="train.py", line=3, column=6,
            message="reads data `s3://bucket/x.csv` (pandas.read_csv) that no manifest declares",
        ),
        Invalid(
            {
                "config.py": "import os\nDATA = 'data'\nRAW = os.path.join(DATA, 'raw.csv')\n",
                "prepare.py": "import pandas as pd\nfrom config import RAW\npd.read_csv(RAW)\n",
            },
            path="prepare.py", line=3, column=1,
            message="reads data `data/raw.csv` (pandas.read_csv) that no manifest declares",
        ),
        # A seed script: one finding for the database its DDL defines.
        Invalid(
            {
                "seed.py": (
                    "import sqlite3\n\nconn = sqlite3.connect('data/app.db')\ncur = conn.cursor()\n"
                    "cur.execute('CREATE TABLE users (id INTEGER, name TEXT)')\n"
                    "cur.execute('CREATE TABLE orders (id INTEGER, user_id INTEGER)')\n"
                    "cur.execute(\"INSERT INTO users VALUES (1, 'ada')\")\n"
                ),
            },
            path="seed.py", line=5, column=1,
            message=(
                "writes database `data/app.db` (cur.execute: tables `orders`, `users`) that no manifest declares; "
                "also at line 3, line 6, line 7"
            ),
        ),
        # `train` reads what `prepare` writes, but its deps do not say so: DVC would not rerun it.
        Invalid(
            {
                "dvc.yaml": (
                    "stages:\n  prepare:\n    cmd: python prepare.py\n    outs: [data/clean.csv]\n"
                    "  train:\n    cmd: python train.py\n    deps: [train.py]\n"
                ),
                "prepare.py": "import pandas as pd\npd.DataFrame().to_csv('data/clean.csv')\n",
                "train.py": "import pandas as pd\npd.read_csv('data/clean.csv')\n",
            },
            path="train.py", line=2, column=1,
            message="reads data `data/clean.csv` (pandas.read_csv) that stage `train` does not declare (stage `prepare` declares it, dvc.yaml:4)",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        options = ctx.options
        assert isinstance(options, self.Options)
        reported = {Status.UNDECLARED, *(Status(what) for what in options.also_report)}
        if options.hub:
            reported.add(Status.NAMED)
        ignored = options.ignore_targets
        classified = list(ctx.graph.classified())
        seeds = _seeds(access for access, _ in classified)
        # One finding per dataset per pipeline: its accesses, by what they miss; a call that
        # stands for several targets (a loop over a literal list) is one finding for them all.
        datasets: dict[tuple[str | Site, str], list[DataAccess]] = defaultdict(list)
        for access, status in classified:
            seed = seeds.get(_seed_key(access))
            if seed is not None:
                if status.status in reported:
                    seed.reported.append(access)
                continue
            if status.status not in reported:
                continue
            target = access.target
            if any(fnmatch.fnmatchcase(target.value, p) for p in ignored):
                continue
            site = ctx.graph.site_of(access)
            datasets[target.value if site is None else site, self._unsaid(ctx, access, status.elsewhere)].append(access)
        for seed in seeds.values():
            finding = self._seed_finding(ctx, seed, ignored)
            if finding is not None:
                yield finding
        for (_, unsaid), accesses in datasets.items():
            for group in _by_pipeline(ctx, accesses):
                first, rest = group[0], group[1:]
                shown = first.target.value.removeprefix("table:")
                what = several(group)
                if what:
                    # One call, each target of a loop: one place.
                    rest = []
                else:
                    what = "table" if first.target.kind is TargetKind.TABLE else "data"
                yield self.finding(
                    first.location,
                    f"{verb_of(first)} {what} `{shown}` ({how_of(first)}) {unsaid}{_also(first, rest)}",
                    scope=first.access.scope,
                    snippet=first.access.snippet,
                    related=tuple(a.location for a in rest),
                )

    def _seed_finding(self, ctx: RuleContext, seed: _Seed, ignored: tuple[str, ...]) -> Finding | None:
        """The one finding of a seed script's database, unless a manifest declares the
        database or none of what the script writes there is reported."""
        database = seed.database.value
        if not seed.reported or ctx.graph.is_declared(seed.database) or any(fnmatch.fnmatchcase(database, p) for p in ignored):
            return None
        tables = sorted({a.target.value.removeprefix("table:") for a in seed.reported if a.target.kind is TargetKind.TABLE})
        if not tables:
            return None
        first = seed.definition
        # A script of several statements is one place, however many tables it writes.
        places = {a.place: a for a in seed.reported if a.place != first.place}
        rest = [places[place] for place in sorted(places)]
        named = ", ".join(f"`{t}`" for t in tables)
        return self.finding(
            first.location,
            f"writes database `{database}` ({how_of(first)}: {'table' if len(tables) == 1 else 'tables'} {named}) "
            f"that no manifest declares{_also(first, rest)}",
            scope=first.access.scope,
            snippet=first.access.snippet,
            related=tuple(a.location for a in rest),
        )

    @staticmethod
    def _unsaid(ctx: RuleContext, access: DataAccess, elsewhere: Declaration | None) -> str:
        if elsewhere is None:
            return "that no manifest declares"
        stages = ctx.graph.stages_of(access.path)
        names = ", ".join(f"`{name}`" for _, name in stages)
        stage = "stage" if len(stages) == 1 else "stages"
        verb = "does" if len(stages) == 1 else "do"
        return (
            f"that {stage} {names} {verb} not declare (stage `{elsewhere.owner}` declares it, "
            f"{elsewhere.source}:{elsewhere.line})"
        )


@dataclass
class _Seed:
    """A module's DDL on one database: its first statement, and what of the module's writes
    there (and of its accesses of the database itself) is reported."""

    database: Target
    definition: DataAccess
    reported: list[DataAccess] = field(default_factory=list)


def _seed_key(access: DataAccess) -> tuple[str, Target] | None:
    """The (module, database) a table write on a known database, or an access of a database
    file itself, belongs to."""
    if access.target.kind is TargetKind.TABLE:
        return (access.path, access.database) if access.database is not None and access.direction == "write" else None
    return access.path, access.target


def _seeds(accesses: Iterable[DataAccess]) -> dict[tuple[str, Target], _Seed]:
    """Each module's DDL by the database it runs on: its first CREATE, DROP or ALTER TABLE."""
    seeds: dict[tuple[str, Target], _Seed] = {}
    for access in sorted(accesses, key=lambda a: a.place):
        if access.access.defines and access.target.kind is TargetKind.TABLE and access.database is not None:
            key = (access.path, access.database)
            if key not in seeds:
                seeds[key] = _Seed(access.database, access)
    return seeds


def _by_pipeline(ctx: RuleContext, accesses: list[DataAccess]) -> list[list[DataAccess]]:
    """The accesses of one dataset, grouped so that accesses sharing a pipeline (a file outside
    every pipeline is its own) are one group; each group and the groups in source order."""
    ordered = sorted(accesses, key=lambda a: a.place)
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[str, int] = {}
    for i, access in enumerate(ordered):
        units = [p.id for p in ctx.graph.pipelines_of(access.path)] or [f"file:{access.path}"]
        for unit in units:
            if unit in first_of:
                parent[root(i)] = root(first_of[unit])
            else:
                first_of[unit] = i
    groups: dict[int, list[DataAccess]] = defaultdict(list)
    for i, access in enumerate(ordered):
        groups[root(i)].append(access)
    return sorted(groups.values(), key=lambda group: group[0].place)


# Related places a message names before it counts the rest.
_NAMED_PLACES = 3


def _also(first: DataAccess, rest: list[DataAccess]) -> str:
    """Where else the pipeline touches the dataset, as the message says it."""
    if not rest:
        return ""
    places = []
    for access in rest[:_NAMED_PLACES]:
        loc = access.location
        where = f"cell {loc.cell}:{loc.line}" if loc.cell is not None else f"line {loc.line}"
        places.append(where if access.path == first.path else f"{access.path} {where}")
    more = len(rest) - _NAMED_PLACES
    return f"; also at {', '.join(places)}" + (f" and {more} more" if more > 0 else "")
