"""Profiles and the statistics and constraints written from them, in Model Monitor's format."""
import json

import numpy as np
import pytest
from monitoring.profile import ColumnProfile, determine_type, value_type
from monitoring.statistics import feature_constraints, feature_statistics, suggested_completeness


@pytest.mark.parametrize(("text", "kind"), [
    ("3", "Integral"), ("-3", "Integral"), ("+ 3", "Integral"), ("3.0", "Fractional"), ("-.5", "Fractional"),
    ("1e5", "Fractional"), ("2.5E-3", "Fractional"), ("true", "Boolean"), ("false", "Boolean"), ("True", "String"),
    ("nan", "String"), ("inf", "String"), ("3 ", "String"), ("1,5", "String"), ("month-to-month", "String"),
])
def test_value_types_are_deequs(text, kind):
    assert value_type(text) == kind
    profile = ColumnProfile("x")
    profile.update([text])
    assert profile.types[kind] == 1


def test_column_type_rules():
    from collections import Counter
    assert determine_type(Counter()) == "Unknown"
    assert determine_type(Counter(Integral=5)) == "Integral"
    assert determine_type(Counter(Integral=5, Fractional=1)) == "Fractional"
    assert determine_type(Counter(Boolean=2)) == "Boolean"
    assert determine_type(Counter(Boolean=2, Integral=1)) == "String"
    assert determine_type(Counter(Integral=99, String=1)) == "String"


def test_sketch_weights_sum_to_the_present_count_and_the_moments_are_exact():
    values = np.random.default_rng(0).normal(50, 10, 100_000).round(3)
    profile = ColumnProfile("x")
    for chunk in np.array_split(values, 7):
        profile.update([repr(float(v)) for v in chunk] + ["", ""])
    stats = feature_statistics(profile)["numerical_statistics"]
    assert stats["common"] == {"num_present": 100_000, "num_missing": 14}
    data = stats["distribution"]["kll"]["sketch"]["data"]
    assert len(data) > 1, "a sketch of 100,000 values has compacted levels"
    assert sum(len(level) * 2**i for i, level in enumerate(data)) == 100_000
    assert stats["distribution"]["kll"]["sketch"]["parameters"] == {"c": 0.64, "k": 2048.0}
    assert stats["mean"] == pytest.approx(values.mean())
    assert stats["std_dev"] == pytest.approx(values.std())  # population
    assert stats["sum"] == pytest.approx(values.sum())
    assert (stats["min"], stats["max"]) == (values.min(), values.max())
    buckets = stats["distribution"]["kll"]["buckets"]
    assert len(buckets) == 10 and sum(b["count"] for b in buckets) == 100_000
    assert buckets[0]["lower_bound"] == values.min() and buckets[-1]["upper_bound"] == values.max()
    exact, _ = np.histogram(values, np.linspace(values.min(), values.max(), 11))
    assert np.allclose([b["count"] for b in buckets], exact, atol=100_000 * 0.01)


def test_small_columns_are_exact():
    profile = ColumnProfile("x")
    profile.update(["1", "2", "2", "3", "10"])
    stats = feature_statistics(profile)["numerical_statistics"]
    assert stats["distribution"]["kll"]["sketch"]["data"] == [[1.0, 2.0, 2.0, 3.0, 10.0]]
    # Width 0.9 from 1 to 10: [1, 1.9) holds 1, [1.9, 2.8) both 2s, [2.8, 3.7) the 3, the closed last one 10.
    assert [b["count"] for b in stats["distribution"]["kll"]["buckets"]] == [1, 2, 1, 0, 0, 0, 0, 0, 0, 1]


def test_constant_column_counts_in_the_last_bucket():
    profile = ColumnProfile("x")
    profile.update(["7"] * 40)
    buckets = feature_statistics(profile)["numerical_statistics"]["distribution"]["kll"]["buckets"]
    assert all(b["lower_bound"] == b["upper_bound"] == 7.0 for b in buckets)
    assert [b["count"] for b in buckets] == [0] * 9 + [40]


def test_empty_column_is_unknown():
    profile = ColumnProfile("x")
    profile.update(["", "", ""])
    feature = feature_statistics(profile)
    assert feature["inferred_type"] == "Unknown"
    assert feature["string_statistics"]["common"] == {"num_present": 0, "num_missing": 3}
    assert feature_constraints(profile) == {"name": "x", "inferred_type": "Unknown", "completeness": 0.0}


def test_completeness_is_the_lower_confidence_bound():
    assert suggested_completeness(1000, 1000) == 1.0
    assert suggested_completeness(970, 1000) == 0.95  # 0.97 - 1.96 * sqrt(0.97 * 0.03 / 1000) = 0.9594
    assert suggested_completeness(97_000, 100_000) == 0.96
    assert suggested_completeness(0, 0) == 0.0


def test_domains_only_for_low_cardinality():
    # Deequ's rule: at most 10% of the distinct values seen only once.
    low = ColumnProfile("contract")
    low.update([f"v{i:02}" for i in range(20)] * 5 + ["rare"])
    assert feature_constraints(low)["string_constraints"] == {"domains": sorted([f"v{i:02}" for i in range(20)] + ["rare"])}
    low.update(["rare2", "rare3"])
    assert "string_constraints" not in feature_constraints(low)
    ids = ColumnProfile("customer")
    ids.update([f"id-{i}" for i in range(100)])
    assert "string_constraints" not in feature_constraints(ids)


def test_high_cardinality_text_is_estimated_and_bounded():
    profile = ColumnProfile("id")
    for start in range(0, 30_000, 5_000):
        profile.update([f"id-{i}" for i in range(start, start + 5_000)])
    assert len(profile.values) <= 10_000
    assert profile.distinct_count == pytest.approx(30_000, rel=0.03)
    stats = feature_statistics(profile)["string_statistics"]
    assert len(stats["distribution"]["categorical"]["buckets"]) == 1000
    json.dumps(stats)
