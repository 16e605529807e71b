"""Deequ's drift distances between a baseline and a window: the KS distance of two KLL sketches, the
L-infinity distance of two histograms (each Simple or Robust), and the chi-square test.
"""
from __future__ import annotations

import math

import numpy as np

from .statistics import weighted_items

# The robust distance subtracts the KS critical value at this significance: c(alpha) * sqrt((n+m)/(n*m)).
ALPHA = 0.003


def robust(simple: float, n: float, m: float, alpha: float = ALPHA) -> float:
    # Evaluated in Deequ's order, so the reference's test vectors match to the last digit.
    return max(0.0, simple - math.sqrt(-math.log(alpha / 2) / 2) * math.sqrt((n + m) / (n * m)))


def select(simple: float, n: float, m: float, method: str) -> float:
    return robust(simple, n, m) if method == "Robust" else simple


def numeric_distance(baseline: list[list[float]], current: list[list[float]], method: str = "Robust") -> float:
    """max |F_baseline(x) - F_current(x)| over both sketches' items, F the weighted share of items <= x."""
    base_items, base_cum = weighted_items(baseline)
    cur_items, cur_cum = weighted_items(current)
    if not base_items.size or not cur_items.size:
        return math.nan
    keys = np.union1d(base_items, cur_items)

    def cdf(items: np.ndarray, cumulative: np.ndarray) -> np.ndarray:
        i = np.searchsorted(items, keys, side="right")
        return np.where(i > 0, cumulative[np.maximum(i - 1, 0)], 0.0) / cumulative[-1]

    simple = float(np.max(np.abs(cdf(base_items, base_cum) - cdf(cur_items, cur_cum))))
    return select(simple, float(base_cum[-1]), float(cur_cum[-1]), method)


def linf_distance(baseline: dict[str, float], current: dict[str, float], method: str = "Robust") -> float:
    n, m = sum(baseline.values()), sum(current.values())
    if not n or not m:
        return math.nan
    simple = max(abs(baseline.get(k, 0) / n - current.get(k, 0) / m) for k in baseline.keys() | current.keys())
    return select(simple, n, m, method)


def chi2_survival(statistic: float, dof: int) -> float:
    """P(X >= statistic) for X chi-square with dof degrees of freedom (closed forms, no SciPy)."""
    x = statistic / 2
    return min(1.0, _odd_survival(x, dof) if dof % 2 else _even_survival(x, dof))


def _odd_survival(x: float, dof: int) -> float:
    # Q(dof/2, x) for odd dof: erfc(sqrt x) + exp(-x) * sum_{i=1}^{(dof-1)/2} x^(i-1/2) / Gamma(i+1/2)
    total = math.erfc(math.sqrt(x))
    if x == 0:
        return 1.0
    term = math.sqrt(x) / math.gamma(1.5)
    for i in range(1, (dof + 1) // 2):
        total += math.exp(-x) * term
        term *= x / (i + 0.5)
    return total


def chi_square_p_value(baseline: dict[str, float], current: dict[str, float]) -> float:
    """Goodness of fit of the window to the baseline's shares; categories the baseline never saw are
    dropped, small expected counts regrouped (2 categories: each >= 10; more: at most 20% below 5).
    NaN when fewer than two categories are left."""
    base_total = sum(baseline.values())
    observed = {k: current.get(k, 0) for k in baseline}
    sample_total = sum(observed.values())
    if not base_total or not sample_total:
        return math.nan
    groups = sorted(([baseline[k] / base_total * sample_total, observed[k]] for k in baseline), key=lambda g: g[0])

    def acceptable() -> bool:
        if len(groups) == 2:
            return all(e >= 10 for e, _ in groups)
        return sum(1 for e, _ in groups if e < 5) <= 0.2 * len(groups)

    while len(groups) >= 2 and not acceptable():
        (e1, o1), (e2, o2) = groups.pop(0), groups.pop(0)
        groups.append([e1 + e2, o1 + o2])
        groups.sort(key=lambda g: g[0])
    if len(groups) < 2 or not acceptable():
        return math.nan
    statistic = sum((o - e) ** 2 / e for e, o in groups if e > 0)
    return chi2_survival(statistic, len(groups) - 1)


def _even_survival(x: float, dof: int) -> float:
    # Q(dof/2, x) for even dof: exp(-x) * sum_{i<dof/2} x^i / i!
    term, total = 1.0, 1.0
    for i in range(1, dof // 2):
        term *= x / i
        total += term
    return math.exp(-x) * total
