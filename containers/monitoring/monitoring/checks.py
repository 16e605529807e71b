"""The six constraint checks of Model Monitor, a window's profiles against a baseline's statistics and
constraints, each honouring monitoring_config and the feature's monitoringConfigOverrides.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from .capture import CaptureCounts
from .distance import ALPHA, chi_square_p_value, linf_distance, numeric_distance
from .paths import JobError
from .profile import ColumnProfile
from .statistics import DEFAULT_MONITORING_CONFIG

NUMERIC = ("Integral", "Fractional")
# A Robust completeness check allows the window's own sampling error at the drift check's significance.
WINDOW_Z = NormalDist().inv_cdf(1 - ALPHA / 2)
CHOICES = {"comparison_method": ("Simple", "Robust"), "categorical_drift_method": ("LInfinity", "ChiSquared"),
           "evaluate_constraints": ("Enabled", "Disabled"), "emit_metrics": ("Enabled", "Disabled"),
           "perform_comparison": ("Enabled", "Disabled")}
THRESHOLDS = ("datatype_check_threshold", "domain_content_threshold", "comparison_threshold", "categorical_comparison_threshold")


def flat_config(config: dict | None, where: str) -> dict:
    """monitoring_config with distribution_constraints folded in, checked against what is allowed."""
    if config is not None and not isinstance(config, dict):
        raise JobError(f"{where} must be an object")
    config = config or {}
    flat = {k: v for k, v in config.items() if k != "distribution_constraints"}
    flat.update(config.get("distribution_constraints") or {})
    for key, allowed in CHOICES.items():
        if key in flat and flat[key] not in allowed:
            raise JobError(f"{where}.{key} is {flat[key]!r}; allowed: {' or '.join(allowed)}")
    for key in THRESHOLDS:
        if key in flat and (isinstance(flat[key], bool) or not isinstance(flat[key], (int, float)) or not 0 <= flat[key]):
            raise JobError(f"{where}.{key} is {flat[key]!r}; it must be a number of at least 0")
    return flat


@dataclass
class Violation:
    feature_name: str
    constraint_check_type: str
    description: str


@dataclass
class Drift:
    feature: str
    distance: float
    threshold: float
    method: str


def percent(share: float) -> str:
    return f"{round(share * 100, 4)}%"


class Checker:
    def __init__(self, baseline_statistics: dict, baseline_constraints: dict, source: str = "constraints.json"):
        self.stats = {f["name"]: f for f in baseline_statistics.get("features", [])}
        self.constraints = {f["name"]: f for f in baseline_constraints.get("features", [])}
        defaults = flat_config(DEFAULT_MONITORING_CONFIG, "default")
        self.config = {**defaults, **flat_config(baseline_constraints.get("monitoring_config"), f"{source} monitoring_config")}
        self.source = source
        self.violations: list[Violation] = []
        self.drifts: list[Drift] = []

    def feature_config(self, name: str) -> dict:
        overrides = self.constraints.get(name, {}).get("monitoringConfigOverrides")
        return {**self.config, **flat_config(overrides, f"{self.source} feature {name} monitoringConfigOverrides")}

    def run(self, profiles: list[ColumnProfile], counts: CaptureCounts) -> list[Violation]:
        if self.config["evaluate_constraints"] == "Disabled":
            return []
        self._columns(profiles, counts)
        for profile in profiles:
            constraint = self.constraints.get(profile.name)
            if constraint is None:
                continue
            config = self.feature_config(profile.name)
            self._data_type(profile, constraint, config)
            self._completeness(profile, constraint, config)
            self._domain(profile, constraint, config)
            if config["perform_comparison"] == "Enabled":
                self._drift(profile, config)
        return self.violations

    def _add(self, feature: str, check: str, description: str) -> None:
        self.violations.append(Violation(feature, check, description))

    def _columns(self, profiles: list[ColumnProfile], counts: CaptureCounts) -> None:
        expected = len(self.constraints)
        for width, rows in sorted(counts.short_rows.items()):
            missing = [p.name for p in profiles[width:]]
            self._add(", ".join(missing), "missing_column_check",
                      f"There are missing columns in current dataset. Number of columns in current dataset: {width}, "
                      f"Number of columns in baseline constraints: {expected} ({rows} rows)")
        for width, rows in sorted(counts.long_rows.items()):
            extra = ", ".join(f"_c{i}" for i in range(len(profiles), width))
            self._add(extra, "extra_column_check",
                      f"There are extra columns in current dataset. Number of columns in current dataset: {width}, "
                      f"Number of columns in baseline constraints: {expected} ({rows} rows)")
        for name, rows in sorted(counts.extra_names.items()):
            self._add(name, "extra_column_check",
                      f"There are extra columns in current dataset. Column {name} is not in the baseline constraints ({rows} rows)")
        names = {p.name for p in profiles}
        for name in self.constraints:
            if name not in names:
                self._add(name, "missing_column_check",
                          f"There are missing columns in current dataset. Column {name} of the baseline constraints is not in the model's features")

    def _data_type(self, profile: ColumnProfile, constraint: dict, config: dict) -> None:
        expected = constraint.get("inferred_type")
        present = profile.present
        if expected not in ("Integral", "Fractional", "Boolean") or not present:
            return
        accepted = {"Integral": ("Integral",), "Fractional": NUMERIC, "Boolean": ("Boolean",)}[expected]
        share = sum(profile.types[t] for t in accepted) / present
        threshold = float(config["datatype_check_threshold"])
        if share < threshold:
            self._add(profile.name, "data_type_check",
                      f"Data type match requirement is not met. Expected data type: {expected}, Expected match: {percent(threshold)}. "
                      f"Observed: Only {percent(share)} of data is {expected}.")

    def _completeness(self, profile: ColumnProfile, constraint: dict, config: dict) -> None:
        expected = constraint.get("completeness")
        rows = profile.present + profile.missing
        if not isinstance(expected, (int, float)) or not rows:
            return
        observed = profile.present / rows
        allowance = WINDOW_Z * math.sqrt(expected * (1 - expected) / rows) if config["comparison_method"] == "Robust" else 0.0
        if observed + allowance < expected:
            self._add(profile.name, "completeness_check",
                      f"Data completeness requirement is not met. Expected completeness: {percent(expected)}. "
                      f"Observed: Only {percent(observed)} of data is complete.")

    def _domain(self, profile: ColumnProfile, constraint: dict, config: dict) -> None:
        domain = (constraint.get("string_constraints") or {}).get("domains")
        if not domain or not profile.present:
            return
        allowed = set(domain)
        unknown = {v: c for v, c in profile.values.items() if v not in allowed}
        share = 1 - sum(unknown.values()) / profile.present
        threshold = float(config["domain_content_threshold"])
        if share < threshold:
            examples = ", ".join(sorted(unknown, key=lambda v: -unknown[v])[:5])
            self._add(profile.name, "categorical_values_check",
                      f"Data does not meet the domain content requirement. Expected match: {percent(threshold)}. "
                      f"Observed: Only {percent(share)} of data is in the baseline domain (not in it: {examples}).")

    def _drift(self, profile: ColumnProfile, config: dict) -> None:
        baseline = self.stats.get(profile.name)
        if baseline is None:
            return
        numeric = baseline.get("numerical_statistics")
        if numeric is not None:
            levels = ((numeric.get("distribution") or {}).get("kll") or {}).get("sketch", {}).get("data") or []
            if not profile.numbers or not levels:
                return
            method, threshold = config["comparison_method"], float(config["comparison_threshold"])
            distance = numeric_distance(levels, profile.sketch_levels(), method)
            self._report_drift(profile.name, distance, threshold, method, distance > threshold)
            return
        buckets = ((baseline.get("string_statistics") or {}).get("distribution") or {}).get("categorical", {}).get("buckets") or []
        if not buckets or not profile.values:
            return
        base = {str(b["value"]): float(b["count"]) for b in buckets}
        threshold = float(config["categorical_comparison_threshold"])
        if config["categorical_drift_method"] == "ChiSquared":
            p_value = chi_square_p_value(base, dict(profile.values))
            self._report_drift(profile.name, p_value, threshold, "ChiSquared", p_value < threshold, "p-value")
            return
        method = config["comparison_method"]
        distance = linf_distance(base, dict(profile.values), method)
        self._report_drift(profile.name, distance, threshold, f"LInfinity {method}", distance > threshold)

    def _report_drift(self, name: str, value: float, threshold: float, method: str, drifted: bool, measure: str = "distance") -> None:
        if math.isnan(value):
            return
        self.drifts.append(Drift(name, value, threshold, method))
        if drifted:
            below = "is below" if measure == "p-value" else "exceeds"
            self._add(name, "baseline_drift_check", f"Baseline drift {measure}: {value} {below} threshold: {threshold}")
