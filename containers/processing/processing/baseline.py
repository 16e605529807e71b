"""Baseline: data-quality statistics and constraints of the training features, in Model Monitor's
format (statistics.json, constraints.json). Drift checks compare live traffic against these.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .paths import JobError, processing_dir

BUCKETS = 10
SKETCH_K = 2048


def numeric_statistics(values: pd.Series) -> dict:
    present = values.dropna().to_numpy(dtype=float)
    common = {"num_present": int(present.size), "num_missing": int(values.isna().sum())}
    if present.size == 0:
        return {"common": common, "mean": 0.0, "sum": 0.0, "std_dev": 0.0, "min": 0.0, "max": 0.0, "distribution": {"kll": {"buckets": []}}}
    lo, hi = float(present.min()), float(present.max())
    edges = np.linspace(lo, hi if hi > lo else lo + 1, BUCKETS + 1)
    counts, _ = np.histogram(present, edges)
    # A quantile sample stands in for Model Monitor's KLL sketch: enough to rebuild the distribution.
    sketch = np.quantile(present, np.linspace(0, 1, min(SKETCH_K, present.size))).tolist()
    return {
        "common": common,
        "mean": float(present.mean()),
        "sum": float(present.sum()),
        "std_dev": float(present.std()),
        "min": lo,
        "max": hi,
        "distribution": {
            "kll": {
                "buckets": [{"lower_bound": float(edges[i]), "upper_bound": float(edges[i + 1]), "count": float(counts[i])} for i in range(BUCKETS)],
                "sketch": {"parameters": {"c": 0.64, "k": float(SKETCH_K)}, "data": [sketch]},
            }
        },
    }


def string_statistics(values: pd.Series) -> dict:
    present = values.dropna()
    counts = present.value_counts()
    return {
        "common": {"num_present": int(present.size), "num_missing": int(values.isna().sum())},
        "distinct_count": float(counts.size),
        "distribution": {"categorical": {"buckets": [{"value": str(v), "count": float(c)} for v, c in counts.items()]}},
    }


def infer_type(values: pd.Series) -> str:
    numbers = pd.to_numeric(values.dropna(), errors="coerce")
    if values.dropna().size == 0 or numbers.isna().any():
        return "String"
    return "Integral" if (numbers == numbers.round()).all() else "Fractional"


def baseline(df: pd.DataFrame) -> tuple[dict, dict]:
    statistics = {"version": 0.0, "dataset": {"item_count": int(len(df))}, "features": []}
    constraints = {"version": 0.0, "features": [], "monitoring_config": {
        "evaluate_constraints": "Enabled",
        "emit_metrics": "Enabled",
        "datatype_check_threshold": 1.0,
        "domain_content_threshold": 1.0,
        "distribution_constraints": {
            "perform_comparison": "Enabled",
            "comparison_threshold": 0.1,
            "comparison_method": "Robust",
            "categorical_comparison_threshold": 0.1,
            "categorical_drift_method": "LInfinity",
        },
    }}
    for name in df.columns:
        column = df[name].replace("", np.nan)
        kind = infer_type(column)
        feature = {"name": name, "inferred_type": kind}
        constraint = {"name": name, "inferred_type": kind, "completeness": float(column.notna().mean()) if len(column) else 0.0}
        if kind == "String":
            feature["string_statistics"] = string_statistics(column)
            constraint["string_constraints"] = {"domains": sorted(str(v) for v in column.dropna().unique())}
        else:
            numbers = pd.to_numeric(column, errors="coerce")
            feature["numerical_statistics"] = numeric_statistics(numbers)
            constraint["num_constraints"] = {"is_non_negative": bool((numbers.dropna() >= 0).all())}
        statistics["features"].append(feature)
        constraints["features"].append(constraint)
    return statistics, constraints


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Data-quality baseline of the training features")
    parser.add_argument("--input", type=Path, default=processing_dir("baseline"))
    parser.add_argument("--output", type=Path, default=processing_dir("statistics"))
    args = parser.parse_args(argv)
    try:
        files = sorted(args.input.rglob("*.csv")) if args.input.is_dir() else [args.input]
        if not files or not files[0].exists():
            raise JobError(f"no CSV files under {args.input}")
        df = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True)
        statistics, constraints = baseline(df)
    except JobError as error:
        print(f"baseline: {error}", file=sys.stderr)
        return 1
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "statistics.json").write_text(json.dumps(statistics, indent=2))
    (args.output / "constraints.json").write_text(json.dumps(constraints, indent=2))
    print(f"baseline: {len(df)} rows, {len(df.columns)} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
