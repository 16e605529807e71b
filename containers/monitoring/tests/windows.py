"""A baseline of generated training rows, and helpers that lay out captured windows and run the
analyzer under a temporary /opt/ml, as the processing job would."""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import capture
import churn
import pytest
from monitoring import analyzer, baseline

NAMES = [c for c in churn.COLUMNS if c != churn.LABEL]
START = datetime(2026, 12, 1, 4, tzinfo=UTC)
WINDOW = {"start_time": "2026-12-01T04:00:00Z", "end_time": "2026-12-01T05:00:00Z"}


@pytest.fixture(scope="session")
def baseline_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("baseline")
    with (folder / "train.csv").open("w", newline="") as f:
        churn.write_csv(churn.generate(20_000, seed=1), f, include_label=False)
    assert baseline.main(["--input", str(folder / "train.csv"), "--output", str(folder)]) == 0
    return folder


def rows(n: int, seed: int, drift: float = 0.0) -> list[list[str]]:
    return capture.feature_rows(churn.generate(n, seed, drift), NAMES)


def set_every(cells: list[list[str]], feature: str, every: int, value: str) -> list[list[str]]:
    """Sets one feature to a value in every n-th row: a shift of that feature's distribution."""
    i = NAMES.index(feature)
    for n, row in enumerate(cells):
        if n % every == 0:
            row[i] = value
    return cells


class Job:
    """One analyzer run: its /opt/ml, capture folder, environment and results."""

    def __init__(self, root: Path, baseline_dir: Path, constraints: dict | None = None):
        self.root = root
        self.opt_ml = root / "opt_ml"
        self.source = self.opt_ml / "processing" / "input" / "endpoint"
        self.source.mkdir(parents=True)
        constraints_path = baseline_dir / "constraints.json"
        if constraints is not None:
            constraints_path = root / "constraints.json"
            constraints_path.write_text(json.dumps(constraints))
        self.env = {"dataset_source": "/opt/ml/processing/input/endpoint", "output_path": "/opt/ml/processing/output",
                    "baseline_statistics": str(baseline_dir / "statistics.json"), "baseline_constraints": str(constraints_path),
                    "publish_cloudwatch_metrics": "Enabled", "sagemaker_endpoint_name": "churn-prod", **WINDOW}

    def traffic(self, cells: list[list[str]], **options) -> None:
        capture.write(capture.spread(cells, START, 3000, **options), self.source)

    def run(self, monkeypatch) -> int:
        monkeypatch.setenv("OPT_ML", str(self.opt_ml))
        for key in list(os.environ):
            if key.islower():
                monkeypatch.delenv(key)
        for key, value in self.env.items():
            monkeypatch.setenv(key, value)
        return analyzer.main()

    def output(self, name: str) -> dict:
        return json.loads((self.opt_ml / "processing" / "output" / name).read_text())

    @property
    def violations(self) -> list[tuple[str, str]]:
        return sorted((v["constraint_check_type"], v["feature_name"]) for v in self.output("constraint_violations.json")["violations"])

    def text(self, *parts: str) -> str:
        return (self.opt_ml.joinpath(*parts)).read_text()


@pytest.fixture
def job(tmp_path, baseline_dir) -> Job:
    return Job(tmp_path, baseline_dir)


@pytest.fixture
def constraints_of(baseline_dir):
    def load() -> dict:
        return json.loads((baseline_dir / "constraints.json").read_text())
    return load
