"""statistics.json and constraints.json in Model Monitor's format, from column profiles. The baseline
step and the analyzer both write their statistics here, so a window and its baseline compare like
with like.
"""
from __future__ import annotations

import math

import numpy as np

from .profile import SKETCH_C, SKETCH_K, ColumnProfile

BUCKETS = 10
CATEGORICAL_BUCKETS = 1000  # Deequ's histogram keeps at most this many values
# Deequ suggests a completeness constraint at the lower bound of the observed share's 95% interval,
# and a domain only for a low-cardinality column: at most this share of its values seen once.
COMPLETENESS_Z = 1.96
DOMAIN_MAX_UNIQUE_SHARE = 0.1

DEFAULT_MONITORING_CONFIG = {
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
}


def weighted_items(levels: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    """A sketch's items sorted, with the cumulative weight up to each (level i weighs 2^i)."""
    items = np.concatenate([np.asarray(level, dtype=float) for level in levels]) if levels else np.empty(0)
    weights = np.concatenate([np.full(len(level), 2.0**i) for i, level in enumerate(levels)]) if levels else np.empty(0)
    order = np.argsort(items, kind="stable")
    return items[order], np.cumsum(weights[order])


def kll_buckets(levels: list[list[float]], lo: float, hi: float) -> list[dict]:
    """Deequ's ten equal-width buckets from the sketch: [lo_j, hi_j), the last one closed."""
    items, cumulative = weighted_items(levels)

    def rank(x: float, inclusive: bool) -> float:
        i = np.searchsorted(items, x, side="right" if inclusive else "left")
        return float(cumulative[i - 1]) if i else 0.0

    buckets = []
    for j in range(BUCKETS):
        low = lo + (hi - lo) * j / BUCKETS
        # The last bound is the max itself: lo + (hi - lo) can round below hi and lose the max.
        high = hi if j == BUCKETS - 1 else lo + (hi - lo) * (j + 1) / BUCKETS
        count = rank(high, j == BUCKETS - 1) - rank(low, False)
        buckets.append({"lower_bound": low, "upper_bound": high, "count": count})
    return buckets


def common(profile: ColumnProfile) -> dict:
    return {"num_present": profile.present, "num_missing": profile.missing}


def numerical_statistics(profile: ColumnProfile) -> dict:
    if not profile.numbers:
        return {"common": common(profile), "mean": 0.0, "sum": 0.0, "std_dev": 0.0, "min": 0.0, "max": 0.0}
    levels = profile.sketch_levels()
    return {
        "common": common(profile),
        "mean": profile.mean,
        "sum": profile.total,
        "std_dev": profile.std_dev,
        "min": profile.min,
        "max": profile.max,
        "distribution": {"kll": {
            "buckets": kll_buckets(levels, profile.min, profile.max),
            "sketch": {"parameters": {"c": SKETCH_C, "k": float(SKETCH_K)}, "data": levels},
        }},
    }


def string_statistics(profile: ColumnProfile) -> dict:
    top = profile.values.most_common(CATEGORICAL_BUCKETS)
    return {
        "common": common(profile),
        "distinct_count": float(profile.distinct_count),
        "distribution": {"categorical": {"buckets": [{"value": v, "count": float(c)} for v, c in top]}},
    }


def feature_statistics(profile: ColumnProfile) -> dict:
    kind = profile.inferred_type
    feature = {"name": profile.name, "inferred_type": kind}
    if kind in ("Integral", "Fractional"):
        feature["numerical_statistics"] = numerical_statistics(profile)
    else:
        feature["string_statistics"] = string_statistics(profile)
    return feature


def statistics(profiles: list[ColumnProfile], rows: int) -> dict:
    return {"version": 0.0, "dataset": {"item_count": rows}, "features": [feature_statistics(p) for p in profiles]}


def suggested_completeness(present: int, total: int) -> float:
    if total == 0:
        return 0.0
    p = present / total
    if p == 1.0:
        return 1.0
    bound = p - COMPLETENESS_Z * math.sqrt(p * (1 - p) / total)
    return max(0.0, math.floor(bound * 100) / 100)


def feature_constraints(profile: ColumnProfile) -> dict:
    kind = profile.inferred_type
    constraint = {"name": profile.name, "inferred_type": kind,
                  "completeness": suggested_completeness(profile.present, profile.present + profile.missing)}
    if kind in ("Integral", "Fractional"):
        constraint["num_constraints"] = {"is_non_negative": profile.numbers > 0 and profile.min >= 0}
    elif kind == "String" and not profile.overflowed and profile.values:
        seen_once = sum(1 for c in profile.values.values() if c == 1)
        if seen_once / len(profile.values) <= DOMAIN_MAX_UNIQUE_SHARE:
            constraint["string_constraints"] = {"domains": sorted(profile.values)}
    return constraint


def constraints(profiles: list[ColumnProfile]) -> dict:
    return {"version": 0.0, "features": [feature_constraints(p) for p in profiles], "monitoring_config": DEFAULT_MONITORING_CONFIG}
