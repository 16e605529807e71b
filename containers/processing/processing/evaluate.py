"""Evaluate: score the trained model on the test split, in Model Monitor's model-quality format.

Reads model/model.tar.gz (the training job's artifact) and test/test.csv (label first). Writes
evaluation/evaluation.json, the pipeline's property file: binary_classification_metrics with auc,
accuracy, precision, recall and f1, each {value, standard_deviation} (bootstrap), and the
confusion matrix.
"""
from __future__ import annotations

import argparse
import json
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import joblib
import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_score, recall_score, roc_auc_score

from .paths import JobError, processing_dir

METRICS = {
    "auc": lambda y, p, s: roc_auc_score(y, s),
    "accuracy": lambda y, p, s: accuracy_score(y, p),
    "precision": lambda y, p, s: precision_score(y, p, zero_division=0),
    "recall": lambda y, p, s: recall_score(y, p, zero_division=0),
    "f1": lambda y, p, s: f1_score(y, p, zero_division=0),
}


def load_model(model_dir: Path):
    archive = model_dir / "model.tar.gz"
    if archive.exists():
        extracted = Path(tempfile.mkdtemp(prefix="model-"))
        with tarfile.open(archive) as tar:
            tar.extractall(extracted, filter="data")
        model_dir = extracted
    path = model_dir / "model.joblib"
    if not path.exists():
        raise JobError(f"no model.joblib in {model_dir} (expected the training job's model.tar.gz)")
    return joblib.load(path)


def read_labelled(path: Path) -> tuple[np.ndarray, np.ndarray]:
    files = sorted(path.rglob("*.csv")) if path.is_dir() else [path]
    if not files:
        raise JobError(f"no test data under {path}")
    data = np.vstack([np.genfromtxt(f, delimiter=",", ndmin=2) for f in files])
    return data[:, 0].astype(int), data[:, 1:]


def evaluate(model, y: np.ndarray, x: np.ndarray, threshold: float = 0.5, resamples: int = 200, seed: int = 0) -> dict:
    if len(np.unique(y)) < 2:
        raise JobError("the test data holds one class only; auc is undefined")
    scores = model.predict_proba(x)[:, 1]
    predicted = (scores >= threshold).astype(int)
    rng = np.random.default_rng(seed)
    samples: dict[str, list[float]] = {name: [] for name in METRICS}
    for _ in range(resamples):
        idx = rng.integers(0, len(y), len(y))
        if len(np.unique(y[idx])) < 2:
            continue
        for name, fn in METRICS.items():
            samples[name].append(float(fn(y[idx], predicted[idx], scores[idx])))
    metrics = {
        name: {"value": float(fn(y, predicted, scores)), "standard_deviation": float(np.std(samples[name]))}
        for name, fn in METRICS.items()
    }
    tn, fp, fn_, tp = confusion_matrix(y, predicted, labels=[0, 1]).ravel()
    metrics["confusion_matrix"] = {"0": {"0": int(tn), "1": int(fp)}, "1": {"0": int(fn_), "1": int(tp)}}
    return {
        "version": 0.0,
        "dataset": {"item_count": int(len(y)), "evaluation_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")},
        "binary_classification_metrics": metrics,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate the model on the test split")
    parser.add_argument("--model", type=Path, default=processing_dir("model"))
    parser.add_argument("--test", type=Path, default=processing_dir("test"))
    parser.add_argument("--output", type=Path, default=processing_dir("evaluation"))
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args(argv)
    try:
        y, x = read_labelled(args.test)
        report = evaluate(load_model(args.model), y, x, args.threshold)
    except JobError as error:
        print(f"evaluate: {error}", file=sys.stderr)
        return 1
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "evaluation.json").write_text(json.dumps(report, indent=2))
    m = report["binary_classification_metrics"]
    print("evaluate: " + ", ".join(f"{k}={m[k]['value']:.4f}" for k in METRICS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
