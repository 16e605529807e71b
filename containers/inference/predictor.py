"""Turns request bodies into model inputs and scores into response bodies.

Rows are the raw features in the order encoding.json lists them (CSV, with or without the header
row, or JSON: one row or many, as lists or as objects by name). Categories are encoded exactly as
preprocess encoded them; an unseen category counts as missing, as it did in training.
"""
from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import joblib
import numpy as np
from compiled_trees import CompiledTrees, matches_sklearn

CSV = "text/csv"
JSON = "application/json"
SUPPORTED = (CSV, JSON)


class RequestError(Exception):
    """A request the server refuses: an HTTP status and a message that says what to send instead."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def media_type(header: str | None) -> str:
    return (header or "").split(";")[0].strip().lower()


def choose_accept(accept: str | None, content_type: str) -> str:
    """The response type: the first supported type the Accept header lists; the request's type for */* or none."""
    if not accept or not accept.strip():
        return content_type
    offered = [media_type(part) for part in accept.split(",")]
    for kind in offered:
        if kind in SUPPORTED:
            return kind
        if kind in ("*/*", "text/*", "application/*"):
            return content_type
    raise RequestError(406, f"Unsupported Accept '{accept}': accept {CSV} or {JSON}")


class Predictor:
    def __init__(self, model_dir: Path, compiled: bool = True):
        self.model = joblib.load(model_dir / "model.joblib")
        encoding = json.loads((model_dir / "encoding.json").read_text())
        self.names = [f["name"] for f in encoding["features"]]
        # Per feature: None for numeric, else the category -> code table.
        self.codes = [
            {c: float(i) for i, c in enumerate(f["categories"])} if f["type"] == "categorical" else None for f in encoding["features"]
        ]
        self.compiled = self._compile() if compiled else None

    def _compile(self) -> CompiledTrees | None:
        """The compiled trees, if they reproduce sklearn on probe rows; else None (sklearn scores)."""
        try:
            compiled = CompiledTrees(self.model)
        except (ValueError, AttributeError, KeyError):
            return None
        return compiled if matches_sklearn(compiled, self.model, self.probe_rows()) else None

    def probe_rows(self, rows: int = 500, seed: int = 0) -> np.ndarray:
        """Rows that reach every kind of branch: missing values, each category, unseen and invalid codes."""
        rng = np.random.default_rng(seed)
        columns = []
        for codes in self.codes:
            if codes is None:
                column = rng.uniform(-10, 250, rows)
            else:
                column = rng.integers(-1, len(codes) + 2, rows).astype(float)
            column[rng.random(rows) < 0.1] = np.nan
            columns.append(column)
        return np.column_stack(columns)

    # --- parsing -------------------------------------------------------------------------------

    def rows(self, body: bytes, content_type: str) -> list:
        if content_type == CSV:
            return self._csv_rows(body)
        return self._json_rows(body)

    def _csv_rows(self, body: bytes) -> list[list[str]]:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestError(400, "The CSV body is not UTF-8 text") from None
        if '"' in text:
            rows = [r for r in csv.reader(io.StringIO(text)) if r and any(cell.strip() for cell in r)]
        else:
            # No quoting: a plain split is what csv.reader would do, at a fraction of the cost.
            rows = [line.rstrip("\r").split(",") for line in text.split("\n") if line.strip().strip(",")]
        if rows and [c.strip().lower() for c in rows[0]] == self.names:
            rows = rows[1:]
        if not rows:
            raise RequestError(400, f"The body has no rows; send one row per line with {len(self.names)} values: {', '.join(self.names)}")
        return rows

    def _json_rows(self, body: bytes) -> list:
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise RequestError(400, f"The JSON body does not parse: {error}") from None
        if isinstance(data, dict) and "instances" in data:
            data = data["instances"]
        if isinstance(data, dict):
            return [data]
        if isinstance(data, list) and data and all(isinstance(r, (list, dict)) for r in data):
            return data
        if isinstance(data, list) and data:
            return [data]
        raise RequestError(400, 'The JSON body must be a row (a list of values or an object by name), a list of rows, or {"instances": [...]}')

    # --- encoding ------------------------------------------------------------------------------

    def encode(self, rows: list) -> np.ndarray:
        """Rows to a float matrix. CSV rows (lists of text) take a fast path; anything it refuses is
        encoded again cell by cell, which finds the first bad value and says which and why."""
        if rows and all(isinstance(r, list) and len(r) == len(self.names) for r in rows) and all(isinstance(v, str) for v in rows[0]):
            matrix = self._encode_text_columns(rows)
            if matrix is not None:
                return matrix
        return self._encode_carefully(rows)

    def _encode_text_columns(self, rows: list[list[str]]) -> np.ndarray | None:
        """Column by column, in plain Python (the fastest at request sizes): None when a value does not
        parse or is not finite, so the careful path can say which one and why."""
        matrix = np.empty((len(rows), len(self.names)), dtype=np.float64)
        nan = math.nan
        for j, column in enumerate(zip(*rows, strict=True)):
            codes = self.codes[j]
            if codes is None:
                try:
                    matrix[:, j] = [float(v) if v else nan for v in column]
                except ValueError:
                    return None
                # 'inf', or 'nan' written out (a blank is how a value is left missing), are refused.
                values = matrix[:, j]
                if np.isinf(values).any() or np.isnan(values).sum() != column.count(""):
                    return None
            else:
                get = codes.get
                matrix[:, j] = [get(v) if v in codes else get(v.strip().lower(), nan) for v in column]
        return matrix

    def _encode_carefully(self, rows: list) -> np.ndarray:
        width = len(self.names)
        matrix = np.empty((len(rows), width), dtype=np.float64)
        for i, row in enumerate(rows, start=1):
            if isinstance(row, dict):
                unknown = [k for k in row if k not in self.names]
                if unknown:
                    raise RequestError(400, f"row {i}: unknown field(s) {', '.join(map(repr, unknown))}; fields: {', '.join(self.names)}")
                values = [row.get(name) for name in self.names]
            else:
                values = row
                if len(values) != width:
                    raise RequestError(400, f"row {i}: expected {width} values ({', '.join(self.names)}), got {len(values)}")
            out = matrix[i - 1]
            for j, value in enumerate(values):
                out[j] = self._encode_value(i, j, value)
        return matrix

    def _encode_value(self, row: int, col: int, value) -> float:
        if value is None or (isinstance(value, str) and not value.strip()):
            return math.nan
        codes = self.codes[col]
        if codes is None:
            if isinstance(value, bool):
                raise RequestError(400, f"row {row}: '{self.names[col]}' must be a number, got {value!r}")
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise RequestError(400, f"row {row}: '{self.names[col]}' must be a number, got {value!r}") from None
            if not math.isfinite(number):
                raise RequestError(400, f"row {row}: '{self.names[col]}' must be a finite number, got {value!r}")
            return number
        return codes.get(str(value).strip().lower(), math.nan)

    # --- scoring -------------------------------------------------------------------------------

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        if self.compiled is not None:
            return self.compiled.positive_probability(matrix)
        return self.model.predict_proba(matrix)[:, 1]

    @staticmethod
    def render(scores: np.ndarray, accept: str) -> bytes:
        if accept == CSV:
            return "".join(f"{s:.6f}\n" for s in scores.tolist()).encode()
        return json.dumps({"predictions": [{"score": round(s, 6), "label": int(s >= 0.5)} for s in scores.tolist()]}).encode()

    def invoke(self, body: bytes, content_type_header: str | None, accept_header: str | None) -> tuple[bytes, str]:
        content_type = media_type(content_type_header)
        if content_type not in SUPPORTED:
            raise RequestError(415, f"Unsupported Content-Type '{content_type_header or ''}': send {CSV} or {JSON}")
        accept = choose_accept(accept_header, content_type)
        scores = self.predict(self.encode(self.rows(body, content_type)))
        return self.render(scores, accept), accept
