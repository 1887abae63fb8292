"""The data/feature/model graph: built once from the facts and the manifests (``build``), then
asked named questions by rules and later capabilities (CACE, impact, lineage): ``datagraph``
answers them, ``classify`` says what each access is, ``assemble`` makes the networkx DiGraph,
``pipelines`` finds what runs as a unit, ``model`` holds the values and the typed node ids."""

from mldebt.graph.build import build_graph
from mldebt.graph.classify import Classification, Status
from mldebt.graph.datagraph import DataGraph
from mldebt.graph.model import Consumer, DataAccess, NodeId, NodeKind, Pipeline, Site

__all__ = [
    "Classification", "Consumer", "DataAccess", "DataGraph", "NodeId", "NodeKind", "Pipeline", "Site", "Status", "build_graph",
]
