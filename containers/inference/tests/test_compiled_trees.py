from pathlib import Path

import joblib
import numpy as np
import pytest
from compiled_trees import CompiledTrees, matches_sklearn
from predictor import Predictor
from sklearn.ensemble import HistGradientBoostingClassifier


def test_reproduces_sklearn_on_every_kind_of_branch(trained, prepared):
    predictor = Predictor(trained / "model")
    assert predictor.compiled is not None
    model = predictor.model
    for x in (predictor.probe_rows(5000, seed=1), np.genfromtxt(prepared / "test" / "test.csv", delimiter=",")[:, 1:]):
        np.testing.assert_allclose(predictor.compiled.positive_probability(x), model.predict_proba(x)[:, 1], rtol=0, atol=1e-12)
    # fractional, negative and oversized category codes route as sklearn routes them
    odd = predictor.probe_rows(50, seed=2)
    odd[:, 6] = [1.7, -3.0, 300.0, 2.0, np.nan] * 10
    np.testing.assert_allclose(predictor.compiled.positive_probability(odd), model.predict_proba(odd)[:, 1], rtol=0, atol=1e-12)


def test_one_row_at_a_time_equals_the_batch(trained):
    predictor = Predictor(trained / "model")
    x = predictor.probe_rows(20, seed=3)
    batch = predictor.predict(x)
    assert [predictor.predict(x[i : i + 1])[0] for i in range(20)] == pytest.approx(batch.tolist(), abs=1e-12)


def test_numeric_only_models_compile_and_other_models_fall_back(tmp_path, trained):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    x[rng.random(x.shape) < 0.1] = np.nan
    y = (np.nan_to_num(x[:, 0]) + rng.normal(0, 0.5, 400) > 0).astype(int)
    model = HistGradientBoostingClassifier(max_iter=30).fit(x, y)
    assert matches_sklearn(CompiledTrees(model), model, x)

    multiclass = HistGradientBoostingClassifier(max_iter=5).fit(x, rng.integers(0, 3, 400))
    with pytest.raises(ValueError, match="only binary classifiers can be compiled"):
        CompiledTrees(multiclass)

    model_dir = tmp_path / "model"
    model_dir.mkdir()
    joblib.dump(multiclass, model_dir / "model.joblib")
    (model_dir / "encoding.json").write_text((Path(trained) / "model" / "encoding.json").read_text())
    assert Predictor(model_dir).compiled is None
    assert Predictor(trained / "model", compiled=False).compiled is None
