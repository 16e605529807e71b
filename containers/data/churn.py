"""Seeded generator of a realistic customer-churn table (binary classification).

Numeric and categorical features, some values missing, and a label drawn from a logistic model of
the features, so a good classifier reaches an AUC around 0.85. `drift` (0..1) shifts chosen
features (charges up, tenure down, more month-to-month contracts, more missing totals) to produce
live traffic that a drift check should flag.

    python churn.py --rows 100000 --seed 1 --drift 0.3 --out data.csv
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

LABEL = "churn"
NUMERIC = ["tenure_months", "monthly_charges", "total_charges", "support_calls", "num_products", "age"]
CATEGORICAL = {
    "contract": ["month-to-month", "one-year", "two-year"],
    "payment_method": ["electronic-check", "mailed-check", "bank-transfer", "credit-card"],
    "internet_service": ["dsl", "fiber", "none"],
    "paperless_billing": ["yes", "no"],
}
COLUMNS = [LABEL, *NUMERIC, *CATEGORICAL]


def generate(rows: int, seed: int = 0, drift: float = 0.0) -> dict[str, np.ndarray]:
    """Columns of the table; missing values are NaN (numeric) or None (categorical)."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    if not 0.0 <= drift <= 1.0:
        raise ValueError("drift must be between 0 and 1")
    rng = np.random.default_rng(seed)

    contract_p = np.array([0.45, 0.30, 0.25]) * (1 - drift) + np.array([0.80, 0.12, 0.08]) * drift
    contract = rng.choice(CATEGORICAL["contract"], rows, p=contract_p / contract_p.sum())
    payment = rng.choice(CATEGORICAL["payment_method"], rows, p=[0.35, 0.2, 0.22, 0.23])
    internet = rng.choice(CATEGORICAL["internet_service"], rows, p=[0.35, 0.45, 0.20])
    paperless = rng.choice(CATEGORICAL["paperless_billing"], rows, p=[0.6, 0.4])

    tenure = np.clip(rng.gamma(2.0, 14.0, rows) * (1 - 0.5 * drift), 0, 72).round()
    base = np.where(internet == "fiber", 80.0, np.where(internet == "dsl", 55.0, 25.0))
    monthly = np.clip(base + rng.normal(0, 12, rows) + 25 * drift, 18, 150).round(2)
    total = (monthly * np.maximum(tenure, 1) * rng.uniform(0.9, 1.05, rows)).round(2)
    support = rng.poisson(1.2 + 1.5 * drift, rows).astype(float)
    products = rng.integers(1, 6, rows).astype(float)
    age = rng.normal(45, 14, rows).clip(18, 90).round()

    logit = (
        -2.1
        + 1.9 * (contract == "month-to-month")
        - 1.0 * (contract == "two-year")
        + 0.03 * (monthly - 65)
        - 0.045 * (tenure - 24)
        + 0.35 * support
        + 0.55 * (payment == "electronic-check")
        + 0.45 * (internet == "fiber")
        - 0.2 * (products - 3)
        - 0.01 * (age - 45)
        + rng.normal(0, 0.6, rows)
    )
    churn = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)

    # Missing values as real exports have them: totals not yet billed, unknown ages, blank payment.
    total[rng.random(rows) < 0.03 + 0.1 * drift] = np.nan
    age[rng.random(rows) < 0.05] = np.nan
    payment = payment.astype(object)
    payment[rng.random(rows) < 0.02] = None

    return {
        LABEL: churn,
        "tenure_months": tenure,
        "monthly_charges": monthly,
        "total_charges": total,
        "support_calls": support,
        "num_products": products,
        "age": age,
        "contract": contract.astype(object),
        "payment_method": payment,
        "internet_service": internet.astype(object),
        "paperless_billing": paperless.astype(object),
    }


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(columns: dict[str, np.ndarray], out, include_label: bool = True) -> None:
    names = [c for c in COLUMNS if include_label or c != LABEL]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    arrays = [columns[n].tolist() for n in names]
    for row in zip(*arrays, strict=True):
        writer.writerow([_cell(v) for v in row])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--drift", type=float, default=0.0)
    parser.add_argument("--no-label", action="store_true", help="leave out the label (live traffic)")
    parser.add_argument("--out", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    try:
        columns = generate(args.rows, args.seed, args.drift)
    except ValueError as error:
        print(f"churn.py: {error}", file=sys.stderr)
        return 2
    if args.out:
        with args.out.open("w", newline="") as f:
            write_csv(columns, f, not args.no_label)
    else:
        write_csv(columns, sys.stdout, not args.no_label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
