"""Model complexity of a pipeline, summed over its files:

    complexity = estimators + networks + hyperparameters + features + data + control

- estimators: 1 per kind of library model constructed (`RandomForestClassifier(...)`,
  `XGBRegressor(...)`, `PCA(...)`; built twice, it counts once), 2 for an ensemble (forests,
  boosting, bagging, voting, stacking: the model catalog's ``ensemble_words``); wrappers (Pipeline, make_pipeline,
  GridSearchCV, ColumnTransformer) count nothing themselves, and constructing one of the
  repository's own model classes counts nothing here, since networks measures it;
- networks: per model class defined (a subclass of torch.nn.Module, LightningModule,
  keras.Model, flax Module, PreTrainedModel or sklearn BaseEstimator),
  2 + 0.5 per method + its lines / 50: methods and length stand in for depth and width, which
  are not known statically;
- hyperparameters: 0.25 per keyword argument set where a model is constructed (for a model
  built several times, where it is given the most), and per Kedro parameter (`params:...`) a
  node takes;
- features: 0.1 per distinct input column the code names (mldebt.parse.facts.Column): selected
  from a data frame (`df[["age", "income"]]`, or `df["age"]` on a frame read by pandas and the
  like), listed under a name such as FEATURES or numeric_cols, passed as `usecols=`,
  `columns=`, `features=`, `categorical_feature=` and kin, or in a ColumnTransformer;
- data: 0.5 per distinct data target read or written (resolved statically; the targets of
  one call, a loop over a literal list of names, count once) and per Kedro dataset a node
  takes or gives, 0.25 per read or write whose target is dynamic; what the
  data graph classifies as not data (code read as text, configuration, tooling files, figures,
  the pipeline's own scratch, system paths, the working directory) counts nothing;
- control: in files that construct, fit or train a model, the cyclomatic complexity of every
  function and method beyond 1 (a straight-line function adds nothing), summed, divided by 5.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mldebt.catalogs.models import load_models
from mldebt.graph import DataGraph, Status
from mldebt.parse.facts import FileFacts
from mldebt.targets import TargetKind

# The weights, as the module docstring documents them.
ESTIMATOR, ENSEMBLE = 1.0, 2.0
NETWORK, PER_METHOD, LINES_PER_POINT = 2.0, 0.5, 50
PER_HYPERPARAMETER = 0.25
PER_FEATURE = 0.1
PER_TARGET, PER_DYNAMIC = 0.5, 0.25
CONTROL_DIVISOR = 5

_NOT_DATA = frozenset({
    Status.CODE, Status.CONFIG, Status.TOOLING, Status.SCRATCH, Status.FIGURE, Status.SYSTEM, Status.EMPTY,
})


def complexity_parts(files: Sequence[str], facts: Mapping[str, FileFacts], graph: DataGraph) -> dict[str, float]:
    """The parts of the complexity score of code made of ``files`` (see the module docstring)."""
    catalog = load_models()
    model_bases = catalog.model_bases
    estimators = networks = hyper = control = 0.0
    settings: dict[str, int] = {}  # estimator -> the most hyperparameters it is built with
    columns: set[str] = set()
    # Kedro nodes name their data and parameters instead of reading them in code.
    datasets: set[str] = set()
    parameters: set[str] = set()
    for path in files:
        file = facts.get(path)
        if file is None:
            continue
        columns.update(column.name for column in file.columns if column.used)
        for node in file.pipelines:
            if node.kind == "kedro-node":
                for name in (*node.inputs, *node.outputs):
                    (parameters if name == "parameters" or name.startswith("params:") else datasets).add(name)
        # Building a network out of the repository's own modules is its depth and width,
        # which `networks` measures; estimators are the library models it constructs.
        own_classes = {d.qualname for d in file.definitions if d.kind == "class"}
        for use in file.models:
            if use.kind == "construct" and use.api not in own_classes and use.api not in catalog.wrapper_names:
                settings[use.api] = max(settings.get(use.api, 0), use.hyperparameters)
        for definition in file.definitions:
            if definition.kind == "class" and any(base in model_bases for base in definition.bases):
                prefix = definition.qualname + "."
                methods = sum(
                    1 for d in file.definitions
                    if d.kind == "function" and d.qualname.startswith(prefix) and "." not in d.qualname[len(prefix):]
                )
                lines = definition.span.end_line - definition.span.line + 1
                networks += NETWORK + PER_METHOD * methods + lines / LINES_PER_POINT
        if file.models:
            control += sum(d.complexity - 1 for d in file.definitions if d.kind == "function") / CONTROL_DIVISOR
    # Each kind of estimator once, however many times the code builds it (a notebook's cells
    # that build the same model again), with the most hyperparameters it is given.
    for api, count in settings.items():
        estimators += ENSEMBLE if catalog.is_ensemble(api) else ESTIMATOR
        hyper += PER_HYPERPARAMETER * count
    member = set(files)
    # What is not data (code read as text, configuration, a figure, the pipeline's own scratch,
    # a system path) is no data dependency to understand.
    accesses = [
        a for a in graph.accesses
        if a.path in member and graph.classification_of(a).status not in _NOT_DATA
    ]
    # A call that stands for several targets (a loop over a literal list) is one dependency.
    resolved = {
        graph.site_of(a) or a.target for a in accesses
        if a.target.kind is not TargetKind.DYNAMIC and a.target.value not in facts
    }
    dynamic = sum(1 for a in accesses if a.target.kind is TargetKind.DYNAMIC)
    return {
        "estimators": round(estimators, 2),
        "networks": round(networks, 2),
        "hyperparameters": round(hyper + PER_HYPERPARAMETER * len(parameters), 2),
        "features": round(PER_FEATURE * len(columns), 2),
        "data": round(PER_TARGET * (len(resolved) + len(datasets)) + PER_DYNAMIC * dynamic, 2),
        "control": round(control, 2),
    }
