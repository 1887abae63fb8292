"""Paths and constants shared by the churn pipeline."""

import os

DATA_DIR = "data"
RAW_CUSTOMERS = os.path.join(DATA_DIR, "raw", "customers.csv")
PROCESSED_DIR = os.path.join(DATA_DIR, "processed")
TRAIN_TABLE = os.path.join(PROCESSED_DIR, "train.parquet")
TEST_TABLE = os.path.join(PROCESSED_DIR, "test.parquet")
MODEL_PATH = "models/churn_model.joblib"
METRICS_PATH = "metrics.json"

TARGET = "churned"
RANDOM_STATE = 42
