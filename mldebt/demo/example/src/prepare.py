"""Join the customer extract with product events and split it into train and test tables."""

import argparse
import logging

import pandas as pd
import yaml
from config import RANDOM_STATE, RAW_CUSTOMERS, TARGET, TEST_TABLE, TRAIN_TABLE
from sklearn.model_selection import train_test_split

log = logging.getLogger(__name__)
EVENTS_URI = "s3://churn-lake/events/2024.parquet"


def load_customers() -> pd.DataFrame:
    customers = pd.read_csv(RAW_CUSTOMERS, parse_dates=["signup_date"])
    events = pd.read_parquet(EVENTS_URI)
    usage = events.groupby("customer_id").agg(sessions=("session_id", "nunique"))
    return customers.merge(usage, on="customer_id", how="left").fillna({"sessions": 0})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    args = parser.parse_args()
    with open(args.params) as fh:
        params = yaml.safe_load(fh)["prepare"]
    frame = load_customers()
    train, test = train_test_split(
        frame, test_size=params["test_size"], random_state=RANDOM_STATE, stratify=frame[TARGET]
    )
    log.info("train=%d test=%d", len(train), len(test))
    train.to_parquet(TRAIN_TABLE, index=False)
    test.to_parquet(TEST_TABLE, index=False)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
