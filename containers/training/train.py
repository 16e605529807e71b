"""Training under the SageMaker contract: `<image> train`.

Reads /opt/ml/input/config/hyperparameters.json (string values) and the channels train/,
validation/ (encoded CSV, label first, no header) and encoding/ (encoding.json from preprocess).
Fits a histogram gradient-boosted trees classifier (native missing values and categories) and
writes model.joblib, encoding.json and metadata.json to /opt/ml/model. On failure the reason goes
to /opt/ml/output/failure and the process exits non-zero. OPT_ML moves /opt/ml for host runs.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

BASE = Path(os.environ.get("OPT_ML", "/opt/ml"))


class TrainingError(Exception):
    """A problem with the inputs; its message becomes the job's FailureReason."""


# name: (parser, default, rule for the error message)
HYPERPARAMETERS = {
    "learning_rate": (float, 0.08, lambda v: 0 < v <= 1, "a number in (0, 1]"),
    "max_iter": (int, 400, lambda v: 1 <= v <= 5000, "a whole number from 1 to 5000"),
    "max_leaf_nodes": (int, 31, lambda v: 2 <= v <= 4096, "a whole number from 2 to 4096"),
    "min_samples_leaf": (int, 20, lambda v: 1 <= v <= 10000, "a whole number from 1 to 10000"),
    "l2_regularization": (float, 0.0, lambda v: v >= 0, "a number >= 0"),
    "early_stopping": (lambda s: {"true": True, "false": False}[s.lower()], True, lambda v: True, "true or false"),
    "seed": (int, 0, lambda v: v >= 0, "a whole number >= 0"),
}


def read_hyperparameters(path: Path) -> dict:
    given = json.loads(path.read_text()) if path.exists() else {}
    unknown = sorted(set(given) - set(HYPERPARAMETERS))
    if unknown:
        raise TrainingError(f"unknown hyperparameter(s) {', '.join(unknown)}; allowed: {', '.join(HYPERPARAMETERS)}")
    values = {}
    for name, (parse, default, ok, rule) in HYPERPARAMETERS.items():
        if name not in given:
            values[name] = default
            continue
        try:
            value = parse(str(given[name]).strip())
        except (ValueError, KeyError):
            value = None
        if value is None or not ok(value):
            raise TrainingError(f"hyperparameter '{name}' must be {rule}, got '{given[name]}'")
        values[name] = value
    return values


def read_channel(name: str) -> tuple[np.ndarray, np.ndarray]:
    folder = BASE / "input" / "data" / name
    files = sorted(folder.rglob("*.csv")) if folder.exists() else []
    if not files:
        raise TrainingError(f"channel '{name}' has no CSV files in {folder}")
    data = np.vstack([np.genfromtxt(f, delimiter=",", ndmin=2) for f in files])
    labels = data[:, 0]
    if not np.isin(labels, [0, 1]).all():
        raise TrainingError(f"channel '{name}': the first column must be the 0/1 label")
    return labels.astype(int), data[:, 1:]


def read_encoding() -> tuple[dict, Path]:
    path = BASE / "input" / "data" / "encoding" / "encoding.json"
    if not path.exists():
        raise TrainingError(f"channel 'encoding' has no encoding.json ({path})")
    return json.loads(path.read_text()), path


def train() -> dict:
    hp = read_hyperparameters(BASE / "input" / "config" / "hyperparameters.json")
    encoding, encoding_path = read_encoding()
    y_train, x_train = read_channel("train")
    y_val, x_val = read_channel("validation")
    features = encoding["features"]
    if x_train.shape[1] != len(features) or x_val.shape[1] != len(features):
        raise TrainingError(f"the data has {x_train.shape[1]} feature columns but encoding.json lists {len(features)}")
    started = time.perf_counter()
    model = HistGradientBoostingClassifier(
        learning_rate=hp["learning_rate"],
        max_iter=hp["max_iter"],
        max_leaf_nodes=hp["max_leaf_nodes"],
        min_samples_leaf=hp["min_samples_leaf"],
        l2_regularization=hp["l2_regularization"],
        early_stopping=hp["early_stopping"],
        categorical_features=[f["type"] == "categorical" for f in features],
        random_state=hp["seed"],
    )
    model.fit(x_train, y_train)
    seconds = time.perf_counter() - started
    auc = float(roc_auc_score(y_val, model.predict_proba(x_val)[:, 1]))

    model_dir = BASE / "model"
    model_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, model_dir / "model.joblib")
    shutil.copy(encoding_path, model_dir / "encoding.json")
    metadata = {
        "validation_auc": auc,
        "train_rows": int(len(y_train)),
        "iterations": int(model.n_iter_),
        "fit_seconds": round(seconds, 3),
        "hyperparameters": hp,
        "scikit_learn": sklearn.__version__,
    }
    (model_dir / "metadata.json").write_text(json.dumps(metadata, indent=2))
    out = BASE / "output" / "data"
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps({"validation:auc": auc}))
    # SageMaker metric definitions read this line from the log.
    print(f"validation:auc={auc:.6f};")
    print(f"train: {len(y_train)} rows, {model.n_iter_} iterations in {seconds:.2f}s")
    return metadata


def main() -> int:
    try:
        train()
        return 0
    except Exception as error:  # noqa: BLE001 - every failure must reach the failure file
        reason = str(error) if isinstance(error, TrainingError) else f"{type(error).__name__}: {error}"
        failure = BASE / "output" / "failure"
        failure.parent.mkdir(parents=True, exist_ok=True)
        failure.write_text(reason[:1024])
        print(f"train: failed: {reason}", file=sys.stderr)
        if not isinstance(error, TrainingError):
            traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main())
