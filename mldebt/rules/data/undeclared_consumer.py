"""MLD103: a read of data another pipeline writes, declared by neither."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from mldebt.findings import Category, Finding
from mldebt.graph import Consumer, Status
from mldebt.rules.data import several
from mldebt.rules.base import Invalid, Rule, RuleContext, Valid


class UndeclaredConsumer(Rule):
    """
    ## What it does
    Flags a read of data that a different pipeline writes, when no manifest declares that
    data: the two pipelines are coupled and neither side says so. A pipeline is a DVC stage,
    a Kedro pipeline, an Airflow DAG, an entry script (`if __name__ == "__main__":`, or work
    at module level in a module nothing imports) or a notebook, together with the repository
    modules it imports. A read that stands for several targets, one for each name of a loop
    over a literal list, is one finding per writer ("reads 3 files like ...").

    ## Why is this bad?
    Sculley et al. call these undeclared consumers: the producing pipeline's owners cannot
    know who depends on its output, so a change to its format or schedule silently breaks
    the consumer, and nothing reruns the consumer when the data changes.

    A judgement call: what a registry knows by name (an MLflow registered model, a Weights &
    Biases artifact, a Kedro catalog dataset, a Hugging Face Hub repository) is not an
    undeclared coupling: publishing under that name is the declaration, and the registry
    records who produced and who used each version.

    ## Example
    ```python
    # evaluate.py (its own pipeline)
    scores.to_csv("reports/scores.csv")
    # report.py (another pipeline)
    scores = pd.read_csv("reports/scores.csv")
    ```

    ## Use instead
    Declare the data as an output of the producer and an input of the consumer (`outs` and
    `deps` in dvc.yaml, a Kedro catalog entry, or `[tool.mldebt.data]`).

    ## References
    - Sculley et al., NeurIPS 2015, section 2 (Undeclared Consumers)
    """

    code = "MLD103"
    name = "undeclared-consumer"
    category = Category.UNDECLARED_CONSUMER
    VALID = [
        Valid(
            {
                "a.py": "import pandas as pd\nif __name__ == '__main__':\n    pd.DataFrame().to_csv('out/x.csv')\n    pd.read_csv('out/x.csv')  # mldebt: ignore[MLD101]\n",
            }
        )
    ]
    INVALID = [
        Invalid(
            {
                "evaluate.py": "import pandas as pd\n\nif __name__ == '__main__':\n    pd.DataFrame().to_csv('reports/scores.csv')  # mldebt: ignore[MLD101]\n",
                "report.py": "import pandas as pd\n\nif __name__ == '__main__':\n    pd.read_csv('reports/scores.csv')\n",
            },
            path="report.py", line=4, column=5,
            message="reads `reports/scores.csv`, which script `evaluate.py` writes (evaluate.py:4); neither declares it",
        )
    ]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # A read that stands for several targets (a loop over a literal list) is one finding
        # per writer, for all of them.
        groups: dict[tuple[object, str], list[Consumer]] = defaultdict(list)
        for consumer in ctx.graph.undeclared_consumers:
            # Source read as text, configuration, tooling's files: not data, whoever writes them.
            if ctx.graph.classification_of(consumer.read).status is not Status.CONSUMER_READ:
                continue
            site = ctx.graph.site_of(consumer.read)
            groups[site if site is not None else id(consumer.read), consumer.writer.id].append(consumer)
        for group in groups.values():
            consumer = group[0]
            read, write = consumer.read, consumer.write
            shown = read.target.value.removeprefix("table:")
            what = several([c.read for c in group])
            yield self.finding(
                read.location,
                f"reads {what + ' ' if what else ''}`{shown}`, which {consumer.writer.kind} "
                f"`{consumer.writer.name}` writes ({write.path}:{write.location.line}); neither declares it",
                scope=read.access.scope,
                snippet=read.access.snippet,
            )
