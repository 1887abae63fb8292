"""The model catalog: which calls construct or train a model, which frameworks define
pipelines, and which models are ensembles and which reads load a model."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mldebt.tomlcompat import tomllib


@dataclass(frozen=True)
class ModelCatalog:
    estimator_prefixes: tuple[str, ...]
    estimator_names: frozenset[str]
    wrapper_names: frozenset[str]
    train_functions: frozenset[str]
    fit_methods: frozenset[str]
    model_bases: frozenset[str]
    airflow_dags: frozenset[str]
    kedro_nodes: frozenset[str]
    kedro_pipelines: frozenset[str]
    ensemble_words: tuple[str, ...]
    model_file_suffixes: tuple[str, ...]
    model_loaders: tuple[str, ...]

    def is_estimator(self, qualified: str) -> bool:
        if qualified in self.estimator_names:
            return True
        last = qualified.rpartition(".")[2]
        return last[:1].isupper() and qualified.startswith(self.estimator_prefixes)

    def is_ensemble(self, qualified: str) -> bool:
        """Whether the model class ``qualified`` names combines many models (a forest, boosting)."""
        name = qualified.rpartition(".")[2]
        return any(word in name for word in self.ensemble_words)

    def loads_model(self, api: str, target: str) -> bool:
        """Whether a read through ``api`` of ``target`` loads a trained model."""
        return api.endswith(self.model_loaders) or target.lower().endswith(self.model_file_suffixes)


@lru_cache(maxsize=1)
def load_models() -> ModelCatalog:
    text = resources.files("mldebt.catalogs").joinpath("models.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return ModelCatalog(
        estimator_prefixes=tuple(data["estimator_prefixes"]),
        estimator_names=frozenset(data["estimator_names"]),
        wrapper_names=frozenset(data["wrapper_names"]),
        train_functions=frozenset(data["train_functions"]),
        fit_methods=frozenset(data["fit_methods"]),
        model_bases=frozenset(data["model_bases"]),
        airflow_dags=frozenset(data["airflow_dags"]),
        kedro_nodes=frozenset(data["kedro_nodes"]),
        kedro_pipelines=frozenset(data["kedro_pipelines"]),
        ensemble_words=tuple(data["ensemble_words"]),
        model_file_suffixes=tuple(data["model_file_suffixes"]),
        model_loaders=tuple(data["model_loaders"]),
    )


def models_digest() -> str:
    """Identifies the model catalog's content, for cache keys."""
    text = resources.files("mldebt.catalogs").joinpath("models.toml").read_text("utf-8")
    return hashlib.sha256(text.encode()).hexdigest()[:16]
