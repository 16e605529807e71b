"""The same checks as the analyzer, written the straightforward way with pandas: every record and
row in memory at once, exact ECDFs instead of sketches. The benchmark times the analyzer against it.

    python pandas_checks.py <capture folder> <statistics.json> <constraints.json> <out.json>
"""
from __future__ import annotations

import io
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

INTEGRAL = r"(-|\+)? ?\d+"
FRACTIONAL = r"(-|\+)? ?(\d+\.\d*|\.\d+|\d+(\.\d+)?[eE][-+]?\d+)"
C = math.sqrt(-math.log(0.003 / 2) / 2)


def robust(d: float, n: float, m: float) -> float:
    return max(0.0, d - C * math.sqrt((n + m) / (n * m)))


def main(source: str, statistics: str, constraints: str, out: str) -> int:
    stats = {f["name"]: f for f in json.loads(Path(statistics).read_text())["features"]}
    rules = {f["name"]: f for f in json.loads(Path(constraints).read_text())["features"]}
    names = list(stats)
    files = sorted(Path(source).rglob("*.jsonl"))
    records = pd.concat([pd.read_json(f, lines=True) for f in files], ignore_index=True)
    data = records["captureData"].map(lambda c: c["endpointInput"]["data"])
    rows = pd.read_csv(io.StringIO("\n".join(data)), header=None, names=names, dtype=str, keep_default_na=False)
    violations = []
    for name in names:
        column = rows[name]
        present = column[column != ""]
        completeness = len(present) / len(column)
        expected = rules[name]
        if completeness < expected["completeness"]:
            violations.append((name, "completeness_check"))
        integral = present.str.fullmatch(INTEGRAL)
        fractional = present.str.fullmatch(FRACTIONAL)
        if expected["inferred_type"] == "Integral" and not integral.all():
            violations.append((name, "data_type_check"))
        if expected["inferred_type"] == "Fractional" and not (integral | fractional).all():
            violations.append((name, "data_type_check"))
        base = stats[name]
        if "numerical_statistics" in base:
            levels = base["numerical_statistics"]["distribution"]["kll"]["sketch"]["data"]
            items = np.concatenate([np.asarray(level, float) for level in levels])
            weights = np.concatenate([np.full(len(level), 2.0**i) for i, level in enumerate(levels)])
            order = np.argsort(items)
            items, cumulative = items[order], np.cumsum(weights[order])
            numbers = np.sort(pd.to_numeric(present, errors="coerce").dropna().to_numpy())
            keys = np.union1d(items, numbers)
            f_base = np.concatenate([[0.0], cumulative])[np.searchsorted(items, keys, side="right")] / cumulative[-1]
            f_cur = np.searchsorted(numbers, keys, side="right") / len(numbers)
            distance = robust(float(np.max(np.abs(f_base - f_cur))), cumulative[-1], len(numbers))
        else:
            buckets = {b["value"]: b["count"] for b in base["string_statistics"]["distribution"]["categorical"]["buckets"]}
            counts = present.value_counts()
            domain = set((expected.get("string_constraints") or {}).get("domains") or buckets)
            if not counts.index.isin(list(domain)).all():
                violations.append((name, "categorical_values_check"))
            n, m = sum(buckets.values()), counts.sum()
            keys = set(buckets) | set(counts.index)
            distance = robust(max(abs(buckets.get(k, 0) / n - counts.get(k, 0) / m) for k in keys), n, m)
        if distance > 0.1:
            violations.append((name, "baseline_drift_check"))
    Path(out).write_text(json.dumps({"rows": len(rows), "violations": violations}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
