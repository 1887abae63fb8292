"""Models: estimators constructed (`RandomForestClassifier(n_estimators=100)`), fitted or
trained (`model.fit(X, y)`, `trainer.train()`), and hand-written training loops (`loss.backward()`)."""

from __future__ import annotations

import dataclasses

import libcst as cst

from mldebt.catalogs.models import ModelCatalog
from mldebt.parse.facts import ModelUse
from mldebt.parse.positions import UNPLACED, Places
from mldebt.parse.semantic import Scope, SemanticModel
from mldebt.parse.syntax import dotted

_TRAINERS = ("transformers.Trainer", "transformers.Seq2SeqTrainer")


class ModelCollector:
    def __init__(self, semantic: SemanticModel, models: ModelCatalog) -> None:
        self.semantic = semantic
        self.models = models
        # Each use with the index of its call.
        self._uses: list[tuple[int, ModelUse]] = []
        # This module's classes that derive from a model base, by name and qualified name.
        self._model_classes: set[str] = set()
        self._trainer_variables: set[str] = set()
        # The scopes whose training loop is already counted: one per function.
        self._trained: set[Scope] = set()

    def uses(self, places: Places) -> tuple[ModelUse, ...]:
        return tuple(dataclasses.replace(use, span=places.calls[call]) for call, use in self._uses)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        scope = self.semantic.scope
        if any(b in self.models.model_bases or b in self._model_classes for b in scope.bases):
            self._model_classes.add(node.name.value)
            self._model_classes.add(scope.qualname)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bound(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bound(node.target, node.value)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bound(node.target, node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bound(node.asname.name, node.item)

    def _bound(self, target: cst.BaseExpression, source: cst.BaseExpression) -> None:
        """A name bound to a trainer (`trainer = Trainer(...)`), whose `train()` fits a model."""
        if isinstance(target, cst.Name) and isinstance(source, cst.Call):
            qualified = self.semantic.qualify(source.func) or ""
            if qualified in _TRAINERS or qualified.endswith("Trainer"):
                self._trainer_variables.add(target.value)

    def visit_Call(self, node: cst.Call) -> None:
        semantic = self.semantic
        if semantic.call_covered:
            return
        models = self.models
        index, scope, qualified = semantic.call_index, semantic.scope, semantic.call_name or ""
        if models.is_estimator(qualified) or qualified in self._model_classes:
            keywords = sum(1 for a in node.args if a.keyword is not None)
            self._use("construct", qualified, "", index, scope, keywords)
        elif qualified in models.train_functions:
            self._use("fit", qualified, "", index, scope)
        elif isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            receiver = dotted(node.func.value) or ""
            if method in models.fit_methods and node.args:
                self._use("fit", method, receiver, index, scope)
            elif method == "train" and receiver in self._trainer_variables:
                self._use("fit", "train", receiver, index, scope)
            elif method == "backward" and scope not in self._trained:
                self._trained.add(scope)
                self._use("train-loop", "backward", receiver, index, scope)
            elif method == "from_pretrained" and qualified.startswith("transformers."):
                self._use("construct", qualified, "", index, scope)

    def _use(self, kind: str, api: str, variable: str, index: int, scope: Scope, hyperparameters: int = 0) -> None:
        self._uses.append((index, ModelUse(kind, api, variable, UNPLACED, scope.qualname, hyperparameters)))
