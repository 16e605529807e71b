"""One column's profile, built in a streaming pass: counters and sketches only, so memory does not
grow with the number of rows. Values arrive as text (CSV cells, or JSON values written as text),
'' for missing, and are typed as Deequ types them.
"""
from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
from datasketches import hll_sketch, kll_doubles_sketch

# Deequ's DataType patterns: `3.0` is Fractional, `3` Integral, `true`/`false` Boolean, anything else String.
INTEGRAL = re.compile(r"(-|\+)? ?\d+")
FRACTIONAL = re.compile(r"(-|\+)? ?(\d+\.\d*|\.\d+|\d+(\.\d+)?[eE][-+]?\d+)")
BOOLEAN = re.compile(r"true|false")
TYPES = ("Integral", "Fractional", "Boolean", "String")

SKETCH_K = 2048  # Model Monitor's KLL parameters: k 2048, c 0.64.
SKETCH_C = 0.64
# Exact value counts are kept up to this many distinct values per column; past it the counts of the
# values already tracked go on, and an HLL sketch estimates the distinct count (Deequ's way).
MAX_TRACKED_VALUES = 10_000


def value_type(text: str) -> str:
    if INTEGRAL.fullmatch(text):
        return "Integral"
    if FRACTIONAL.fullmatch(text):
        return "Fractional"
    if BOOLEAN.fullmatch(text):
        return "Boolean"
    return "String"


def classify(texts: np.ndarray) -> np.ndarray:
    """value_type of each text; the plain forms (digits, digits with one point) without a regex."""
    digits = np.strings.isdecimal(texts)
    dotted = np.strings.isdecimal(np.strings.replace(texts, ".", "", 1)) & (np.strings.find(texts, ".") >= 0)
    kinds = np.where(digits, "Integral", np.where(dotted, "Fractional", ""))
    for i in np.flatnonzero(kinds == "").tolist():
        kinds[i] = value_type(str(texts[i]))
    return kinds.astype("<U10")


def to_floats(texts: np.ndarray) -> np.ndarray:
    try:
        return np.strings.replace(texts, " ", "").astype(float)
    except ValueError:  # digits numpy does not read (other scripts' digits): Python's float does
        return np.array([float(t.replace(" ", "")) for t in texts.tolist()])


def determine_type(types: Counter) -> str:
    """Deequ's rule for a column's type from the types of its values."""
    if not any(types.values()):
        return "Unknown"
    if types["String"] or (types["Boolean"] and (types["Integral"] or types["Fractional"])):
        return "String"
    if types["Boolean"]:
        return "Boolean"
    return "Fractional" if types["Fractional"] else "Integral"


class ColumnProfile:
    def __init__(self, name: str):
        self.name = name
        self.missing = 0
        self.types: Counter = Counter()
        self.sketch = kll_doubles_sketch(SKETCH_K)
        self.numbers = 0
        self.mean = 0.0
        self.m2 = 0.0  # sum of squared deviations from the mean (Chan's parallel update)
        self.total = 0.0
        self.min = math.inf
        self.max = -math.inf
        self.values: Counter = Counter()
        self.distinct = hll_sketch(14)
        self.overflowed = False

    @property
    def present(self) -> int:
        return sum(self.types.values())

    @property
    def inferred_type(self) -> str:
        return determine_type(self.types)

    def update(self, cells) -> None:
        """Adds a batch of cells (an iterable of text, '' for missing)."""
        counts = Counter(cells)
        self.missing += counts.pop("", 0)
        if not counts:
            return
        texts = np.array(list(counts), dtype=str)
        weights = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
        kinds = classify(texts)
        for kind in TYPES:
            self.types[kind] += int(weights[kinds == kind].sum())
        numeric = (kinds == "Integral") | (kinds == "Fractional")
        if numeric.any():
            self._add_numbers(to_floats(texts[numeric]), weights[numeric])
        if self.overflowed and self.inferred_type == "String":
            for text in counts:
                self.distinct.update(text)
        self._count_values(counts)

    def _count_values(self, counts: Counter) -> None:
        if self.overflowed:
            for text in counts.keys() & self.values.keys():
                self.values[text] += counts[text]
            return
        self.values.update(counts)
        if len(self.values) > MAX_TRACKED_VALUES:
            # From here on the distinct values of a text column are estimated: the sketch starts with
            # every value seen so far, then takes each batch's values while the column is String.
            self.overflowed = True
            for text in self.values:
                self.distinct.update(text)
            for text, _ in self.values.most_common()[MAX_TRACKED_VALUES:]:
                del self.values[text]

    def _add_numbers(self, numbers: np.ndarray, weights: np.ndarray) -> None:
        n = int(weights.sum())
        self.sketch.update(np.repeat(numbers, weights))
        # Elementwise, not `@`: a BLAS dot starts threads that spin on the other core for nothing.
        batch_total = float((numbers * weights).sum())
        batch_mean = batch_total / n
        batch_m2 = float((((numbers - batch_mean) ** 2) * weights).sum())
        combined = self.numbers + n
        delta = batch_mean - self.mean
        self.m2 += batch_m2 + delta * delta * self.numbers * n / combined
        self.mean += delta * n / combined
        self.numbers = combined
        self.total += batch_total
        self.min = min(self.min, float(numbers.min()))
        self.max = max(self.max, float(numbers.max()))

    @property
    def std_dev(self) -> float:
        return math.sqrt(self.m2 / self.numbers) if self.numbers else 0.0

    @property
    def distinct_count(self) -> int:
        return round(self.distinct.get_estimate()) if self.overflowed else len(self.values)

    def sketch_levels(self) -> list[list[float]]:
        """The KLL sketch as Model Monitor writes it: one list per compactor level, an item of level i weighing 2^i."""
        levels: list[list[float]] = []
        for item, weight in self.sketch:
            level = int(weight).bit_length() - 1
            while len(levels) <= level:
                levels.append([])
            levels[level].append(float(item))
        return [sorted(level) for level in levels]
