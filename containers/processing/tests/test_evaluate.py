import json

import pytest
from processing import evaluate


def test_writes_model_quality_statistics(trained, prepared, tmp_path):
    out = tmp_path / "evaluation"
    assert evaluate.main(["--model", str(trained), "--test", str(prepared / "test"), "--output", str(out)]) == 0
    report = json.loads((out / "evaluation.json").read_text())
    assert report["version"] == 0.0
    assert report["dataset"]["item_count"] == 450
    metrics = report["binary_classification_metrics"]
    for name in ("auc", "accuracy", "precision", "recall", "f1"):
        assert set(metrics[name]) == {"value", "standard_deviation"}
        assert 0 <= metrics[name]["value"] <= 1
        assert 0 < metrics[name]["standard_deviation"] < 0.2
    assert metrics["auc"]["value"] > 0.75
    cm = metrics["confusion_matrix"]
    assert sum(cm[a][b] for a in "01" for b in "01") == 450


def test_a_missing_model_or_a_single_class_fails_clearly(prepared, tmp_path, capsys):
    assert evaluate.main(["--model", str(tmp_path), "--test", str(prepared / "test"), "--output", str(tmp_path / "o")]) == 1
    assert "no model.joblib in" in capsys.readouterr().err
    one = tmp_path / "one.csv"
    one.write_text("1,1,2,3,4,5,6,0,0,0,0\n1,2,2,3,4,5,6,0,0,0,0\n")
    with pytest.raises(evaluate.JobError, match="one class only"):
        evaluate.evaluate(object(), *evaluate.read_labelled(one))
