"""Writes generated rows as SageMaker data capture: one JSON line per invocation under
<endpoint>/<variant>/yyyy/mm/dd/hh/, for the drift analyzer's tests and benchmark.

    python capture.py --rows 1000 --seed 3 --out /tmp/capture     (rows from churn.py, no label)
"""
from __future__ import annotations

import argparse
import base64
import json
import sys
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import churn


def feature_rows(columns: dict, names: list[str]) -> list[list[str]]:
    """The generator's columns as CSV cells in the given feature order ('' for missing)."""
    return [[churn._cell(v) for v in row] for row in zip(*(columns[n].tolist() for n in names), strict=True)]


def record(cells_rows: list[list[str]], moment: datetime, encoding: str = "CSV", names: list[str] | None = None) -> dict:
    if encoding == "JSON":
        data = json.dumps([dict(zip(names or [], r, strict=False)) for r in cells_rows] if names else cells_rows)
        content_type = "application/json"
    else:
        data = "\n".join(",".join(r) for r in cells_rows)
        content_type = "text/csv"
    payload = {"observedContentType": content_type, "mode": "INPUT", "data": data, "encoding": encoding}
    if encoding == "BASE64":
        payload["data"] = base64.b64encode(data.encode()).decode()
        payload["observedContentType"] = "text/csv"
    return {
        "captureData": {
            "endpointInput": payload,
            "endpointOutput": {"observedContentType": "text/csv; charset=utf-8", "mode": "OUTPUT",
                               "data": "\n".join("0.25" for _ in cells_rows), "encoding": "CSV"},
        },
        "eventMetadata": {"eventId": str(uuid.uuid4()), "inferenceTime": moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"},
        "eventVersion": "0",
    }


def write(records: Iterable[dict], root: Path, endpoint: str = "churn-prod", variant: str = "AllTraffic") -> int:
    """Writes records into hour folders by their inferenceTime; returns how many."""
    handles: dict[Path, object] = {}
    n = 0
    try:
        for r in records:
            hour = r["eventMetadata"]["inferenceTime"][:13].replace("-", "/").replace("T", "/")
            path = root / endpoint / variant / hour / "capture.jsonl"
            if path not in handles:
                path.parent.mkdir(parents=True, exist_ok=True)
                handles[path] = path.open("a")
            handles[path].write(json.dumps(r) + "\n")
            n += 1
    finally:
        for h in handles.values():
            h.close()
    return n


def spread(rows: list[list[str]], start: datetime, seconds: float, per_record: int = 1, **options) -> Iterable[dict]:
    """Records of per_record rows each, their times evenly spread over the given seconds from start."""
    count = max(1, -(-len(rows) // per_record))
    for i in range(count):
        yield record(rows[i * per_record:(i + 1) * per_record], start + timedelta(seconds=seconds * i / count), **options)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--drift", type=float, default=0.0)
    parser.add_argument("--start", default="2026-12-01T04:00:00Z")
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    names = [c for c in churn.COLUMNS if c != churn.LABEL]
    rows = feature_rows(churn.generate(args.rows, args.seed, args.drift), names)
    start = datetime.fromisoformat(args.start.replace("Z", "+00:00")).astimezone(UTC)
    n = write(spread(rows, start, args.hours * 3600), args.out)
    print(f"capture.py: {n} records under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
