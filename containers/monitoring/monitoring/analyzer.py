"""The drift analyzer: one streaming pass over a window of captured traffic, then Model Monitor's
statistics.json and constraint_violations.json against the baseline.

    python3 -m monitoring.analyzer      (configured as the container contract says: see contract.py)
"""
from __future__ import annotations

import gc
import json
import sys
import time
from datetime import UTC, datetime

from .capture import CaptureReader, capture_files
from .checks import Checker
from .contract import Config, load_config, read_json, write_failure, write_message, write_metrics
from .paths import JobError
from .profile import ColumnProfile
from .statistics import statistics

PROGRESS_SECONDS = 5.0


def feature_names(config: Config, baseline_statistics: dict) -> tuple[list[str], str]:
    """Input columns in the model's order: encoding.json when given, else the baseline's order."""
    if config.encoding:
        encoding = read_json(config.encoding, "feature_encoding")
        names = [f.get("name") for f in encoding.get("features", []) if isinstance(f, dict)]
        if not names or not all(isinstance(n, str) for n in names):
            raise JobError(f"feature_encoding {config.encoding} has no features[].name list")
        return names, f"encoding {config.encoding}"
    return [f["name"] for f in baseline_statistics.get("features", [])], "the baseline statistics (no feature_encoding)"


def analyze(config: Config, log=print) -> dict:
    if not config.baseline_statistics or not config.baseline_constraints:
        raise JobError("no baseline: set baseline_statistics and baseline_constraints to the baseline job's statistics.json and constraints.json")
    baseline_statistics = read_json(config.baseline_statistics, "baseline_statistics")
    baseline_constraints = read_json(config.baseline_constraints, "baseline_constraints")
    checker = Checker(baseline_statistics, baseline_constraints, str(config.baseline_constraints))
    names, order = feature_names(config, baseline_statistics)
    if not config.dataset_source.is_dir():
        raise JobError(f"no data: dataset_source {config.dataset_source} is not a folder")
    files = capture_files(config.dataset_source)
    window = f"{config.start_time or 'the first record'} to {config.end_time or 'the last record'}"
    log(f"analyzer: {len(files)} capture files under {config.dataset_source}, window {window}, {len(names)} features from {order}")

    reader = CaptureReader(names, config.start_time, config.end_time)
    profiles = [ColumnProfile(n) for n in names]
    started = last = time.monotonic()
    # The pass allocates millions of short-lived, acyclic objects (records, cells); the cyclic
    # collector would scan them again and again for nothing. Reference counting frees them.
    gc.disable()
    try:
        for columns in reader.batches(files):
            for profile, cells in zip(profiles, columns, strict=True):
                profile.update(cells)
            if time.monotonic() - last >= PROGRESS_SECONDS:
                last = time.monotonic()
                rate = reader.counts.records / (last - started)
                log(f"analyzer: {reader.counts.records} records read, {reader.counts.rows} rows ({rate:.0f} records/s)")
    finally:
        gc.enable()
    counts = reader.counts
    if counts.rows == 0:
        raise JobError(f"no data in the window {window}: {counts.records} records in {len(files)} files under {config.dataset_source}, "
                       f"{counts.outside_window} outside the window, {sum(counts.malformed.values())} malformed")

    violations = checker.run(profiles, counts)
    config.output_path.mkdir(parents=True, exist_ok=True)
    (config.output_path / "statistics.json").write_text(json.dumps(statistics(profiles, counts.rows), indent=2))
    (config.output_path / "constraint_violations.json").write_text(
        json.dumps({"violations": [v.__dict__ for v in violations]}, indent=2))
    report = {"window": {"start_time": config.start_time, "end_time": config.end_time}, **counts.report(),
              "drift": [d.__dict__ for d in checker.drifts], "violations": len(violations)}
    (config.output_path / "report.json").write_text(json.dumps(report, indent=2))
    if config.publish_metrics and checker.config["emit_metrics"] == "Enabled":
        write_metrics(metric_lines(config, profiles, checker))
    for reason, n in counts.malformed.items():
        log(f"analyzer: {n} malformed records: {reason}")
    if counts.header_rows:
        log(f"analyzer: {counts.header_rows} header rows skipped")
    for drift in checker.drifts:
        log(f"analyzer: {drift.feature}: {drift.method} {drift.distance:.4f} (threshold {drift.threshold})")
    for v in violations:
        log(f"analyzer: violation {v.constraint_check_type} on {v.feature_name}: {v.description}")
    log(f"analyzer: {counts.rows} rows from {counts.in_window} records in {time.monotonic() - started:.1f}s; {write_message(len(violations))}")
    return report


def metric_lines(config: Config, profiles: list[ColumnProfile], checker: Checker) -> list[dict]:
    """Model Monitor's per-feature metrics, stamped with the window's end."""
    stamp = config.end_time or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    dimensions = [{"Name": "Endpoint", "Value": config.endpoint}, {"Name": "MonitoringSchedule", "Value": config.schedule}]
    dimensions = [d for d in dimensions if d["Value"]]
    lines = [{"MetricName": f"feature_baseline_drift_{d.feature}", "Timestamp": stamp, "Dimensions": dimensions, "Value": d.distance}
             for d in checker.drifts]
    for p in profiles:
        rows = p.present + p.missing
        lines.append({"MetricName": f"feature_non_null_{p.name}", "Timestamp": stamp, "Dimensions": dimensions,
                      "Value": p.present / rows if rows else 0.0})
        if p.numbers:
            lines.append({"MetricName": f"feature_data_{p.name}", "Timestamp": stamp, "Dimensions": dimensions,
                          "StatisticValues": {"SampleCount": p.numbers, "Sum": p.total, "Minimum": p.min, "Maximum": p.max}})
    return lines


def main() -> int:
    try:
        analyze(load_config())
    except JobError as error:
        print(f"analyzer: {error}", file=sys.stderr)
        write_failure(str(error))
        return 1
    except Exception as error:  # a bug, not bad input: the job still says why it failed
        write_failure(f"analyzer: internal error: {type(error).__name__}: {error}")
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
