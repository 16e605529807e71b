import csv
import io
from pathlib import Path

import numpy as np
import pytest
from churn import COLUMNS, LABEL, generate, main, write_csv

HERE = Path(__file__).parent


def test_same_seed_same_table_and_the_committed_sample_is_reproducible(tmp_path):
    out = tmp_path / "s.csv"
    assert main(["--rows", "3000", "--seed", "7", "--out", str(out)]) == 0
    assert out.read_text() == (HERE / "sample.csv").read_text()
    a, b = generate(500, seed=3), generate(500, seed=3)
    assert all(np.array_equal(a[c], b[c], equal_nan=True) if a[c].dtype != object else list(a[c]) == list(b[c]) for c in COLUMNS)


def test_the_table_is_realistic():
    cols = generate(20000, seed=1)
    rate = cols[LABEL].mean()
    assert 0.15 < rate < 0.45, rate
    assert 0.01 < np.isnan(cols["total_charges"]).mean() < 0.06
    assert 0.03 < np.isnan(cols["age"]).mean() < 0.08
    assert sum(v is None for v in cols["payment_method"]) > 100
    assert set(cols["contract"]) == {"month-to-month", "one-year", "two-year"}
    # churners leave early: the label depends on the features
    assert cols["tenure_months"][cols[LABEL] == 1].mean() < cols["tenure_months"][cols[LABEL] == 0].mean() - 5


def test_drift_shifts_the_chosen_features():
    base, drifted = generate(20000, seed=2), generate(20000, seed=2, drift=0.8)
    assert drifted["monthly_charges"].mean() > base["monthly_charges"].mean() + 15
    assert drifted["tenure_months"].mean() < base["tenure_months"].mean() * 0.75
    assert (drifted["contract"] == "month-to-month").mean() > (base["contract"] == "month-to-month").mean() + 0.2


def test_csv_has_a_header_and_blank_missing_values():
    buf = io.StringIO()
    write_csv(generate(200, seed=4), buf, include_label=False)
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert rows[0] == [c for c in COLUMNS if c != LABEL]
    assert any("" in r for r in rows[1:])


@pytest.mark.parametrize("args, message", [(["--rows", "0"], "rows must be at least 1"), (["--drift", "2"], "drift must be between 0 and 1")])
def test_bad_arguments_fail_with_a_message(args, message, capsys):
    assert main(args) == 2
    assert message in capsys.readouterr().err
