"""Facts for every source file: read through the repository's Tree, served from the facts cache
where the content is unchanged, parsed in worker processes when there is enough to parse.

The cache salt names everything that decides what extraction produces: mldebt's version, the
extraction code and the file rules (mldebt.cache.extractor_digest), the data catalog (with the
user's extension) and the model catalog. Every file rule rides each file's walk, selected or
not, so that the facts, and the findings cached with them, do not depend on the selection.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from mldebt import __version__
from mldebt.cache import FactCache, content_digest, extractor_digest
from mldebt.cachestore import CacheStore
from mldebt.catalogs import Catalog, load_catalog
from mldebt.catalogs.models import load_models, models_digest
from mldebt.config import Settings
from mldebt.parse.facts import UNREADABLE, AnalysisProblem, FileFacts, Span, module_name
from mldebt.rules.registry import file_rules
from mldebt.safefile import MiB, Tree

# Starting worker processes (each imports libcst) costs about as much as parsing 16 average
# files, or 250 KB of source: below both, one process is faster.
_PARALLEL_FILES = 16
_PARALLEL_BYTES = 250_000

# Larger than any hand-written module or notebook with outputs; a file beyond it is reported
# as unreadable rather than read into memory.
MAX_SOURCE_BYTES = 64 * MiB


def _worker_init(extension: Mapping[str, object]) -> None:
    global _WORKER_CATALOG
    _WORKER_CATALOG = load_catalog(extension)


_WORKER_CATALOG: Catalog | None = None


def _extract_in_worker(job: tuple[str, bytes, str]) -> FileFacts:
    from mldebt.parse.analyze import analyze_file

    path, data, digest = job
    assert _WORKER_CATALOG is not None
    return analyze_file(path, data, digest, _WORKER_CATALOG, load_models(), file_rules())


def read_source(tree: Tree, path: str) -> bytes | OSError:
    """The bytes of a source file, or why they cannot be had (a finding, not a crash)."""
    try:
        return tree.read(path, MAX_SOURCE_BYTES)
    except OSError as exc:
        return exc


def extract_all(
    store: CacheStore | None,
    root: Path,
    paths: Sequence[str],
    settings: Settings,
    jobs: int | None,
    meanwhile: Callable[[], None] | None = None,
    prune: bool = True,
) -> tuple[dict[str, FileFacts], int]:
    """Facts for every path, from the cache where the content is unchanged. Returns the facts
    and the number of cache hits. ``prune``: this run's files are all the repository's, so
    the cache's other entries are dead.

    ``meanwhile`` runs in this process while worker processes parse, or before parsing when
    there are no workers: they are forked first, so that no thread it starts is forked."""
    catalog = load_catalog(settings.catalog)
    salt = f"{__version__}\0{extractor_digest(file_rules())}\0{catalog.digest}\0{models_digest()}"
    cache = FactCache(store, salt) if store is not None else None
    facts: dict[str, FileFacts] = {}
    todo: list[tuple[str, bytes, str]] = []
    with Tree(root) as tree:
        for path in paths:
            data = read_source(tree, path)
            if isinstance(data, OSError):
                reason = data.strerror or type(data).__name__
                facts[path] = FileFacts(
                    path=path, module=module_name(path), digest="",
                    problems=(AnalysisProblem(UNREADABLE, f"cannot read file: {reason}", Span(1, 1, 1, 1)),),
                )
                continue
            digest = content_digest(data)
            cached = cache.get(path, digest) if cache else None
            if cached is not None:
                facts[path] = cached
            else:
                todo.append((path, data, digest))
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if (
        workers > 1
        and len(todo) > 0
        and (
            # The main process has work of its own: one worker parsing even one file overlaps it.
            meanwhile is not None
            or (len(todo) > 1 and (len(todo) >= _PARALLEL_FILES or sum(len(job[1]) for job in todo) >= _PARALLEL_BYTES))
        )
    ):
        from concurrent.futures import ProcessPoolExecutor

        # Largest files first, so that one big file does not finish alone at the end.
        todo.sort(key=lambda job: -len(job[1]))
        with ProcessPoolExecutor(
            max_workers=min(workers, len(todo)), initializer=_worker_init, initargs=(dict(settings.catalog),)
        ) as pool:
            # map submits every job before it returns.
            pending = pool.map(_extract_in_worker, todo, chunksize=max(1, len(todo) // (workers * 8)))
            if meanwhile is not None:
                try:
                    meanwhile()
                except BaseException:
                    pool.shutdown(cancel_futures=True)
                    raise
            results = list(pending)
    else:
        if meanwhile is not None:
            meanwhile()
        if todo:
            # Imported only when something must be parsed: libcst costs a warm run a third of its time.
            from mldebt.parse.analyze import analyze_file

            models = load_models()
            rules = file_rules()
            results = [analyze_file(path, data, digest, catalog, models, rules) for path, data, digest in todo]
        else:
            results = []
    for result in results:
        facts[result.path] = result
        if cache is not None:
            cache.put(result)
    if cache is not None and cache.misses and prune:
        cache.prune()
    return facts, cache.hits if cache else 0
