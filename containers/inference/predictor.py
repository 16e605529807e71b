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
    def __init__(self, model_dir: Path):
        self.model = joblib.load(model_dir / "model.joblib")
        encoding = json.loads((model_dir / "encoding.json").read_text())
        self.names = [f["name"] for f in encoding["features"]]
        # Per feature: None for numeric, else the category -> code table.
        self.codes = [
            {c: float(i) for i, c in enumerate(f["categories"])} if f["type"] == "categorical" else None for f in encoding["features"]
        ]

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
        rows = [r for r in csv.reader(io.StringIO(text)) if r and any(cell.strip() for cell in r)]
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
