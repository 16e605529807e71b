"""Preprocess: clean the raw churn table, learn the categorical encoding, and split it.

Reads every CSV under the input folder (header row, label column `churn`). Writes:
  train/train.csv, validation/validation.csv, test/test.csv  encoded, label first, no header
  encoding/encoding.json                                     feature order, types, category codes
  baseline/train.csv                                         raw training features, for the data baseline
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from .paths import JobError, processing_dir

LABEL = "churn"
# A column is numeric when at least this share of its non-empty values parse as numbers.
NUMERIC_SHARE = 0.95


def read_raw(folder: Path) -> pd.DataFrame:
    files = sorted(folder.rglob("*.csv"))
    if not files:
        raise JobError(f"no CSV files under {folder}")
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files]
    df = pd.concat(frames, ignore_index=True)
    df.columns = [c.strip().lower() for c in df.columns]
    if LABEL not in df.columns:
        raise JobError(f"the input has no '{LABEL}' column (columns: {', '.join(df.columns)})")
    return df


def clean(df: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Types each column, blanks to missing, drops rows without a valid label and duplicates."""
    df = df.apply(lambda s: s.str.strip())
    report = {"rows_in": len(df)}
    label = pd.to_numeric(df[LABEL], errors="coerce")
    valid = label.isin([0, 1])
    report["dropped_bad_label"] = int((~valid).sum())
    df = df[valid].copy()
    df[LABEL] = label[valid].astype(int)
    features = {}
    for name in df.columns:
        if name == LABEL:
            continue
        text = df[name].replace("", np.nan)
        numbers = pd.to_numeric(text, errors="coerce")
        present = text.notna().sum()
        if present and numbers.notna().sum() / present >= NUMERIC_SHARE:
            # Negative counts and amounts are export errors, not data.
            df[name] = numbers.where(numbers >= 0)
            features[name] = "numeric"
        else:
            df[name] = text.str.lower()
            features[name] = "categorical"
    before = len(df)
    df = df.drop_duplicates()
    report["dropped_duplicates"] = before - len(df)
    report["rows_out"] = len(df)
    if report["rows_out"] < 20:
        raise JobError(f"only {report['rows_out']} usable rows after cleaning; need at least 20")
    return df, {"features": features, "report": report}


def learn_encoding(df: pd.DataFrame, types: dict[str, str]) -> dict:
    features = []
    for name, kind in types.items():
        if kind == "categorical":
            counts = df[name].value_counts()
            # Most frequent first; ties by name, so the codes are stable across runs.
            categories = sorted(counts.index, key=lambda v: (-counts[v], v))
            features.append({"name": name, "type": "categorical", "categories": categories})
        else:
            features.append({"name": name, "type": "numeric"})
    return {"label": LABEL, "features": features}


def encode(df: pd.DataFrame, encoding: dict) -> np.ndarray:
    """Label first, then each feature as a float; unknown categories and blanks become NaN."""
    columns = [df[LABEL].astype(float).to_numpy()]
    for f in encoding["features"]:
        if f["type"] == "categorical":
            codes = {c: i for i, c in enumerate(f["categories"])}
            columns.append(df[f["name"]].map(codes).astype(float).to_numpy())
        else:
            columns.append(df[f["name"]].astype(float).to_numpy())
    return np.column_stack(columns)


def write_matrix(path: Path, matrix: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savetxt(path, matrix, delimiter=",", fmt="%.10g")
    # savetxt writes NaN as 'nan'; blanks are what the training reader expects for missing.
    path.write_text(path.read_text().replace("nan", ""))


def run(input_dir: Path, output_dir: Path, validation: float, test: float, seed: int) -> dict:
    df, info = clean(read_raw(input_dir))
    encoding = learn_encoding(df, info["features"])
    rest, test_df = train_test_split(df, test_size=test, random_state=seed, stratify=df[LABEL])
    train_df, val_df = train_test_split(rest, test_size=validation / (1 - test), random_state=seed, stratify=rest[LABEL])
    write_matrix(output_dir / "train" / "train.csv", encode(train_df, encoding))
    write_matrix(output_dir / "validation" / "validation.csv", encode(val_df, encoding))
    write_matrix(output_dir / "test" / "test.csv", encode(test_df, encoding))
    (output_dir / "encoding").mkdir(parents=True, exist_ok=True)
    (output_dir / "encoding" / "encoding.json").write_text(json.dumps(encoding, indent=2))
    (output_dir / "baseline").mkdir(parents=True, exist_ok=True)
    # Numbers as the raw table had them (12, not 12.0): the baseline types values as Deequ does, by their text.
    train_df.drop(columns=[LABEL]).to_csv(output_dir / "baseline" / "train.csv", index=False, float_format="%.10g")
    report = {**info["report"], "train": len(train_df), "validation": len(val_df), "test": len(test_df)}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Clean, encode and split the churn table")
    parser.add_argument("--input", type=Path, default=processing_dir("input", "raw"))
    parser.add_argument("--output", type=Path, default=processing_dir())
    parser.add_argument("--validation-fraction", type=float, default=0.15)
    parser.add_argument("--test-fraction", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    try:
        if not (0 < args.validation_fraction < 0.5 and 0 < args.test_fraction < 0.5):
            raise JobError("--validation-fraction and --test-fraction must each be between 0 and 0.5")
        report = run(args.input, args.output, args.validation_fraction, args.test_fraction, args.seed)
    except JobError as error:
        print(f"preprocess: {error}", file=sys.stderr)
        return 1
    print("preprocess: " + ", ".join(f"{k}={v}" for k, v in report.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
