"""Fixtures shared by the containers' tests: the sample preprocessed once, and a model trained on it
through the training contract (a real `train` process under a temporary /opt/ml)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent
for folder in ("data", "processing", "training", "inference", "monitoring"):
    sys.path.insert(0, str(HERE / folder))

SAMPLE = HERE / "data" / "sample.csv"


@pytest.fixture(scope="session")
def prepared(tmp_path_factory) -> Path:
    """The processing outputs of the sample: train/, validation/, test/, encoding/, baseline/."""
    from processing import preprocess

    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(SAMPLE, raw / "sample.csv")
    out = tmp_path_factory.mktemp("processed")
    assert preprocess.main(["--input", str(raw), "--output", str(out)]) == 0
    return out


def opt_ml_for_training(root: Path, prepared: Path, hyperparameters: dict | None = None) -> Path:
    """Lays out /opt/ml as SageMaker does for a training job."""
    for channel in ("train", "validation", "encoding"):
        shutil.copytree(prepared / channel, root / "input" / "data" / channel)
    config = root / "input" / "config"
    config.mkdir(parents=True)
    (config / "hyperparameters.json").write_text(json.dumps(hyperparameters or {"max_iter": "150"}))
    (config / "resourceconfig.json").write_text(json.dumps({"current_host": "algo-1", "hosts": ["algo-1"]}))
    return root


def run_train(opt_ml: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPT_ML": str(opt_ml)}
    return subprocess.run([sys.executable, str(HERE / "training" / "train")], env=env, capture_output=True, text=True, timeout=300,
                          cwd=HERE / "training")


@pytest.fixture(scope="session")
def trained(tmp_path_factory, prepared) -> Path:
    """A /opt/ml whose model/ holds a model trained on the sample, plus model.tar.gz beside it."""
    opt_ml = opt_ml_for_training(tmp_path_factory.mktemp("opt_ml"), prepared)
    result = run_train(opt_ml)
    assert result.returncode == 0, result.stderr
    with tarfile.open(opt_ml / "model.tar.gz", "w:gz") as tar:
        for item in (opt_ml / "model").iterdir():
            tar.add(item, arcname=item.name)
    return opt_ml
