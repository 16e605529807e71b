import json

import numpy as np
import pytest
from processing import preprocess


def test_splits_encodes_and_keeps_the_baseline_input(prepared):
    train = np.genfromtxt(prepared / "train" / "train.csv", delimiter=",")
    val = np.genfromtxt(prepared / "validation" / "validation.csv", delimiter=",")
    test = np.genfromtxt(prepared / "test" / "test.csv", delimiter=",")
    encoding = json.loads((prepared / "encoding" / "encoding.json").read_text())
    assert encoding["label"] == "churn"
    names = [f["name"] for f in encoding["features"]]
    assert names == ["tenure_months", "monthly_charges", "total_charges", "support_calls", "num_products", "age",
                     "contract", "payment_method", "internet_service", "paperless_billing"]
    contract = next(f for f in encoding["features"] if f["name"] == "contract")
    assert contract == {"name": "contract", "type": "categorical", "categories": ["month-to-month", "one-year", "two-year"]}
    assert train.shape[1] == val.shape[1] == test.shape[1] == len(names) + 1
    total = len(train) + len(val) + len(test)
    assert total == 3000
    assert abs(len(test) / total - 0.15) < 0.01 and abs(len(val) / total - 0.15) < 0.01
    # stratified: the churn rate is the same in every split
    assert abs(train[:, 0].mean() - test[:, 0].mean()) < 0.02
    # missing values stay missing, categories become codes
    assert np.isnan(train[:, 3]).any()
    assert set(np.unique(train[:, 7][~np.isnan(train[:, 7])])) == {0.0, 1.0, 2.0}
    baseline = (prepared / "baseline" / "train.csv").read_text().splitlines()
    assert baseline[0] == ",".join(names)
    assert len(baseline) == len(train) + 1


def test_cleaning_drops_bad_labels_and_duplicates_and_blanks_negatives(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    rows = ["churn,tenure, plan "] + [f"{i % 2},{i},{'a' if i % 3 else 'B '}" for i in range(30)]
    rows += ["yes,3,a", ",4,a", "1,1,a", "0,-5,a"]  # bad labels, a duplicate of row "1,1,a", a negative tenure
    (raw / "x.csv").write_text("\n".join(rows) + "\n")
    df, info = preprocess.clean(preprocess.read_raw(raw))
    assert info["report"] == {"rows_in": 34, "dropped_bad_label": 2, "dropped_duplicates": 1, "rows_out": 31}
    assert info["features"] == {"tenure": "numeric", "plan": "categorical"}
    assert set(df["plan"]) == {"a", "b"}
    assert df["tenure"].isna().sum() == 1


@pytest.mark.parametrize("content, message", [
    (None, "no CSV files under"),
    ("a,b\n1,2\n", "the input has no 'churn' column (columns: a, b)"),
    ("churn,a\n1,2\n0,3\n", "only 2 usable rows after cleaning; need at least 20"),
])
def test_bad_input_fails_with_a_message(tmp_path, capsys, content, message):
    raw = tmp_path / "raw"
    raw.mkdir()
    if content:
        (raw / "x.csv").write_text(content)
    assert preprocess.main(["--input", str(raw), "--output", str(tmp_path / "out")]) == 1
    assert message in capsys.readouterr().err


def test_bad_fractions_are_refused(tmp_path, capsys):
    assert preprocess.main(["--input", str(tmp_path), "--validation-fraction", "0.7"]) == 1
    assert "--validation-fraction and --test-fraction must each be between 0 and 0.5" in capsys.readouterr().err
