# ruff: noqa: F811
"""The analyzer as a processing job runs it: windows of captured traffic against the baseline, every
check firing and not firing, the payload forms, the window filter, and clear failures."""
import base64
import json
from datetime import timedelta

import capture
import pytest

# The fixtures come from windows.py (a conftest.py here would shadow the containers' own); pytest passes them in.
from windows import NAMES, START, Job, baseline_dir, constraints_of, job, rows, set_every  # noqa: F401


def test_training_like_window_has_no_violations(job, monkeypatch):
    job.traffic(rows(1000, seed=11))
    assert job.run(monkeypatch) == 0
    assert job.violations == []
    assert job.text("output", "message") == "Completed: Job completed successfully with no violations."
    stats = job.output("statistics.json")
    assert stats["version"] == 0.0 and stats["dataset"] == {"item_count": 1000}
    assert [f["name"] for f in stats["features"]] == NAMES
    for feature in stats["features"]:
        assert feature["inferred_type"] in ("Integral", "Fractional", "String")
        if feature["inferred_type"] == "String":
            assert set(feature["string_statistics"]) == {"common", "distinct_count", "distribution"}
        else:
            numbers = feature["numerical_statistics"]
            assert set(numbers) == {"common", "mean", "sum", "std_dev", "min", "max", "distribution"}
            assert set(numbers["distribution"]["kll"]) == {"buckets", "sketch"}
            assert numbers["common"]["num_present"] + numbers["common"]["num_missing"] == 1000
    report = job.output("report.json")
    assert (report["records"], report["rows"], report["predictions"], report["malformed_records"]) == (1000, 1000, 1000, {})


def test_shifted_numeric_feature_drifts_alone(job, monkeypatch):
    cells = rows(1000, seed=12)
    i = NAMES.index("monthly_charges")
    for r in cells:
        r[i] = f"{float(r[i]) + 10:.2f}"  # about 0.5 standard deviations
    job.traffic(cells)
    assert job.run(monkeypatch) == 0
    assert job.violations == [("baseline_drift_check", "monthly_charges")]
    (violation,) = job.output("constraint_violations.json")["violations"]
    assert violation["description"].startswith("Baseline drift distance: ")
    assert " exceeds threshold: 0.1" in violation["description"]
    assert job.text("output", "message") == "CompletedWithViolations: Job completed successfully with 1 violations."
    metrics = [json.loads(line) for line in job.text("output", "metrics", "cloudwatch", "drift-metrics.jsonl").splitlines()]
    drift = {m["MetricName"]: m for m in metrics}["feature_baseline_drift_monthly_charges"]
    assert drift["Value"] > 0.1 and drift["Dimensions"] == [{"Name": "Endpoint", "Value": "churn-prod"}]
    assert drift["Timestamp"] == "2026-12-01T05:00:00Z"
    assert {"feature_non_null_age", "feature_data_age"} <= {m["MetricName"] for m in metrics}


def test_shifted_category_drifts(job, monkeypatch):
    job.traffic(set_every(rows(1000, seed=13), "contract", 3, "month-to-month"))
    job.run(monkeypatch)
    assert job.violations == [("baseline_drift_check", "contract")]


def test_data_type_completeness_and_domain_checks(job, monkeypatch):
    cells = rows(1000, seed=14)
    tenure, age, contract = NAMES.index("tenure_months"), NAMES.index("age"), NAMES.index("contract")
    for n, r in enumerate(cells):
        if n < 20:
            r[tenure] = "twelve"
        if n % 4 == 0:
            r[age] = ""
        if n < 5:
            r[contract] = "weekly"
    job.traffic(cells)
    job.run(monkeypatch)
    assert ("data_type_check", "tenure_months") in job.violations
    assert ("completeness_check", "age") in job.violations
    assert ("categorical_values_check", "contract") in job.violations
    by_check = {v["constraint_check_type"]: v["description"] for v in job.output("constraint_violations.json")["violations"]}
    assert by_check["data_type_check"] == ("Data type match requirement is not met. Expected data type: Integral, "
                                           "Expected match: 100.0%. Observed: Only 98.0% of data is Integral.")
    complete = sum(1 for r in cells if r[age]) / len(cells)
    assert f"Observed: Only {round(complete * 100, 4)}% of data is complete." in by_check["completeness_check"]
    assert "(not in it: weekly)" in by_check["categorical_values_check"]


def test_thresholds_and_overrides_are_honoured(tmp_path, baseline_dir, constraints_of, monkeypatch):
    constraints = constraints_of()
    constraints["monitoring_config"]["datatype_check_threshold"] = 0.9
    tenure = next(f for f in constraints["features"] if f["name"] == "tenure_months")
    tenure["monitoringConfigOverrides"] = {"distribution_constraints": {"comparison_threshold": 0.9}}
    job = Job(tmp_path, baseline_dir, constraints)
    cells = rows(1000, seed=15)
    i = NAMES.index("tenure_months")
    for n, r in enumerate(cells):
        r[i] = "x" if n < 20 else str(int(r[i]) + 15)
    job.traffic(cells)
    job.run(monkeypatch)
    assert job.violations == []  # 98% Integral passes 0.9; the override lifts tenure's drift threshold to 0.9


def test_missing_and_extra_columns(job, monkeypatch):
    cells = rows(30, seed=16)
    job.traffic([r[:-2] for r in cells[:10]] + [r + ["x"] for r in cells[10:20]] + cells[20:])
    job.run(monkeypatch)
    assert ("missing_column_check", "internet_service, paperless_billing") in job.violations
    assert ("extra_column_check", "_c10") in job.violations
    report = job.output("report.json")
    assert report["rows_with_missing_columns"] == {"8": 10} and report["rows_with_extra_columns"] == {"11": 10}


def test_json_rows_by_position_and_by_name(job, monkeypatch):
    cells = rows(300, seed=17)
    job.traffic(cells[:100], per_record=10, encoding="JSON")
    job.traffic(cells[100:200], per_record=5, encoding="JSON", names=NAMES)
    moment = START + timedelta(minutes=55)
    instances = {"instances": [dict(zip(NAMES, r, strict=False), extra=1) for r in cells[200:]]}
    record = capture.record([], moment)
    record["captureData"]["endpointInput"].update(data=json.dumps(instances), encoding="JSON", observedContentType="application/json")
    capture.write([record], job.source)
    job.run(monkeypatch)
    report = job.output("report.json")
    assert (report["records"], report["rows"], report["extra_fields"]) == (31, 300, {"extra": 100})
    assert job.violations == [("extra_column_check", "extra")]


def test_multi_row_csv_base64_and_header_rows(job, monkeypatch):
    cells = rows(200, seed=18)
    header = [NAMES]
    job.traffic(header + cells[:99], per_record=25)
    job.traffic(cells[99:], per_record=3, encoding="BASE64")
    job.run(monkeypatch)
    report = job.output("report.json")
    assert (report["rows"], report["header_rows"]) == (200, 1)
    assert job.output("statistics.json")["dataset"]["item_count"] == 200


def test_window_filter_by_inference_time(job, monkeypatch):
    cells = rows(90, seed=19)
    inside = capture.spread(cells[:30], START, 3599)
    before = capture.spread(cells[30:60], START - timedelta(minutes=30), 60)
    after = capture.spread(cells[60:], START + timedelta(hours=1), 60)
    on_the_end = capture.record([cells[0]], START + timedelta(hours=1))
    seconds_only = capture.record([cells[0]], START)
    seconds_only["eventMetadata"]["inferenceTime"] = "2026-12-01T04:30:00Z"
    capture.write([*inside, *before, *after, on_the_end, seconds_only], job.source)
    job.run(monkeypatch)
    report = job.output("report.json")
    assert (report["records_in_window"], report["records_outside_window"]) == (31, 61)


def test_malformed_records_are_counted(job, monkeypatch):
    job.traffic(rows(50, seed=20))
    folder = job.source / "churn-prod" / "AllTraffic" / "2026" / "12" / "01" / "04"
    bad_base64 = capture.record([["1"]], START)
    bad_base64["captureData"]["endpointInput"].update(encoding="BASE64", data="***")
    no_input = capture.record([["1"]], START)
    del no_input["captureData"]["endpointInput"]
    with (folder / "capture.jsonl").open("a") as f:
        f.write("{not json\n" + json.dumps(bad_base64) + "\n" + json.dumps(no_input) + "\n")
    job.run(monkeypatch)
    malformed = job.output("report.json")["malformed_records"]
    assert malformed == {"not a capture record (JSON with captureData and eventMetadata.inferenceTime)": 1,
                         "BASE64 data that does not decode to UTF-8 text": 1, "no endpointInput data": 1}


def test_no_data_in_the_window_fails_clearly(job, monkeypatch):
    capture.write(capture.spread(rows(10, seed=21), START - timedelta(hours=3), 60), job.source)
    assert job.run(monkeypatch) == 1
    failure = job.text("output", "failure")
    assert failure.startswith("no data in the window 2026-12-01T04:00:00Z to 2026-12-01T05:00:00Z: 10 records")
    assert "10 outside the window" in failure
    assert not (job.opt_ml / "processing" / "output" / "constraint_violations.json").exists()


def test_no_baseline_fails_clearly(job, monkeypatch):
    job.traffic(rows(10, seed=22))
    del job.env["baseline_statistics"]
    assert job.run(monkeypatch) == 1
    assert job.text("output", "failure").startswith("no baseline: set baseline_statistics and baseline_constraints")


@pytest.mark.parametrize(("key", "value", "message"), [
    ("start_time", "yesterday", "start_time is 'yesterday'; it must be an ISO 8601 time"),
    ("end_time", "2026-12-01T03:00:00Z", "start_time 2026-12-01T04:00:00Z is not before end_time 2026-12-01T03:00:00Z"),
    ("baseline_constraints", "/nowhere/constraints.json", "baseline_constraints /nowhere/constraints.json does not exist"),
])
def test_bad_configuration_names_the_setting(job, monkeypatch, key, value, message):
    job.traffic(rows(10, seed=23))
    job.env[key] = value
    assert job.run(monkeypatch) == 1
    assert message in job.text("output", "failure")


def test_bad_monitoring_config_names_the_field(tmp_path, baseline_dir, constraints_of, monkeypatch):
    constraints = constraints_of()
    constraints["monitoring_config"]["distribution_constraints"]["comparison_method"] = "Fuzzy"
    job = Job(tmp_path, baseline_dir, constraints)
    job.traffic(rows(10, seed=24))
    assert job.run(monkeypatch) == 1
    assert "monitoring_config.comparison_method is 'Fuzzy'; allowed: Simple or Robust" in job.text("output", "failure")


def test_configuration_from_processingjobconfig(job, monkeypatch):
    job.traffic(rows(100, seed=25))
    config = job.opt_ml / "config"
    config.mkdir(parents=True)
    (config / "processingjobconfig.json").write_text(json.dumps({"Environment": job.env}))
    job.env = {}
    assert job.run(monkeypatch) == 0
    assert job.output("report.json")["rows"] == 100


def test_chi_squared_and_simple_methods(tmp_path, baseline_dir, constraints_of, monkeypatch):
    constraints = constraints_of()
    constraints["monitoring_config"]["distribution_constraints"].update(categorical_drift_method="ChiSquared", comparison_method="Simple")
    job = Job(tmp_path, baseline_dir, constraints)
    job.traffic(set_every(rows(1000, seed=26), "internet_service", 10, "none"))
    job.run(monkeypatch)
    drifts = {d["feature"]: d for d in job.output("report.json")["drift"]}
    assert drifts["internet_service"]["method"] == "ChiSquared" and drifts["internet_service"]["distance"] < 0.1
    assert drifts["age"]["method"] == "Simple"
    assert ("baseline_drift_check", "internet_service") in job.violations
    desc = next(v["description"] for v in job.output("constraint_violations.json")["violations"] if v["feature_name"] == "internet_service")
    assert desc.startswith("Baseline drift p-value: ") and "is below threshold: 0.1" in desc


def test_feature_order_comes_from_the_encoding(job, monkeypatch, tmp_path):
    reordered = NAMES[::-1]
    encoding = tmp_path / "encoding.json"
    encoding.write_text(json.dumps({"label": "churn", "features": [{"name": n} for n in reordered]}))
    job.env["feature_encoding"] = str(encoding)
    job.traffic([r[::-1] for r in rows(500, seed=27)])
    job.run(monkeypatch)
    assert job.violations == []
    assert [f["name"] for f in job.output("statistics.json")["features"]] == reordered


def test_base64_payload_is_decoded(job, monkeypatch):
    cells = rows(3, seed=28)
    record = capture.record(cells, START)
    record["captureData"]["endpointInput"].update(encoding="BASE64", data=base64.b64encode(b"\n".join(",".join(r).encode() for r in cells)).decode())
    capture.write([record], job.source)
    job.run(monkeypatch)
    assert job.output("report.json")["rows"] == 3
