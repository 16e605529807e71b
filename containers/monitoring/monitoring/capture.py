"""Reads SageMaker data capture: JSON lines under <endpoint>/<variant>/yyyy/mm/dd/hh/, one record per
invocation, each holding one or many input rows (CSV or JSON, BASE64 when the content type was not
captured as text). Keeps the records of a time window and turns their inputs into rows of text cells
in feature order. Every record or row that is not used is counted by reason, never dropped silently.
"""
from __future__ import annotations

import base64
import binascii
import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson

BATCH_ROWS = 20_000


def canonical_time(text: str) -> str:
    """An ISO 8601 time as 'YYYY-MM-DDTHH:MM:SS.ffffff' in UTC, so times compare as strings."""
    if len(text) >= 20 and text[10] == "T" and text.endswith("Z") and (len(text) == 20 or text[19] == "."):
        return text[:19] + "." + text[20:-1].ljust(6, "0")[:6]
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def cell(value) -> str:
    """A JSON value as the text a CSV cell would carry."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return repr(value)
    return orjson.dumps(value).decode()


@dataclass
class CaptureCounts:
    files: int = 0
    records: int = 0
    in_window: int = 0
    outside_window: int = 0
    rows: int = 0
    header_rows: int = 0
    predictions: int = 0
    malformed: Counter = field(default_factory=Counter)
    short_rows: Counter = field(default_factory=Counter)  # column count -> rows
    long_rows: Counter = field(default_factory=Counter)
    extra_names: Counter = field(default_factory=Counter)

    def report(self) -> dict:
        return {
            "files": self.files, "records": self.records, "records_in_window": self.in_window,
            "records_outside_window": self.outside_window, "rows": self.rows, "header_rows": self.header_rows,
            "predictions": self.predictions, "malformed_records": dict(self.malformed),
            "rows_with_missing_columns": {str(k): v for k, v in sorted(self.short_rows.items())},
            "rows_with_extra_columns": {str(k): v for k, v in sorted(self.long_rows.items())},
            "extra_fields": dict(self.extra_names),
        }


class _Batch:
    """Plain CSV payloads kept as text (split in one go later) and rows already split."""

    def __init__(self, width: int):
        self.width = width
        self.texts: list[str] = []
        self.rows: list[list[str]] = []
        self.lines = 0

    def add_text(self, data: str) -> None:
        data = data.strip("\n")
        if data:
            self.texts.append(data)
            self.lines += data.count("\n") + 1

    @property
    def size(self) -> int:
        return self.lines + len(self.rows)


class CaptureReader:
    def __init__(self, features: list[str], start: str | None = None, end: str | None = None):
        self.features = features
        self.index = {name: i for i, name in enumerate(features)}
        self.header = [f.lower() for f in features]
        self.start = canonical_time(start) if start else None
        self.end = canonical_time(end) if end else None
        self.counts = CaptureCounts()

    def batches(self, files: list[Path]) -> Iterator[list[list[str]]]:
        """The window's input cells, about BATCH_ROWS rows at a time, as one list of cells per feature."""
        batch = _Batch(len(self.features))
        for path in files:
            self.counts.files += 1
            with path.open("rb") as lines:
                for line in lines:
                    if line.strip():
                        self._record(line, batch)
                        if batch.size >= BATCH_ROWS:
                            yield self._columns(batch)
                            batch = _Batch(len(self.features))
        if batch.size:
            yield self._columns(batch)

    def _in_window(self, moment: str) -> bool:
        if self.start is None and self.end is None:
            return True
        if not (len(moment) in (20, 24) and moment[10] == "T" and moment[-1] == "Z"):
            moment = canonical_time(moment)  # anything but SageMaker's own form: compare canonically
        else:
            moment = moment[:19] + (moment[19:23] + "000" if len(moment) == 24 else ".000000")
        return (self.start is None or moment >= self.start) and (self.end is None or moment < self.end)

    def _record(self, line: bytes, batch: _Batch) -> None:
        self.counts.records += 1
        try:
            record = orjson.loads(line)
            captured = record["captureData"]
            inside = self._in_window(record["eventMetadata"]["inferenceTime"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            self.counts.malformed["not a capture record (JSON with captureData and eventMetadata.inferenceTime)"] += 1
            return
        if not inside:
            self.counts.outside_window += 1
            return
        self.counts.in_window += 1
        payload = captured.get("endpointInput") if isinstance(captured, dict) else None
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), str):
            self.counts.malformed["no endpointInput data"] += 1
            return
        if isinstance(captured.get("endpointOutput"), dict):
            self.counts.predictions += 1
        data = payload["data"]
        if payload.get("encoding", "CSV") == "CSV" and '"' not in data and "\r" not in data:
            batch.add_text(data)
            return
        try:
            rows = self._rows(payload)
        except ValueError as error:
            self.counts.malformed[str(error)] += 1
            return
        for row in rows:
            self._add(row, batch.rows)

    def _columns(self, batch: _Batch) -> list[list[str]]:
        """Plain CSV in one split when every line has one cell per feature; line by line otherwise."""
        width = len(self.features)
        fast: list[list[str]] = [[] for _ in range(width)]
        if batch.texts:
            text = "\n".join(batch.texts)
            lines = text.split("\n")
            header = ",".join(self.header)
            if "" not in lines and header not in text.lower() and all(line.count(",") == width - 1 for line in lines):
                cells = text.replace("\n", ",").split(",")
                fast = [cells[i::width] for i in range(width)]
                self.counts.rows += len(lines)
            else:
                for line in lines:
                    if line:
                        self._add(line.split(","), batch.rows)
        if not batch.rows:
            return fast
        return [f + [r[i] for r in batch.rows] for i, f in enumerate(fast)]

    def _rows(self, payload: dict) -> list:
        data, encoding = payload["data"], payload.get("encoding", "CSV")
        content_type = str(payload.get("observedContentType", "")).split(";")[0].strip().lower()
        if encoding == "BASE64":
            try:
                data = base64.b64decode(data, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise ValueError("BASE64 data that does not decode to UTF-8 text") from None
            encoding = "JSON" if "json" in content_type else "CSV" if "csv" in content_type else ""
            if not encoding:
                raise ValueError(f"content type {content_type or '(none)'} is neither CSV nor JSON")
        if encoding == "CSV":
            return self._csv_rows(data)
        if encoding == "JSON":
            return self._json_rows(data)
        raise ValueError(f"encoding {encoding} is not CSV, JSON or BASE64")

    def _csv_rows(self, data: str) -> list[list[str]]:
        if '"' in data:
            rows = list(csv.reader(io.StringIO(data)))
        else:
            rows = [line.rstrip("\r").split(",") for line in data.split("\n")]
        return [r for r in rows if r and r != [""]]

    def _json_rows(self, data: str) -> list:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise ValueError("JSON data that does not parse") from None
        if isinstance(value, dict) and "instances" in value:
            value = value["instances"]
        if isinstance(value, dict):
            rows = [value]
        elif isinstance(value, list) and value and all(isinstance(r, (list, dict)) for r in value):
            rows = value
        elif isinstance(value, list) and value:
            rows = [value]
        else:
            raise ValueError("JSON data that is not a row, a list of rows or {\"instances\": [...]}")
        return [r if isinstance(r, dict) else [cell(v) for v in r] for r in rows if r]

    def _add(self, row, rows: list[list[str]]) -> None:
        width = len(self.features)
        if isinstance(row, dict):
            cells = [""] * width
            for name, value in row.items():
                i = self.index.get(name)
                if i is None:
                    self.counts.extra_names[name] += 1
                else:
                    cells[i] = cell(value)
            self.counts.rows += 1
            rows.append(cells)
            return
        if row[0].strip().lower() == self.header[0] and [c.strip().lower() for c in row] == self.header:
            self.counts.header_rows += 1
            return
        if len(row) < width:
            self.counts.short_rows[len(row)] += 1
            row = row + [""] * (width - len(row))
        elif len(row) > width:
            self.counts.long_rows[len(row)] += 1
            row = row[:width]
        self.counts.rows += 1
        rows.append(row)


def capture_files(source: Path) -> list[Path]:
    """Every capture file under the dataset source, in path order (hour folders sort by time)."""
    return sorted(p for p in source.rglob("*") if p.is_file() and p.suffix in (".jsonl", ".json"))
