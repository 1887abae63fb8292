"""Train the churn model: gradient boosting over engineered features."""

import logging

import joblib
import pandas as pd
import yaml
from config import MODEL_PATH, RANDOM_STATE, TARGET, TRAIN_TABLE
from features import build_features
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier, VotingClassifier

log = logging.getLogger(__name__)


def train(params: dict) -> VotingClassifier:
    frame = pd.read_parquet(TRAIN_TABLE)
    X, y = build_features(frame), frame[TARGET]
    boosted = GradientBoostingClassifier(
        n_estimators=params["n_estimators"],
        learning_rate=params["learning_rate"],
        max_depth=params["max_depth"],
        random_state=RANDOM_STATE,
    )
    forest = RandomForestClassifier(n_estimators=300, min_samples_leaf=5, random_state=RANDOM_STATE)
    model = VotingClassifier([("gb", boosted), ("rf", forest)], voting="soft")
    model.fit(X, y)
    importances = pd.Series(boosted.fit(X, y).feature_importances_, index=X.columns)
    importances.sort_values().to_csv("models/feature_importances.csv")
    return model


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    with open("params.yaml") as fh:
        params = yaml.safe_load(fh)["train"]
    joblib.dump(train(params), MODEL_PATH)
    log.info("saved %s", MODEL_PATH)
