"""Deequ's distances: the reference's test vectors exactly, and the chi-square test against SciPy."""
import math

import pytest
from monitoring.distance import chi2_survival, chi_square_p_value, linf_distance, numeric_distance, robust
from scipy.stats import chi2


def test_numeric_vector():
    assert numeric_distance([[1, 2, 3, 4]], [[2, 3, 4, 5]], "Simple") == 0.25
    assert numeric_distance([[1, 2, 3, 4]], [[2, 3, 4, 5]], "Robust") == 0.0


def test_numeric_distance_weighs_levels():
    # One level-1 item weighs two: [[1], [3]] is the multiset {1, 3, 3}.
    assert numeric_distance([[1], [3]], [[1, 3, 3]], "Simple") == 0.0
    assert numeric_distance([[1], [3]], [[1, 1, 3]], "Simple") == pytest.approx(1 / 3)


def test_categorical_vectors():
    a = {"a": 10, "b": 20, "c": 25, "d": 10, "e": 5}
    b = {"a": 11, "b": 20, "c": 25, "d": 10, "e": 10}
    assert linf_distance(a, b, "Simple") == 0.06015037593984962
    assert linf_distance(a, b, "Robust") == 0.0
    c = {"a": 207, "b": 20, "c": 25, "d": 14, "e": 25, "g": 13}
    d = {"a": 22, "b": 20, "c": 25, "d": 12, "e": 13, "f": 15}
    assert linf_distance(c, d, "Robust") == 0.2726338046550349
    assert robust(linf_distance(c, d, "Simple"), 304, 107, alpha=0.1) == 0.33774199396969184


def test_robust_correction_sizes_at_the_reference_figures():
    # The reference's sizes are for c = 1.8; alpha 0.003 gives c = 1.8031.
    assert 0.25 - robust(0.25, 2048, 1000) == pytest.approx(0.069, abs=0.001)
    assert 0.25 - robust(0.25, 100_000, 1000) == pytest.approx(0.057, abs=0.001)


@pytest.mark.parametrize("dof", [1, 2, 3, 4, 5, 8, 11])
def test_chi2_survival_matches_scipy(dof):
    for x in (0.01, 0.5, 2.0, 7.3, 19.0, 60.0):
        assert chi2_survival(x, dof) == pytest.approx(chi2.sf(x, dof), rel=1e-9, abs=1e-300)


def test_chi_square_p_value():
    baseline = {"a": 500, "b": 300, "c": 200}
    assert chi_square_p_value(baseline, {"a": 50, "b": 30, "c": 20}) == pytest.approx(1.0)
    shifted = chi_square_p_value(baseline, {"a": 80, "b": 10, "c": 10})
    expected = chi2.sf((80 - 50) ** 2 / 50 + (10 - 30) ** 2 / 30 + (10 - 20) ** 2 / 20, 2)
    assert shifted == pytest.approx(expected)
    # A category the baseline never saw is dropped; fewer than two categories left is NaN.
    assert chi_square_p_value(baseline, {"a": 50, "b": 30, "c": 20, "z": 99}) == pytest.approx(1.0)
    assert math.isnan(chi_square_p_value({"a": 10}, {"a": 5}))


def test_chi_square_regroups_small_categories():
    # Expected counts 45, 45, 4, 3, 3: three of five below 5, so the smallest are merged until at most 20% are.
    baseline = {"a": 450, "b": 450, "c": 40, "d": 30, "e": 30}
    current = {"a": 45, "b": 45, "c": 4, "d": 3, "e": 3}
    assert chi_square_p_value(baseline, current) == pytest.approx(1.0)
