"""Weekly retention report for the customer-success team (run by cron, not by DVC)."""

import pandas as pd

HIGH_RISK = 0.7


def main() -> None:
    scores = pd.read_csv("reports/scores.csv")
    at_risk = scores[scores["score"] >= HIGH_RISK].sort_values("score", ascending=False)
    at_risk.to_html("reports/at_risk.html", index=False)
    print(f"{len(at_risk)} customers at risk")


if __name__ == "__main__":
    main()
