"""`mldebt demo`: write the bundled churn-model repository, with a realistic git history.

The files are package data (mldebt/demo/example); the history is replayed with dated commits
by several authors, among them a main author who left, a developer committing under two
e-mail addresses, and a bot, so that ownership has something true to find.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from mldebt.demo.history import Commit, build_history

# Package data cannot reliably carry dotfiles; they are stored under these names.
_RENAMED = {"gitignore.txt": ".gitignore"}

MARIA = ("Maria Lopez", "maria@churnco.io")
DEV = ("Dev Patel", "dev.patel@churnco.io")
DEV_ALIAS = ("Dev Patel", "dpatel@users.noreply.github.com")
SAM = ("Sam Chen", "sam@churnco.io")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


def example_files() -> dict[str, str]:
    """The final tree of the demo repository: path -> text."""
    files: dict[str, str] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name == "__pycache__":
                continue
            rel = f"{prefix}{_RENAMED.get(child.name, child.name)}"
            if child.is_dir():
                walk(child, rel + "/")
            else:
                files[rel] = child.read_text(encoding="utf-8")

    walk(resources.files("mldebt.demo").joinpath("example"), "")
    return files


def _history(final: dict[str, str]) -> list[Commit]:
    """Commits whose last versions of each file are exactly ``final``."""

    def earlier(path: str, *drop: str) -> str:
        text = final[path]
        for line in drop:
            text = text.replace(line, "")
        return text

    pyproject_v0 = earlier("pyproject.toml", final["pyproject.toml"][final["pyproject.toml"].index("\n# Data"):])
    requirements_v0 = final["requirements.txt"].replace("pandas==2.2.3", "pandas==2.1.4").replace("scikit-learn==1.5.2", "scikit-learn==1.3.2")
    requirements_v1 = final["requirements.txt"].replace("pandas==2.2.3", "pandas==2.1.4")
    prepare_v0 = earlier(
        "src/prepare.py",
        '    events = pd.read_parquet(EVENTS_URI)\n    usage = events.groupby("customer_id").agg(sessions=("session_id", "nunique"))\n',
    ).replace('    return customers.merge(usage, on="customer_id", how="left").fillna({"sessions": 0})\n', "    return customers\n")
    features_v0 = earlier("src/features.py", '    features["charges_per_session"] = frame["monthly_charges"] / np.maximum(frame["sessions"], 1)\n')
    evaluate_v0 = earlier("src/evaluate.py", '    frame.assign(score=scores)[["customer_id", "score"]].to_csv("reports/scores.csv", index=False)\n')

    def commit(who: tuple[str, str], date: str, message: str, files: dict[str, str]) -> Commit:
        return Commit(who[0], who[1], f"{date}T10:00:00+00:00", message, files)

    return [
        commit(MARIA, "2023-11-06", "Initial churn model", {
            "README.md": final["README.md"], ".gitignore": final[".gitignore"], "pyproject.toml": pyproject_v0,
            "requirements.txt": requirements_v0, "src/config.py": final["src/config.py"],
            "src/features.py": features_v0, "src/train.py": final["src/train.py"],
        }),
        commit(MARIA, "2023-11-20", "Add data preparation and the DVC pipeline", {
            "src/prepare.py": prepare_v0, "dvc.yaml": final["dvc.yaml"], "params.yaml": final["params.yaml"],
        }),
        commit(MARIA, "2024-01-15", "Exploration notebook", {"notebooks/exploration.ipynb": final["notebooks/exploration.ipynb"]}),
        commit(DEV, "2024-03-10", "Evaluation stage with ROC AUC", {"src/evaluate.py": evaluate_v0}),
        commit(BOT, "2024-05-21", "Bump scikit-learn from 1.3.2 to 1.5.2", {"requirements.txt": requirements_v1}),
        commit(SAM, "2024-06-03", "Join product events from the lake", {"src/prepare.py": final["src/prepare.py"]}),
        commit(MARIA, "2024-09-12", "Feature: charges per session", {"src/features.py": final["src/features.py"]}),
        commit(DEV_ALIAS, "2025-02-18", "Write per-customer scores for the report", {"src/evaluate.py": final["src/evaluate.py"]}),
        commit(DEV_ALIAS, "2025-03-04", "Weekly at-risk report", {"src/report.py": final["src/report.py"]}),
        commit(SAM, "2025-06-30", "CODEOWNERS for ingestion", {"CODEOWNERS": final["CODEOWNERS"]}),
        commit(BOT, "2025-10-01", "Bump pandas from 2.1.4 to 2.2.3", {"requirements.txt": final["requirements.txt"]}),
        commit(SAM, "2025-11-14", "Declare the external data in pyproject", {"pyproject.toml": final["pyproject.toml"]}),
    ]


def write_demo(dest: Path) -> Path:
    """Write the demo repository, history included, into ``dest`` (new or empty)."""
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(str(dest))
    final = example_files()
    return build_history(dest, _history(final))
