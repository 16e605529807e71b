"""The drift analyzer's benchmark: detection quality and throughput (npx projen bench:drift).

Quality: seeded windows of 1,000 captured rows from the data generator against a 100,000-row
baseline at the environment files' threshold (0.1): windows from the training distribution (no
violation of any kind), windows where monthly_charges moved by half a standard deviation, and
windows where the month-to-month share of contract moved by 20 points (a baseline_drift_check on
the shifted feature and no other). Rates for Simple and Robust, and Evidently's default drift
tests on the same windows.

Throughput: 1,000,000 captured records analyzed by the analyzer and by a straightforward pandas
implementation of the same checks, each in its own process: seconds, records/s, peak RSS.

    npx projen bench:drift [-- --windows 100 --records 1000000 --no-evidently]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing import Pool
from pathlib import Path

import capture
import churn
import numpy as np
from monitoring import baseline
from monitoring.analyzer import analyze
from monitoring.contract import load_config

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".bench" / "drift"
NAMES = [c for c in churn.COLUMNS if c != churn.LABEL]
START = datetime(2026, 12, 1, 4, tzinfo=UTC)
SHIFTED_NUMERIC, SHIFTED_CATEGORY = "monthly_charges", "contract"
TARGETS = {"rate": 99, "seconds": 10.0, "rss_mb": 200.0}


def make_baseline(rows: int) -> Path:
    folder = WORK / f"baseline-{rows}"
    if not (folder / "constraints.json").exists():
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "train.csv").open("w", newline="") as f:
            churn.write_csv(churn.generate(rows, seed=1), f, include_label=False)
        assert baseline.main(["--input", str(folder / "train.csv"), "--output", str(folder)]) == 0
    constraints = json.loads((folder / "constraints.json").read_text())
    for method in ("Simple", "Robust"):
        constraints["monitoring_config"]["distribution_constraints"]["comparison_method"] = method
        (folder / f"constraints-{method}.json").write_text(json.dumps(constraints))
    return folder


def window(kind: str, i: int, shift: float) -> dict:
    columns = churn.generate(1000, seed={"clean": 10_000, "numeric": 20_000, "categorical": 30_000}[kind] + i)
    if kind == "numeric":
        columns[SHIFTED_NUMERIC] = (columns[SHIFTED_NUMERIC] + shift).round(2)
    if kind == "categorical":
        rng = np.random.default_rng(40_000 + i)
        share = 0.45 + 0.20  # month-to-month from 45% to 65%, the others scaled to what is left
        others = np.array([0.30, 0.25]) * (1 - share) / 0.55
        columns[SHIFTED_CATEGORY] = rng.choice(churn.CATEGORICAL["contract"], 1000, p=[share, *others]).astype(object)
    return columns


def analyzer_verdicts(columns: dict, base: Path) -> dict[str, list[tuple[str, str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "capture"
        capture.write(capture.spread(capture.feature_rows(columns, NAMES), START, 3000), source)
        verdicts = {}
        for method in ("Simple", "Robust"):
            out = Path(tmp) / method
            config = load_config({"dataset_source": str(source), "output_path": str(out),
                                  "baseline_statistics": str(base / "statistics.json"),
                                  "baseline_constraints": str(base / f"constraints-{method}.json")})
            os.environ["OPT_ML"] = str(Path(tmp) / "opt_ml")
            analyze(config, log=lambda *_: None)
            found = json.loads((out / "constraint_violations.json").read_text())["violations"]
            verdicts[method] = sorted((v["constraint_check_type"], v["feature_name"]) for v in found)
        return verdicts


_reference = None


def _init_evidently(base_rows: int) -> None:
    global _reference
    import pandas as pd
    _reference = pd.DataFrame({k: v for k, v in churn.generate(base_rows, seed=1).items() if k != churn.LABEL})


def evidently_drifted(job: tuple[str, int, float]) -> list[str]:
    import pandas as pd
    from evidently import Report
    from evidently.presets import DataDriftPreset
    current = pd.DataFrame({k: v for k, v in window(*job).items() if k != churn.LABEL})
    result = Report([DataDriftPreset()]).run(current, _reference).dict()
    drifted = []
    for metric in result["metrics"]:
        config = metric["config"]
        if config["type"].endswith("ValueDrift"):
            value, threshold = float(metric["value"]), config["threshold"]
            p_value = "p_value" in config["method"] or "test" in config["method"].lower()
            if (value < threshold) if p_value else (value >= threshold):
                drifted.append(config["column"])
    return sorted(drifted)


def passed(kind: str, violations: list[tuple[str, str]]) -> bool:
    if kind == "clean":
        return not violations
    drifted = {f for check, f in violations if check == "baseline_drift_check"}
    return drifted == {SHIFTED_NUMERIC if kind == "numeric" else SHIFTED_CATEGORY}


def evidently_passed(kind: str, drifted: list[str]) -> bool:
    if kind == "clean":
        return not drifted
    return drifted == [SHIFTED_NUMERIC if kind == "numeric" else SHIFTED_CATEGORY]


def quality(windows: int, base: Path, base_rows: int, with_evidently: bool) -> bool:
    stats = {f["name"]: f for f in json.loads((base / "statistics.json").read_text())["features"]}
    shift = 0.5 * stats[SHIFTED_NUMERIC]["numerical_statistics"]["std_dev"]
    kinds = {"clean": "no drift: no violation of any kind",
             "numeric": f"{SHIFTED_NUMERIC} +0.5 sd (+{shift:.2f}): drift on it alone",
             "categorical": f"{SHIFTED_CATEGORY} month-to-month +20 points: drift on it alone"}
    jobs = [(kind, i, shift) for kind in kinds for i in range(windows)]
    started = time.monotonic()
    ours = []
    for n, job in enumerate(jobs, 1):
        ours.append(analyzer_verdicts(window(*job), base))
        if n % 50 == 0:
            print(f"  analyzer: {n}/{len(jobs)} windows ({time.monotonic() - started:.0f}s)", flush=True)
    theirs: list[list[str]] | None = None
    if with_evidently:
        print(f"  Evidently: {len(jobs)} windows on 2 processes (about {len(jobs):.0f}s)", flush=True)
        with Pool(2, initializer=_init_evidently, initargs=(base_rows,)) as pool:
            theirs = pool.map(evidently_drifted, jobs, chunksize=10)
    ok = True
    print(f"\nDetection over {windows} windows of 1,000 rows against a {base_rows:,}-row baseline, threshold 0.1")
    print(f"{'scenario':58} {'Simple':>9} {'Robust':>9} {'Evidently':>10}")
    for kind, label in kinds.items():
        picked = [(j, o) for j, o in zip(jobs, ours, strict=True) if j[0] == kind]
        rates = {m: sum(passed(kind, o[m]) for _, o in picked) for m in ("Simple", "Robust")}
        peer = "-"
        if theirs is not None:
            peer = str(sum(evidently_passed(kind, t) for j, t in zip(jobs, theirs, strict=True) if j[0] == kind))
        print(f"{label:58} {rates['Simple']:>5}/{windows} {rates['Robust']:>5}/{windows} {peer:>6}/{windows}")
        ok &= rates["Robust"] >= TARGETS["rate"] * windows / 100
        wrong = {}
        for _, o in picked:
            if not passed(kind, o["Simple"]):
                for check, feature in o["Simple"]:
                    wrong[f"{check} {feature}"] = wrong.get(f"{check} {feature}", 0) + 1
        if wrong:
            print(f"{'':4}Simple's misses: " + ", ".join(f"{k} x{v}" for k, v in sorted(wrong.items(), key=lambda kv: -kv[1])[:4]))
    return ok


def capture_million(records: int) -> Path:
    folder = WORK / f"capture-{records}"
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    print(f"  writing {records:,} captured records under {folder} (once)", flush=True)
    per_hour = 100_000
    for hour in range(-(-records // per_hour)):
        n = min(per_hour, records - hour * per_hour)
        rows = capture.feature_rows(churn.generate(n, seed=50_000 + hour), NAMES)
        capture.write(capture.spread(rows, START.replace(hour=hour % 24), 3599), folder)
    (folder / ".complete").write_text("")
    return folder


def measured(command: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process. The peak is the child's own VmHWM, read
    while it runs: a fork's ru_maxrss would count the benchmark's memory copied into it."""
    started = time.monotonic()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    peak_kb = 0
    while child.poll() is None:
        try:
            status = Path(f"/proc/{child.pid}/status").read_text()
            peak_kb = max(peak_kb, int(status.split("VmHWM:")[1].split()[0]))
        except (FileNotFoundError, IndexError, ProcessLookupError):
            pass
        time.sleep(0.02)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {child.returncode}")
    return time.monotonic() - started, peak_kb / 1024


def throughput(records: int, base: Path) -> bool:
    source = capture_million(records)
    out = Path(tempfile.mkdtemp(prefix="drift-throughput-"))
    env = {**os.environ, "OPT_ML": str(out / "opt_ml"), "dataset_source": str(source), "output_path": str(out / "ours"),
           "baseline_statistics": str(base / "statistics.json"), "baseline_constraints": str(base / "constraints.json")}
    ours = measured([sys.executable, "-m", "monitoring.analyzer"], env)
    pandas = measured([sys.executable, str(Path(__file__).with_name("pandas_checks.py")), str(source), str(base / "statistics.json"),
                       str(base / "constraints.json"), str(out / "pandas.json")], env)
    rows = json.loads((out / "ours" / "report.json").read_text())["rows"]
    assert rows == json.loads((out / "pandas.json").read_text())["rows"] == records, "both read every record"
    print(f"\nThroughput over {records:,} captured records ({sum(f.stat().st_size for f in source.rglob('*.jsonl')) / 1e6:.0f} MB)")
    print(f"{'':24} {'seconds':>8} {'records/s':>11} {'peak RSS':>10}")
    for label, (seconds, rss) in (("analyzer (streaming)", ours), ("pandas (in memory)", pandas)):
        print(f"{label:24} {seconds:8.1f} {records / seconds:11,.0f} {rss:8.0f} MB")
    print(f"{'pandas / analyzer':24} {pandas[0] / ours[0]:7.1f}x {'':11} {pandas[1] / ours[1]:8.1f}x")
    shutil.rmtree(out, ignore_errors=True)
    return ours[0] <= TARGETS["seconds"] and ours[1] <= TARGETS["rss_mb"]


def main() -> int:
    parser = argparse.ArgumentParser(description="drift analyzer benchmark")
    parser.add_argument("--windows", type=int, default=100)
    parser.add_argument("--baseline-rows", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--no-evidently", action="store_true")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"bench:drift on {os.cpu_count()} cores", flush=True)
    base = make_baseline(args.baseline_rows)
    ok = quality(args.windows, base, args.baseline_rows, not args.no_evidently)
    ok &= throughput(args.records, base)
    print(f"\ntargets (Robust >= {TARGETS['rate']}/100 per scenario, <= {TARGETS['seconds']:.0f}s and <= {TARGETS['rss_mb']:.0f} MB): "
          + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
