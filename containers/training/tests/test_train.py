import json

import joblib
import numpy as np
from conftest import opt_ml_for_training, run_train
from sklearn.metrics import roc_auc_score


def test_trains_a_loadable_model_above_the_auc_floor(trained, prepared):
    model = joblib.load(trained / "model" / "model.joblib")
    test = np.genfromtxt(prepared / "test" / "test.csv", delimiter=",")
    auc = roc_auc_score(test[:, 0], model.predict_proba(test[:, 1:])[:, 1])
    assert auc > 0.78, auc
    metadata = json.loads((trained / "model" / "metadata.json").read_text())
    assert metadata["validation_auc"] > 0.75
    assert metadata["hyperparameters"]["max_iter"] == 150
    assert (trained / "model" / "encoding.json").exists()
    assert json.loads((trained / "output" / "data" / "metrics.json").read_text())["validation:auc"] == metadata["validation_auc"]
    assert not (trained / "output" / "failure").exists()


def test_a_bad_hyperparameter_writes_the_failure_reason(tmp_path, prepared):
    opt_ml = opt_ml_for_training(tmp_path, prepared, {"learning_rate": "fast"})
    result = run_train(opt_ml)
    assert result.returncode == 1
    assert (opt_ml / "output" / "failure").read_text() == "hyperparameter 'learning_rate' must be a number in (0, 1], got 'fast'"


def test_unknown_hyperparameters_and_missing_channels_fail_clearly(tmp_path, prepared):
    opt_ml = opt_ml_for_training(tmp_path / "a", prepared, {"depth": "3"})
    assert run_train(opt_ml).returncode == 1
    assert (opt_ml / "output" / "failure").read_text().startswith("unknown hyperparameter(s) depth; allowed: learning_rate,")

    opt_ml = opt_ml_for_training(tmp_path / "b", prepared)
    for f in (opt_ml / "input" / "data" / "validation").iterdir():
        f.unlink()
    assert run_train(opt_ml).returncode == 1
    assert (opt_ml / "output" / "failure").read_text().startswith("channel 'validation' has no CSV files in")
