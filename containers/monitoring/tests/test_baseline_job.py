"""The pipeline's baseline step on preprocess's output: Model Monitor's statistics and constraints."""
import json

from monitoring import baseline


def test_writes_model_monitor_statistics_and_constraints(prepared, tmp_path):
    out = tmp_path / "statistics"
    assert baseline.main(["--input", str(prepared / "baseline"), "--output", str(out)]) == 0
    stats = json.loads((out / "statistics.json").read_text())
    constraints = json.loads((out / "constraints.json").read_text())
    rows = stats["dataset"]["item_count"]
    features = {f["name"]: f for f in stats["features"]}
    # preprocess writes the numbers as the raw table had them, so Deequ's typing sees 12, not 12.0.
    assert features["tenure_months"]["inferred_type"] == "Integral"
    assert features["monthly_charges"]["inferred_type"] == "Fractional"
    assert features["contract"]["inferred_type"] == "String"
    charges = features["total_charges"]["numerical_statistics"]
    assert charges["common"]["num_present"] + charges["common"]["num_missing"] == rows
    assert charges["common"]["num_missing"] > 0
    sketch = charges["distribution"]["kll"]["sketch"]["data"]
    assert sum(len(level) * 2**i for i, level in enumerate(sketch)) == charges["common"]["num_present"]
    buckets = charges["distribution"]["kll"]["buckets"]
    assert len(buckets) == 10 and sum(b["count"] for b in buckets) == charges["common"]["num_present"]
    assert buckets[0]["lower_bound"] == charges["min"] and buckets[-1]["upper_bound"] == charges["max"]
    contract = features["contract"]["string_statistics"]
    assert contract["distinct_count"] == 3
    assert sum(b["count"] for b in contract["distribution"]["categorical"]["buckets"]) == rows
    by_name = {c["name"]: c for c in constraints["features"]}
    assert by_name["contract"]["string_constraints"]["domains"] == ["month-to-month", "one-year", "two-year"]
    assert by_name["tenure_months"]["num_constraints"] == {"is_non_negative": True}
    assert 0.9 < by_name["total_charges"]["completeness"] < 1
    assert constraints["monitoring_config"]["distribution_constraints"]["comparison_threshold"] == 0.1


def test_no_input_fails(tmp_path, capsys):
    assert baseline.main(["--input", str(tmp_path / "none"), "--output", str(tmp_path / "o")]) == 1
    assert "no CSV files under" in capsys.readouterr().err


def test_ragged_rows_fail_naming_the_line(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("x,y\n1,2\n3\n")
    assert baseline.main(["--input", str(tmp_path / "a.csv"), "--output", str(tmp_path / "o")]) == 1
    assert "a.csv line 3 has 1 values; the header names 2" in capsys.readouterr().err
