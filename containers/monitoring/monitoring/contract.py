"""The container contract of a bring-your-own monitoring container, which a plain processing job
follows too: configuration from environment variables or /opt/ml/config/processingjobconfig.json,
results under output_path, CloudWatch metric lines, and /opt/ml/output/message or failure.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .capture import canonical_time
from .paths import JobError, container_path, opt_ml

DEFAULT_SOURCE = "/opt/ml/processing/input/endpoint"
DEFAULT_OUTPUT = "/opt/ml/processing/output"
DEFAULT_ENCODING = "/opt/ml/processing/input/encoding/encoding.json"


@dataclass
class Config:
    dataset_source: Path
    output_path: Path
    start_time: str | None
    end_time: str | None
    baseline_statistics: Path | None
    baseline_constraints: Path | None
    encoding: Path | None
    publish_metrics: bool
    endpoint: str
    schedule: str


def environment() -> dict[str, str]:
    """The job's environment: processingjobconfig.json's Environment, the process environment on top."""
    config = opt_ml("config", "processingjobconfig.json")
    merged: dict[str, str] = {}
    if config.exists():
        try:
            merged.update(json.loads(config.read_text()).get("Environment") or {})
        except (json.JSONDecodeError, AttributeError) as error:
            raise JobError(f"{config} is not a JSON object with an Environment map: {error}") from None
    merged.update({k: v for k, v in os.environ.items() if k.islower()})
    return merged


def time_setting(env: dict[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    try:
        canonical_time(value)
    except ValueError:
        raise JobError(f"{name} is {value!r}; it must be an ISO 8601 time such as 2026-12-01T05:00:00Z") from None
    return value


def load_config(env: dict[str, str] | None = None) -> Config:
    env = environment() if env is None else env
    start, end = time_setting(env, "start_time"), time_setting(env, "end_time")
    if start and end and canonical_time(start) >= canonical_time(end):
        raise JobError(f"start_time {start} is not before end_time {end}")
    optional = {k: container_path(env[k]) if env.get(k) else None for k in ("baseline_statistics", "baseline_constraints")}
    encoding = env.get("feature_encoding") or (DEFAULT_ENCODING if container_path(DEFAULT_ENCODING).exists() else "")
    return Config(
        dataset_source=container_path(env.get("dataset_source") or DEFAULT_SOURCE),
        output_path=container_path(env.get("output_path") or DEFAULT_OUTPUT),
        start_time=start,
        end_time=end,
        encoding=container_path(encoding) if encoding else None,
        publish_metrics=env.get("publish_cloudwatch_metrics", "Disabled") == "Enabled",
        endpoint=env.get("sagemaker_endpoint_name", ""),
        schedule=env.get("sagemaker_monitoring_schedule_name", ""),
        **optional,
    )


def read_json(path: Path, what: str) -> dict:
    if not path.is_file():
        raise JobError(f"{what} {path} does not exist")
    try:
        value = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise JobError(f"{what} {path} is not JSON: {error}") from None
    if not isinstance(value, dict):
        raise JobError(f"{what} {path} is not a JSON object")
    return value


def write_message(violations: int) -> str:
    message = (f"CompletedWithViolations: Job completed successfully with {violations} violations." if violations
               else "Completed: Job completed successfully with no violations.")
    write_output("message", message)
    return message


def write_failure(reason: str) -> None:
    write_output("failure", reason[:1024])


def write_output(name: str, text: str) -> None:
    folder = opt_ml("output")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


def write_metrics(lines: list[dict]) -> Path:
    folder = opt_ml("output", "metrics", "cloudwatch")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "drift-metrics.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path
