"""Feature engineering shared by training and evaluation."""

import numpy as np
import pandas as pd

NUMERIC = ["tenure_months", "monthly_charges", "sessions"]
CATEGORICAL = ["plan", "region"]


def build_features(frame: pd.DataFrame) -> pd.DataFrame:
    features = frame[NUMERIC].copy()
    features["charges_per_session"] = frame["monthly_charges"] / np.maximum(frame["sessions"], 1)
    features["is_new"] = (frame["tenure_months"] < 3).astype(int)
    dummies = pd.get_dummies(frame[CATEGORICAL], drop_first=True)
    return pd.concat([features, dummies], axis=1)
