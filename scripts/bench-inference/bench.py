"""Inference benchmark: our server against the reference stack, serving the same model in the same run.

Trains the model on 100k generated rows (and reports how long training takes), starts our server
(uvicorn, one worker per CPU) and the reference (nginx -> gunicorn gevent workers -> Flask), then
loads each with wrk over loopback: concurrency 1, 8 and 32, a 1-row and a 100-row CSV payload,
bounded runs. Prints requests per second and p50/p99 latency, and the ratio to the reference.
Target: at least 2x the reference's requests per second at an equal or lower p99.

Run it with `bash scripts/bench-inference/run.sh [--seconds N]` (needs nginx and wrk).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WORK = ROOT / ".bench" / "inference"
sys.path[:0] = [str(ROOT / "containers" / "data"), str(ROOT / "containers" / "processing")]

import churn  # noqa: E402
from processing import preprocess  # noqa: E402

WORKERS = os.cpu_count() or 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{what} did not answer /ping within 60 s")


def train_model(rows: int) -> tuple[Path, dict]:
    """Generates, preprocesses and trains through the training contract; returns /opt/ml and timings."""
    shutil.rmtree(WORK, ignore_errors=True)
    raw = WORK / "raw"
    raw.mkdir(parents=True)
    with (raw / "data.csv").open("w", newline="") as f:
        churn.write_csv(churn.generate(rows, seed=11), f)
    processed = WORK / "processed"
    started = time.perf_counter()
    assert preprocess.main(["--input", str(raw), "--output", str(processed)]) == 0
    preprocess_s = time.perf_counter() - started
    opt_ml = WORK / "opt_ml"
    for channel in ("train", "validation", "encoding"):
        shutil.copytree(processed / channel, opt_ml / "input" / "data" / channel)
    (opt_ml / "input" / "config").mkdir(parents=True)
    (opt_ml / "input" / "config" / "hyperparameters.json").write_text("{}")
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "containers" / "training" / "train")], env={**os.environ, "OPT_ML": str(opt_ml)},
                   cwd=ROOT / "containers" / "training", check=True, stdout=subprocess.DEVNULL)
    train_s = time.perf_counter() - started
    metadata = json.loads((opt_ml / "model" / "metadata.json").read_text())
    return opt_ml, {"rows": rows, "preprocess_s": preprocess_s, "train_process_s": train_s, **metadata}


def payloads() -> dict[str, Path]:
    live = churn.generate(100, seed=99, drift=0.2)
    files = {}
    for n in (1, 100):
        path = WORK / f"payload-{n}.csv"
        with path.open("w", newline="") as f:
            churn.write_csv({k: v[:n] for k, v in live.items()}, f, include_label=False)
        path.write_text("\n".join(path.read_text().splitlines()[1:]) + "\n")  # rows only
        files[f"{n} row{'s' if n > 1 else ''}"] = path
    return files


def start_ours(opt_ml: Path) -> tuple[int, list[subprocess.Popen]]:
    port = free_port()
    env = {**os.environ, "OPT_ML": str(opt_ml), "SAGEMAKER_BIND_TO_PORT": str(port), "SERVE_HOST": "127.0.0.1",
           "SAGEMAKER_MODEL_SERVER_WORKERS": str(WORKERS)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "containers" / "inference" / "serve")], env=env,
                            cwd=ROOT / "containers" / "inference", stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    wait_ready(port, proc, "our server")
    return port, [proc]


def start_reference(opt_ml: Path, compiled: bool = False) -> tuple[int, list[subprocess.Popen]]:
    port = free_port()
    run = WORK / "reference"
    run.mkdir(exist_ok=True)
    conf = (HERE / "nginx.conf").read_text().replace("__DIR__", str(run)).replace("__PORT__", str(port))
    (run / "nginx.conf").write_text(conf)
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gevent", "--workers", str(WORKERS), "--timeout", "60",
         "--bind", f"unix:{run / 'gunicorn.sock'}", "--chdir", str(HERE), "reference_app:app"],
        env={**os.environ, "OPT_ML": str(opt_ml), "INFERENCE_COMPILED_TREES": "1" if compiled else "0"},
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    nginx = subprocess.Popen(["nginx", "-c", str(run / "nginx.conf"), "-p", str(run)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.STDOUT, start_new_session=True)
    wait_ready(port, nginx, "nginx + gunicorn")
    return port, [nginx, gunicorn]


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(port: int, connections: int, body: Path, seconds: int) -> dict:
    threads = min(2, connections)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", str(HERE / "post.lua"),
                          f"http://127.0.0.1:{port}/invocations"], env={**os.environ, "BODY_FILE": str(body)},
                         capture_output=True, text=True, check=True, timeout=seconds + 60).stdout

    def latency(pct: str) -> float:
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(m.group(1)) * UNITS[m.group(2)]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency("50"), "p99": latency("99"),
            "errors": int(errors.group(1)) if errors else 0}


def main() -> int:
    parser = argparse.ArgumentParser(description="Inference server benchmark")
    parser.add_argument("--seconds", type=int, default=8, help="length of each measured wrk run")
    parser.add_argument("--rows", type=int, default=100_000, help="training rows")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed: apt-get install -y {tool}")

    opt_ml, training = train_model(args.rows)
    print(f"training on {training['rows']:,} rows: fit {training['fit_seconds']:.2f} s ({training['iterations']} iterations), "
          f"train process {training['train_process_s']:.2f} s, preprocess {training['preprocess_s']:.2f} s, "
          f"validation auc {training['validation_auc']:.4f}")
    bodies = payloads()
    stacks = {
        "ours": start_ours,
        "reference": start_reference,
        "reference+compiled": lambda opt: start_reference(opt, compiled=True),
    }
    results: dict[tuple[str, str, int], dict] = {}
    for stack, start in stacks.items():
        port, procs = start(opt_ml)
        try:
            for name, body in bodies.items():
                wrk(port, 8, body, 2)  # warm-up
                for c in (1, 8, 32):
                    results[(stack, name, c)] = wrk(port, c, body, args.seconds)
        finally:
            stop(procs)

    print(f"\n{WORKERS} worker(s) per stack, wrk over loopback, {args.seconds} s per run. rps = requests per second; latency in ms.")
    print("reference = nginx -> gunicorn (gevent) -> Flask scoring with sklearn, as SageMaker's scikit-learn container serves;")
    print("reference+compiled = the same stack scoring with our compiled trees: ours vs it is the serving stack alone.\n")
    header = "".join(f" | {s + ' rps':>22} {'p50':>6} {'p99':>6}" for s in stacks)
    print(f"{'payload':<9} {'conc':>4}{header} | {'x ref':>6} {'x ref+c':>7}  verdict")
    failed = False
    for name in bodies:
        for c in (1, 8, 32):
            runs = [results[(s, name, c)] for s in stacks]
            cells = "".join(f" | {run['rps']:>22.0f} {run['p50']:>6.2f} {run['p99']:>6.2f}" for run in runs)
            o, r, rc = runs
            ok = o["rps"] >= 2 * r["rps"] and o["p99"] <= r["p99"] and o["errors"] == 0
            failed |= not ok
            errors = f" ({o['errors']} errors)" if o["errors"] else ""
            print(f"{name:<9} {c:>4}{cells} | {o['rps'] / r['rps']:>5.2f}x {o['rps'] / rc['rps']:>6.2f}x  {'ok' if ok else 'below target'}{errors}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
