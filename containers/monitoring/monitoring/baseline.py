"""The baseline: statistics.json and constraints.json of the training features, computed by the same
profiles the analyzer computes a window with. Reads every CSV (header row first) under the input.

    python3 -m monitoring.baseline --input /opt/ml/processing/baseline --output /opt/ml/processing/statistics
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from .capture import BATCH_ROWS
from .paths import JobError, opt_ml
from .profile import ColumnProfile
from .statistics import constraints, statistics


def profile_csv(files: list[Path]) -> tuple[list[ColumnProfile], int]:
    profiles: list[ColumnProfile] | None = None
    rows = 0
    for path in files:
        with path.open(newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None:
                continue
            names = [h.strip() for h in header]
            if profiles is None:
                profiles = [ColumnProfile(n) for n in names]
            elif names != [p.name for p in profiles]:
                raise JobError(f"{path} has columns {', '.join(names)}; the first file had {', '.join(p.name for p in profiles)}")
            batch: list[list[str]] = []
            for line, row in enumerate(reader, start=2):
                if len(row) != len(names):
                    raise JobError(f"{path} line {line} has {len(row)} values; the header names {len(names)}")
                batch.append(row)
                if len(batch) >= BATCH_ROWS:
                    rows += feed(profiles, batch)
                    batch = []
            rows += feed(profiles, batch)
    if profiles is None:
        raise JobError("the baseline CSV files are empty")
    return profiles, rows


def feed(profiles: list[ColumnProfile], batch: list[list[str]]) -> int:
    for profile, cells in zip(profiles, zip(*batch, strict=False), strict=False):
        profile.update(cells)
    return len(batch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Data-quality baseline of the training features")
    parser.add_argument("--input", type=Path, default=opt_ml("processing", "baseline"))
    parser.add_argument("--output", type=Path, default=opt_ml("processing", "statistics"))
    args = parser.parse_args(argv)
    try:
        files = sorted(args.input.rglob("*.csv")) if args.input.is_dir() else [args.input]
        if not files or not files[0].exists():
            raise JobError(f"no CSV files under {args.input}")
        profiles, rows = profile_csv(files)
    except JobError as error:
        print(f"baseline: {error}", file=sys.stderr)
        return 1
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "statistics.json").write_text(json.dumps(statistics(profiles, rows), indent=2))
    (args.output / "constraints.json").write_text(json.dumps(constraints(profiles), indent=2))
    print(f"baseline: {rows} rows, {len(profiles)} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
