"""Declarations read from a small, realistic ML repository: DVC, Kedro and pyproject."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from mldebt.declarations import Declarations, load_declarations
from mldebt.declarations.entry import detect_invocation
from mldebt.targets import DYNAMIC, TargetKind, classify, table

DVC_YAML = """\
vars:
  - config/paths.yaml
  - report_dir: reports/weekly

stages:
  prepare:
    foreach:
      - us
      - eu
    do:
      cmd: python src/prepare.py --region ${item} --raw ${raw_dir}
      deps:
        - src/prepare.py
        - ${raw_dir}/${item}.csv
      outs:
        - data/interim/${item}.parquet

  featurize:
    foreach:
      train:
        split: 0.8
        file: train.csv
      test:
        split: 0.2
        file: test.csv
    do:
      cmd: python -m features.build --split ${key} --ratio ${item.split}
      wdir: src
      deps:
        - ../data/interim
      outs:
        - ../data/features/${item.file}

  train:
    matrix:
      model: [lr, xgb]
      seed: [1, 2]
    cmd: >-
      PYTHONPATH=. python3 src/train.py --model ${item.model} --seed ${item.seed}
      --lr ${train.lr}
    deps:
      - data/features
    params:
      - train.lr
      - train.epochs
      - configs/${item.model}.yaml:
          - depth
    outs:
      - models/${item.model}-${item.seed}.pkl:
          cache: false
    metrics:
      - ${report_dir}/metrics-${item.model}.json:
          cache: false

  evaluate:
    cmd:
      - cd src && python evaluate.py --data ${data.eval}
      - python scripts/plots.py
    deps:
      - ${data.eval}
      - s3://ml-bucket/reference/holdout.csv
    outs:
      - ${unknown_dir}/predictions.csv
    plots:
      - reports/roc.csv:
          x: fpr
          y: tpr

artifacts:
  churn-model:
    path: models/xgb-1.pkl
    type: model
"""

PARAMS_YAML = """\
train:
  lr: 0.05
  epochs: 20
data:
  eval: data/holdout.csv
"""

NLP_DVC_YAML = """\
stages:
  tokenize:
    wdir: ../..
    cmd: python -m nlp.tokenize --vocab 32000
    deps:
      - corpus/raw
    outs:
      - corpus/tokens
    params:
      - tokenizer.vocab
"""

RAW_DVC = """\
outs:
- md5: 5f1c2b9a0d7e4c3b8a6f1e2d3c4b5a69.dir
  size: 48213560
  nfiles: 4
  hash: md5
  path: raw
"""

CENSUS_DVC = """\
md5: 0d8e1c5a92f3b7e6d4c1a0f9e8d7c6b5
frozen: true
deps:
- etag: '"0x8DB1E2F3A4B5C6D"'
  size: 1209334
  path: https://data.example.org/census/2021.csv
outs:
- md5: 7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d
  size: 1209334
  hash: md5
  path: census.csv
"""

CATALOG_YML = """\
_csv: &csv
  type: pandas.CSVDataset
  load_args:
    sep: ","

_root: ${globals:data_root}

companies:
  <<: *csv
  filepath: ${_root}/01_raw/companies.csv

shuttles:
  type: pandas.ExcelDataset
  filepath: ${globals:data_root}/01_raw/shuttles.xlsx

"{split}_features":
  type: pandas.ParquetDataset
  filepath: ${globals:data_root}/04_feature/{split}.parquet

model_input_table:
  type: pandas.SQLTableDataset
  table_name: model_input
  load_args:
    schema: analytics
  credentials: warehouse

regressor:
  type: pickle.PickleDataset
  filepath: s3://${globals:bucket}/models/regressor.pkl
  versioned: true
"""

REPORTING_YML = """\
shap_summary:
  type: plotly.JSONDataset
  filepath: data/08_reporting/${globals:report_name, shap}.json
"""

GLOBALS_YML = """\
data_root: data
bucket: acme-ml
"""

PYPROJECT = """\
[project]
name = "churn"

[tool.mldebt.data]
inputs = ["data/external/*.csv", "gs://shared-bucket/lookups"]
outputs = ["reports/**/*.html"]
"""

DATA = {
    "inputs": ["data/external/*.csv", "gs://shared-bucket/lookups"],
    "outputs": ["reports/**/*.html"],
}

REPO = {
    "dvc.yaml": DVC_YAML,
    "params.yaml": PARAMS_YAML,
    "config/paths.yaml": "raw_dir: data/raw\n",
    "configs/lr.yaml": "depth: 1\n",
    "configs/xgb.yaml": "depth: 6\n",
    "pipelines/nlp/dvc.yaml": NLP_DVC_YAML,
    "data/raw.dvc": RAW_DVC,
    "data/external/census.csv.dvc": CENSUS_DVC,
    ".dvc/config": "[core]\n    remote = storage\n",
    "conf/base/catalog.yml": CATALOG_YML,
    "conf/base/catalog/reporting.yml": REPORTING_YML,
    "conf/base/globals.yml": GLOBALS_YML,
    "conf/local/credentials.yml": "warehouse:\n  con: postgresql://localhost/dw\n",
    "pyproject.toml": PYPROJECT,
    "src/prepare.py": "",
    "src/train.py": "",
    "src/evaluate.py": "",
    "src/features/__init__.py": "",
    "src/features/build.py": "",
    "src/nlp/tokenize.py": "",
    "scripts/plots.py": "",
}


def write_repo(root: Path, contents: dict[str, str]) -> list[str]:
    for name, text in contents.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return sorted(contents)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Declarations:
    root = tmp_path_factory.mktemp("churn")
    return load_declarations(root, write_repo(root, REPO), DATA)


def load(tmp_path: Path, contents: dict[str, str]) -> Declarations:
    return load_declarations(tmp_path, write_repo(tmp_path, contents))


def declared(result: Declarations, origin: str) -> set[tuple[str, str, str]]:
    return {(d.pattern, d.role, d.owner) for d in result.declarations if d.origin == origin}


def test_well_formed_repository_has_no_errors(repo: Declarations) -> None:
    assert repo.errors == ()


def test_foreach_over_a_list_names_stages_after_items(repo: Declarations) -> None:
    dvc = declared(repo, "dvc")
    assert ("data/raw/eu.csv", "input", "prepare@eu") in dvc
    assert ("data/interim/us.parquet", "output", "prepare@us") in dvc
    stage = next(p for p in repo.pipelines if p.name == "prepare@us")
    assert stage.command == "python src/prepare.py --region us --raw data/raw"
    assert stage.entry == "src/prepare.py"
    assert stage.line == 6
    assert stage.kind == "dvc-stage"


def test_foreach_over_a_mapping_uses_keys_and_wdir(repo: Declarations) -> None:
    stage = next(p for p in repo.pipelines if p.name == "featurize@test")
    assert stage.inputs == ("data/interim",)
    assert stage.outputs == ("data/features/test.csv",)
    assert stage.command == "python -m features.build --split test --ratio 0.2"
    assert stage.entry == "src/features/build.py"


def test_matrix_expands_the_cartesian_product(repo: Declarations) -> None:
    names = [p.name for p in repo.pipelines if p.name.startswith("train@")]
    assert names == ["train@lr-1", "train@lr-2", "train@xgb-1", "train@xgb-2"]
    stage = next(p for p in repo.pipelines if p.name == "train@xgb-2")
    assert stage.inputs == ("data/features", "params.yaml", "configs/xgb.yaml")
    assert stage.outputs == ("models/xgb-2.pkl", "reports/weekly/metrics-xgb.json")
    assert stage.entry == "src/train.py"
    assert "--lr 0.05" in stage.command


def test_roles_and_lines_of_stage_declarations(repo: Declarations) -> None:
    by_pattern = {
        d.pattern: d for d in repo.declarations if d.owner == "train@lr-1" and d.origin == "dvc"
    }
    assert by_pattern["params.yaml"].role == "params"
    assert by_pattern["models/lr-1.pkl"].line == 49
    assert by_pattern["reports/weekly/metrics-lr.json"].role == "metrics"
    assert by_pattern["data/features"].source == "dvc.yaml"


def test_unresolved_interpolation_becomes_a_glob(repo: Declarations) -> None:
    stage = next(p for p in repo.pipelines if p.name == "evaluate")
    assert stage.inputs == ("data/holdout.csv", "s3://ml-bucket/reference/holdout.csv")
    assert stage.outputs == ("*/predictions.csv", "reports/roc.csv")
    assert stage.entry == "src/evaluate.py"
    assert stage.command == (
        "cd src && python evaluate.py --data data/holdout.csv && python scripts/plots.py"
    )


def test_top_level_artifacts_are_outputs(repo: Declarations) -> None:
    assert ("models/xgb-1.pkl", "output", "churn-model") in declared(repo, "dvc")


def test_nested_dvc_yaml_paths_are_relative_to_it_and_its_wdir(repo: Declarations) -> None:
    stage = next(p for p in repo.pipelines if p.name == "tokenize")
    assert stage.source == "pipelines/nlp/dvc.yaml"
    assert stage.inputs == ("corpus/raw", "params.yaml")
    assert stage.outputs == ("corpus/tokens",)
    assert stage.entry == "src/nlp/tokenize.py"


def test_dvc_files_declare_tracked_data_and_import_sources(repo: Declarations) -> None:
    dvc = declared(repo, "dvc")
    assert ("data/raw", "dataset", "") in dvc
    assert ("data/external/census.csv", "dataset", "") in dvc
    assert ("https://data.example.org/census/2021.csv", "input", "") in dvc


def test_kedro_catalog(repo: Declarations) -> None:
    assert declared(repo, "kedro") == {
        ("data/01_raw/companies.csv", "dataset", "companies"),
        ("data/01_raw/shuttles.xlsx", "dataset", "shuttles"),
        ("data/04_feature/*.parquet", "dataset", "{split}_features"),
        ("table:analytics.model_input", "dataset", "model_input_table"),
        ("s3://acme-ml/models/regressor.pkl", "dataset", "regressor"),
        ("data/08_reporting/shap.json", "dataset", "shap_summary"),
    }
    companies = next(d for d in repo.declarations if d.owner == "companies")
    assert (companies.source, companies.line, companies.kind) == (
        "conf/base/catalog.yml",
        10,
        TargetKind.PATH,
    )


def test_pyproject_declarations_cite_their_line(repo: Declarations) -> None:
    assert declared(repo, "pyproject") == {
        ("data/external/*.csv", "input", ""),
        ("gs://shared-bucket/lookups", "input", ""),
        ("reports/**/*.html", "output", ""),
    }
    html = next(d for d in repo.declarations if d.pattern == "reports/**/*.html")
    assert (html.source, html.line) == ("pyproject.toml", 6)


def test_manifests_lists_every_file_read(repo: Declarations) -> None:
    assert set(repo.manifests) == {
        "dvc.yaml",
        "params.yaml",
        "config/paths.yaml",
        "pipelines/nlp/dvc.yaml",
        "data/raw.dvc",
        "data/external/census.csv.dvc",
        "conf/base/catalog.yml",
        "conf/base/catalog/reporting.yml",
        "conf/base/globals.yml",
        "pyproject.toml",
    }


@pytest.mark.parametrize(
    ("raw", "owner"),
    [
        ("data/interim/eu.parquet", "prepare@eu"),
        ("./data/interim/../interim/eu.parquet", "prepare@eu"),
        ("data/raw/2024/january.csv", ""),
        ("corpus/tokens/shard-0001.txt", "tokenize"),
        ("data/04_feature/train.parquet", "{split}_features"),
        ("reports/weekly/html/index.html", ""),
        ("reports/summary.html", ""),
        ("outputs/predictions.csv", "evaluate"),
        ("data/external/countries.csv", ""),
        ("S3://acme-ml/models/regressor.pkl", "regressor"),
        ("gs://shared-bucket/lookups/countries.csv", ""),
    ],
)
def test_covered_paths_and_uris(repo: Declarations, raw: str, owner: str) -> None:
    found = repo.covering(classify(raw))
    assert found is not None
    assert found.owner == owner


def test_exact_match_wins_over_an_enclosing_directory(repo: Declarations) -> None:
    found = repo.covering(classify("data/raw/us.csv"))
    assert found is not None
    assert (found.owner, found.role) == ("prepare@us", "input")


@pytest.mark.parametrize(
    "raw",
    [
        "data/raw.csv",
        "data/rawdata/x.csv",
        "data/04_feature/nested/train.parquet.bak",
        "models/rf-1.pkl",
        "s3://acme-ml/models",
        "s3://ACME-ML/models/regressor.pkl",
        "gs://shared-bucket/lookups-old/x.csv",
        "/mnt/shared/data/raw/us.csv",
    ],
)
def test_not_covered(repo: Declarations, raw: str) -> None:
    assert repo.covering(classify(raw)) is None


def test_tables_and_dynamic_targets(repo: Declarations) -> None:
    assert repo.covering(table("Analytics.Model_Input")) is not None
    assert repo.covering(table("model_input")) is not None
    assert repo.covering(table("staging.model_input")) is None
    assert repo.covering(table("analytics.events")) is None
    assert repo.covering(DYNAMIC) is None


def test_unresolvable_foreach_keeps_one_stage_with_globs(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {
            "dvc.yaml": """\
                stages:
                  clean:
                    foreach: ${datasets}
                    do:
                      cmd: python clean.py ${item}
                      deps:
                        - raw/${item}.json
                      outs:
                        - clean/${item}.parquet
            """,
        },
    )
    assert result.errors == ()
    (stage,) = result.pipelines
    assert (stage.name, stage.inputs, stage.outputs) == (
        "clean",
        ("raw/*.json",),
        ("clean/*.parquet",),
    )
    assert stage.command == "python clean.py ${item}"
    assert stage.entry == "clean.py"


def test_foreach_resolved_from_params_and_composite_items(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {
            "params.yaml": "regions: [north, south]\nsources:\n  - {name: a}\n  - {name: b}\n",
            "dvc.yaml": """\
                stages:
                  split:
                    foreach: ${regions}
                    do:
                      cmd: python split.py
                      outs:
                        - data/${item}
                  ingest:
                    foreach: ${sources}
                    do:
                      cmd: python ingest.py
                      outs:
                        - data/${item.name}.csv
                        - ${key}/x
            """,
        },
    )
    assert [p.name for p in result.pipelines] == [
        "split@north",
        "split@south",
        "ingest@0",
        "ingest@1",
    ]
    assert result.pipelines[3].outputs == ("data/b.csv", "*/x")


def test_stage_vars_and_selected_keys_of_a_vars_file(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {
            "settings.yaml": "export_dir: exports\nunused: [1, 2]\n",
            "ml/dvc.yaml": """\
                vars:
                  - ../settings.yaml:export_dir
                stages:
                  export:
                    wdir: jobs
                    vars:
                      - fmt: parquet
                    cmd: python export.py
                    outs:
                      - ${export_dir}/scores.${fmt}
            """,
        },
    )
    assert result.errors == ()
    (stage,) = result.pipelines
    assert (stage.outputs, stage.entry) == (
        ("ml/jobs/exports/scores.parquet",),
        "ml/jobs/export.py",
    )


def test_kedro_environment_globals_override_base(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {
            "project/conf/base/globals.yml": "bucket: acme-ml\nlayer: raw\n",
            "project/conf/prod/globals.yaml": "bucket: acme-ml-prod\n",
            "project/conf/prod/catalog_models.yml": """\
                scores:
                  type: pandas.ParquetDataset
                  filepath: s3://${globals:bucket}/${globals:layer}/scores.parquet
                local_copy:
                  type: pandas.CSVDataset
                  path: ../shared/${runtime_params:day}.csv
            """,
        },
    )
    assert declared(result, "kedro") == {
        ("s3://acme-ml-prod/raw/scores.parquet", "dataset", "scores"),
        ("shared/*.csv", "dataset", "local_copy"),
    }


def test_a_kedro_catalog_interpolates_the_keys_of_its_environment_s_other_catalogs(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {
            "conf/base/catalog_globals.yml": "_base: data/\n",
            "conf/base/catalog/models.yml": "model:\n  type: pickle.PickleDataset\n  filepath: ${_base}/06_models/m.pkl\n",
            "conf/prod/catalog.yml": "scores:\n  type: pandas.CSVDataset\n  filepath: ${_base}/scores.csv\n",
        },
    )
    # Another environment's keys are not merged before resolving: prod's `_base` is unknown.
    assert declared(result, "kedro") == {
        ("data/06_models/m.pkl", "dataset", "model"),
        ("*/scores.csv", "dataset", "scores"),
    }


def test_a_kedro_catalog_with_jinja_is_read_where_it_can_be(tmp_path: Path) -> None:
    """Kedro's TemplatedConfigLoader renders Jinja before parsing: a loop is read once, with
    its variable as a wildcard, and the line numbers stay the file's own."""
    result = load(
        tmp_path,
        {
            "conf/base/globals.yml": "bucket_name: acme\n",
            "conf/base/catalog.yml": """\
                {# One dataset per speed. #}
                {% for speed in ['fast', 'slow'] %}
                {{ speed }}-cars:
                  type: pandas.CSVDataset
                  filepath: s3://${bucket_name}/{{ speed }}-cars.csv
                {% endfor %}

                companies:
                  type: pandas.CSVDataset
                  filepath: data/{% if prod %}prod{% else %}dev{% endif %}/companies.csv
            """,
        },
    )
    assert result.errors == ()
    assert {(d.pattern, d.owner, d.line) for d in result.declarations} == {
        ("s3://acme/*-cars.csv", "*-cars", 5),
        ("data/*/companies.csv", "companies", 10),
    }


def test_a_kedro_dataset_that_is_one_interpolation_is_the_mapping_it_names(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {
            "conf/base/catalog.yml": """\
                _excel:
                  type: pandas.ExcelDataset
                  filepath: data/01_raw/shuttles.xlsx
                shuttles: ${_excel}
                # Resolved when Kedro runs, from what mldebt cannot read.
                reviews: ${oc.select:datasets.reviews}
                broken: just a string
            """,
        },
    )
    assert declared(result, "kedro") == {("data/01_raw/shuttles.xlsx", "dataset", "shuttles")}
    assert [(e.line, e.message) for e in result.errors] == [(7, "dataset 'broken': expected a mapping, got a string")]


def test_too_broad_patterns_are_not_declared(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {
            "dvc.yaml": "stages:\n  s:\n    cmd: make\n    deps:\n"
            "      - ${a}\n      - ${a}/${b}\n      - .\n"
        },
    )
    assert result.declarations == ()
    assert result.pipelines[0].inputs == ()


def test_a_reversed_range_in_a_glob_matches_nothing_as_in_fnmatch(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {"dvc.yaml": "stages:\n  s:\n    cmd: make\n    deps:\n      - data/[z-a].csv\n      - data/[!z-a].csv\n"},
    )
    for probe in ("data/a.csv", "data/z.csv"):
        found = result.covering(classify(probe))
        assert found is not None and found.pattern == "data/[!z-a].csv", probe
    assert result.covering(classify("data/ab.csv")) is None


@pytest.mark.parametrize(
    ("commands", "cwd", "entry"),
    [
        (["python src/train.py --epochs 3"], "", "src/train.py"),
        (["python3.11 -u -W ignore train.py"], "src", "src/train.py"),
        (["python -m src.train"], "", "src/train.py"),
        (["python -m pkg"], "src", "src/pkg/__main__.py"),
        (["python -m pytest tests"], "", None),
        (["cd src && python train.py > ../logs/train.log 2>&1"], "", "src/train.py"),
        (["cd src", "python scripts/plots.py"], "", "scripts/plots.py"),
        (["PYTHONPATH=. uv run --frozen python -m pipelines.train"], "", "src/pipelines/train.py"),
        (["poetry run python src/train.py"], "", "src/train.py"),
        (["time ./src/train.py"], "", "src/train.py"),
        (["dvc exp run && python -c 'import x'"], "", None),
        (["papermill notebooks/eda.ipynb out.ipynb -p n 10"], "", "notebooks/eda.ipynb"),
        (["Rscript analysis.R"], "", None),
        (["echo start\npython \\\n  src/train.py"], "", "src/train.py"),
        # The interpreter in an environment variable, as CI and Makefile-style stages set it.
        (["$CMD_PYTHON src/train.py --step 3"], "", "src/train.py"),
        (["${PYTHON} -u -m src.train"], "", "src/train.py"),
        (["$RUNNER src/train.py"], "", None),
    ],
)
def test_detect_entry(commands: list[str], cwd: str, entry: str | None) -> None:
    files = {"src/train.py", "src/pkg/__main__.py", "src/pipelines/train.py"}
    found = detect_invocation(commands, cwd, files)
    assert (found.entry if found else None) == entry


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {
            "dvc.yaml": "stages:\n  train:\n    cmd: [python train.py\n    deps: [x]\n",
            "conf/base/catalog.yml": "a:\n  filepath: 'unterminated\n",
        },
    )
    assert result.pipelines == ()
    assert {(e.path, e.line) for e in result.errors} == {
        ("dvc.yaml", 4),
        ("conf/base/catalog.yml", 3),
    }
    assert all(e.message.startswith("invalid YAML") for e in result.errors)


def test_wrong_types_are_reported_where_they_are(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        {
            "dvc.yaml": """\
                stages:
                  train:
                    cmd: 42
                    deps: data/in.csv
                    outs: 5
                    params: {lr: 1}
                  broken: python x.py
            """,
            "other/dvc.yaml": "stages: [a, b]\n",
            "data/x.dvc": "outs:\n  - md5: abc\n",
            "conf/base/catalog.yml": "cars: pandas.CSVDataset\nbikes:\n  filepath: [a, b]\n",
        },
    )
    errors = {(e.path, e.line, e.column, e.message) for e in result.errors}
    assert errors == {
        ("dvc.yaml", 3, 5, "stage 'train': cmd: expected a string or a list of strings, got int"),
        ("dvc.yaml", 5, 5, "stage 'train': outs: expected a list of paths, got int"),
        ("dvc.yaml", 6, 5, "stage 'train': params: expected a list, got a mapping"),
        ("dvc.yaml", 7, 3, "stage 'broken': expected a mapping, got a string"),
        ("other/dvc.yaml", 1, 1, "stages: expected a mapping, got a list"),
        ("data/x.dvc", 1, 1, "outs: every entry needs a string `path`"),
        ("conf/base/catalog.yml", 1, 1, "dataset 'cars': expected a mapping, got a string"),
        ("conf/base/catalog.yml", 3, 3, "dataset 'bikes': filepath should be a string, got a list"),
    }
    # What is well-formed in a broken stage is still declared.
    assert [(p.name, p.inputs) for p in result.pipelines] == [("train", ("data/in.csv",))]


def test_unsafe_tags_are_refused_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    result = load(
        tmp_path,
        {"dvc.yaml": f"stages: !!python/object/apply:os.system ['touch {marker}']\n"},
    )
    assert not marker.exists()
    assert [(e.line, e.message[:12]) for e in result.errors] == [(1, "invalid YAML")]


def test_undecodable_manifest_is_reported(tmp_path: Path) -> None:
    (tmp_path / "dvc.yaml").write_bytes(b"stages:\n  a:\n    cmd: caf\xe9\n")
    result = load_declarations(tmp_path, ["dvc.yaml"])
    assert [(e.line, e.message) for e in result.errors] == [(3, "is not valid UTF-8")]


def test_only_listed_files_inside_the_root_are_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    root = tmp_path / "repo"
    write_repo(outside, {"dvc.yaml": "stages:\n  s:\n    cmd: x\n    outs: [secret]\n"})
    write_repo(root, {"unlisted/dvc.yaml": "stages:\n  s:\n    cmd: x\n    outs: [y]\n"})
    (root / "dvc.yaml").symlink_to(outside / "dvc.yaml")
    result = load_declarations(root, ["dvc.yaml"])
    assert result.declarations == ()
    assert result.manifests == ()
    assert [(e.path, e.message) for e in result.errors] == [
        ("dvc.yaml", "links to a file outside the repository; not read")
    ]


def test_invocation_keeps_the_scripts_arguments_and_directory() -> None:
    files = {"src/train.py", "pkg/job.py"}
    found = detect_invocation(["cd src && python -u train.py data/x.csv --epochs 3"], "", files)
    assert found is not None and (found.entry, found.argv, found.cwd) == ("src/train.py", ("data/x.csv", "--epochs", "3"), "src")
    module = detect_invocation(["python -m pkg.job a b"], "", files)
    assert module is not None and (module.entry, module.argv) == ("pkg/job.py", ("a", "b"))
    assert detect_invocation(["python -c 'print(1)'"], "", files) is None


_SELF = '"' + "${a}" * 40 + '"'
_CHAIN = "".join(f'    {b}: "' + f"${{{a}}}" * 40 + '"\n' for a, b in zip("abcd", "bcde"))


@pytest.mark.parametrize(
    "manifest",
    [
        # A value built from itself, forty times over: forty times longer at each pass.
        f"vars:\n  - a: {_SELF}\nstages:\n  bomb:\n    cmd: python x.py ${{a}}\n    deps:\n      - data/${{a}}.csv\n",
        # Each value forty of the one before: ten megabytes after the four passes.
        f'vars:\n  - a: "xxxx"\n{_CHAIN}stages:\n  bomb:\n    cmd: python x.py ${{e}}\n    deps:\n      - data/${{e}}.csv\n',
        # Under the limit for one value, over it for the file: a thousand stages of 120 KB each.
        'vars:\n  - a: "' + "x" * 60_000 + '"\n  - items: [' + ", ".join(str(n) for n in range(1000)) + "]\n"
        + "stages:\n  bomb:\n    foreach: ${items}\n    do:\n      cmd: python x.py ${a}\n      deps:\n        - data/${item}/${a}\n",
    ],
    ids=["self-reference", "chain", "foreach"],
)
def test_an_interpolation_bomb_is_an_error_and_the_rest_is_declared(tmp_path: Path, manifest: str) -> None:
    started = time.perf_counter()
    result = load(tmp_path, {"dvc.yaml": manifest + "  other:\n    cmd: python y.py\n    deps: [data/other.csv]\n"})
    assert time.perf_counter() - started < 3
    assert [e.message for e in result.errors] == [
        "interpolation expands past the analysis limit (64 KiB for one value, 4 MiB for the file); left unresolved"
    ]
    assert next(p for p in result.pipelines if p.name == "other").inputs == ("data/other.csv",)


def test_an_interpolation_bomb_in_a_kedro_catalog_is_an_error_and_the_rest_is_declared(tmp_path: Path) -> None:
    catalog = (
        f"_base: {_SELF.replace('${a}', '${_base}')}\n"
        "bomb:\n  type: pandas.CSVDataset\n  filepath: data/${_base}.csv\n"
        "other:\n  type: pandas.CSVDataset\n  filepath: data/other.csv\n"
    )
    started = time.perf_counter()
    result = load(tmp_path, {"conf/base/catalog.yml": catalog})
    assert time.perf_counter() - started < 3
    assert [(e.line, e.message) for e in result.errors] == [
        (4, "interpolation expands past the analysis limit (64 KiB for one value, 4 MiB for the file); left unresolved")
    ]
    assert declared(result, "kedro") == {("data/*.csv", "dataset", "bomb"), ("data/other.csv", "dataset", "other")}


def test_a_directory_whose_files_a_stage_declares_is_declared(tmp_path: Path) -> None:
    (tmp_path / "dvc.yaml").write_text(
        "stages:\n  evaluate:\n    cmd: python eval.py\n    plots: [eval_plots/cm.png]\n    metrics: [eval_plots/roc.json]\n"
    )
    declarations = load_declarations(tmp_path, ["dvc.yaml", "eval.py"])

    # DVCLive writes the directory; the stage declares the files in it.
    covering = declarations.covering(classify("eval_plots"))
    assert covering is not None and covering.pattern in ("eval_plots/cm.png", "eval_plots/roc.json")
    # Not a file beside them, nor a file named like the directory.
    assert declarations.covering(classify("eval_plots/other.csv")) is None
    assert declarations.covering(classify("eval_plots.csv")) is None


def test_dvc_2_live_section_declares_the_directory_dvclive_writes(tmp_path: Path) -> None:
    (tmp_path / "dvc.yaml").write_text(
        "stages:\n  train:\n    cmd: python train.py\n    live:\n      dvclive:\n        summary: true\n"
    )
    declarations = load_declarations(tmp_path, ["dvc.yaml", "train.py"])
    covering = declarations.covering(classify("dvclive"), [("dvc.yaml", "train")])
    assert covering is not None and (covering.pattern, covering.role) == ("dvclive", "plots")


def test_only_dvc_yaml_is_a_stage_manifest_not_its_copies(tmp_path: Path) -> None:
    stage = "stages:\n  train:\n    cmd: python train.py\n    deps: [data/{name}.csv]\n"
    result = load(tmp_path, {
        "dvc.yaml": stage.format(name="train"),
        # A generator's temporary file, an editor's backups, a misspelt name: none is read by DVC.
        "dvc.yaml.tmp": stage.format(name="tmp"),
        "dvc.yaml.bak": stage.format(name="bak"),
        "dvc.yml": stage.format(name="yml"),
        "old/dvc.yaml~": stage.format(name="tilde"),
        "data/raw.dvc.bak": "outs:\n- path: raw\n",
    })

    assert [(p.source, p.name) for p in result.pipelines] == [("dvc.yaml", "train")]
    assert declared(result, "dvc") == {("data/train.csv", "input", "train")}
    assert set(result.manifests) == {"dvc.yaml"}


def test_console_scripts_of_every_packaging_file_resolve_to_their_module(tmp_path: Path) -> None:
    result = load(tmp_path, {
        "pyproject.toml": textwrap.dedent("""\
            [project]
            name = "tagger"
            [project.scripts]
            tagger = "tagger.cli:app"
            gone = "tagger.missing:main"
            [tool.poetry.scripts]
            tag-serve = { callable = "tagger.serve:main" }
            """),
        "tagger/cli.py": "", "tagger/serve/__init__.py": "",
        # A subproject: its modules are beside its own packaging files, or in their src/.
        "tools/setup.py": textwrap.dedent("""\
            from setuptools import setup
            setup(name="tools", entry_points={"console_scripts": ["fetch = tools.fetch:main [s3]", "bad entry"]})
            """),
        "tools/src/tools/fetch.py": "",
        "lab/setup.py": (
            'import setuptools\nsetuptools.setup(entry_points="""\n[console_scripts]\nlab = lab.run:main\n""")\n'
        ),
        "lab/lab/run.py": "",
        "legacy/setup.cfg": "[options.entry_points]\nconsole_scripts =\n    legacy = legacy.main:run\n",
        "legacy/legacy/main.py": "",
        "broken/setup.py": "setup(entry_points=",
    })
    assert [(s.name, s.entry, s.source, s.line) for s in result.console_scripts] == [
        ("lab", "lab/lab/run.py", "lab/setup.py", 4),
        ("legacy", "legacy/legacy/main.py", "legacy/setup.cfg", 3),
        ("tagger", "tagger/cli.py", "pyproject.toml", 4),
        ("tag-serve", "tagger/serve/__init__.py", "pyproject.toml", 7),
        ("fetch", "tools/src/tools/fetch.py", "tools/setup.py", 2),
    ]
    assert result.errors == ()


def test_a_stage_that_runs_a_console_script_runs_its_module(tmp_path: Path) -> None:
    result = load(tmp_path, {
        "setup.py": 'from setuptools import setup\nsetup(entry_points={"console_scripts": "tagger=tagger.__main__:app"})\n',
        "tagger/__main__.py": "",
        "pipelines/x/dvc.yaml": (
            "stages:\n  train:\n    cmd: tagger train ../../data/x.csv\n    deps: [../../data/x.csv]\n"
        ),
    })
    (stage,) = result.pipelines
    assert (stage.entry, stage.argv, stage.cwd) == ("tagger/__main__.py", ("train", "../../data/x.csv"), "pipelines/x")
    assert detect_invocation(["uv run tagger --help"], "", set(), {"tagger": "tagger/__main__.py"}) is not None
    assert detect_invocation(["tagger train"], "", set()) is None  # no console script of that name


def test_an_mlflow_project_s_entry_points_are_pipelines_run_with_their_defaults(tmp_path: Path) -> None:
    result = load(tmp_path, {
        "churn/MLproject": textwrap.dedent("""\
            name: churn
            entry_points:
              main:
                parameters:
                  data_path: {type: path, default: data/train.csv}
                  alpha: {type: float, default: 0.5}
                  out: path
                command: "python train.py --data {data_path} --alpha {alpha} --out {out}"
              broken: {parameters: {}}
            """),
        "churn/train.py": "",
    })
    (main,) = result.pipelines
    assert (main.name, main.kind, main.source, main.line, main.entry, main.cwd) == (
        "main", "mlflow-entry-point", "churn/MLproject", 3, "churn/train.py", "churn",
    )
    # `out: path` names a type, no default: given, but not known.
    assert main.argv == ("--data", "data/train.csv", "--alpha", "0.5", "--out", "${out}")
    assert [(e.path, e.line, e.message) for e in result.errors] == [
        ("churn/MLproject", 9, "entry point 'broken': expected a `command` string"),
    ]
