"""Score the held-out table and write metrics and per-customer scores."""

import json

import joblib
import pandas as pd
from config import METRICS_PATH, MODEL_PATH, TARGET, TEST_TABLE
from features import build_features
from sklearn.metrics import roc_auc_score


def main() -> None:
    model = joblib.load(MODEL_PATH)
    frame = pd.read_parquet(TEST_TABLE)
    scores = model.predict_proba(build_features(frame))[:, 1]
    with open(METRICS_PATH, "w") as fh:
        json.dump({"roc_auc": roc_auc_score(frame[TARGET], scores)}, fh, indent=2)
    frame.assign(score=scores)[["customer_id", "score"]].to_csv("reports/scores.csv", index=False)


if __name__ == "__main__":
    main()
