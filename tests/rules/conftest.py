"""Rules that exist only for a test, installed as a user's package would install them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from mldebt.rules import registry


class FakeEntryPoint:
    """What importlib.metadata.EntryPoint offers the registry: a name, a value and load()."""

    def __init__(self, name: str, target: object) -> None:
        self.name, self.value, self._target = name, f"tests:{name}", target

    def load(self) -> object:
        return self._target


@pytest.fixture
def install(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, object], None]]:
    """`install(name, target)`: an entry point ``name`` in the `mldebt.rules` group, as a fake
    distribution would declare it, loading ``target``. The registry is read again with them, and
    forgotten after the test."""
    points: list[FakeEntryPoint] = []
    import importlib.metadata

    def entry_points(group: str) -> list[FakeEntryPoint]:
        return points if group == registry.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    monkeypatch.setattr(registry, "_may_have_plugins", lambda: bool(points))
    registry.all_rules.cache_clear()
    yield lambda name, target: points.append(FakeEntryPoint(name, target))
    registry.all_rules.cache_clear()
