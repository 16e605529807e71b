"""The inference server under the SageMaker contract: `<image> serve`.

GET /ping answers 200 once the model is loaded; POST /invocations scores text/csv or
application/json rows and answers in the Accept type. Listens on SAGEMAKER_BIND_TO_PORT (8080),
one worker process per CPU (SAGEMAKER_MODEL_SERVER_WORKERS), each loading the model once from
/opt/ml/model at startup. OPT_ML moves /opt/ml for host runs.

A bare ASGI app on uvicorn (uvloop, httptools): no web framework and no proxy in front, because
per-request overhead is most of the cost of scoring one row.
"""
from __future__ import annotations

import os

# One OpenMP thread per worker: there is a worker per CPU already, and more threads only contend.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import sklearn  # noqa: E402
from predictor import Predictor, RequestError  # noqa: E402

# Inputs are validated by the predictor; skipping sklearn's finiteness scan saves time per call.
sklearn.set_config(assume_finite=True)

MAX_BODY = 6 * 1024 * 1024
MODEL_DIR = Path(os.environ.get("OPT_ML", "/opt/ml"), "model")
state: dict[str, Predictor] = {}


async def respond(send, status: int, body: bytes, content_type: str = "application/json") -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def error_body(message: str) -> bytes:
    return json.dumps({"error": message}).encode()


async def read_body(receive) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                # INFERENCE_COMPILED_TREES=0 scores with sklearn itself (the benchmark measures both).
                state["predictor"] = Predictor(MODEL_DIR, compiled=os.environ.get("INFERENCE_COMPILED_TREES", "1") != "0")
            except Exception as error:  # noqa: BLE001 - a model that does not load must stop the server
                await send({"type": "lifespan.startup.failed", "message": f"cannot load the model from {MODEL_DIR}: {error}"})
                return
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    path, method = scope["path"], scope["method"]
    if path == "/ping":
        ready = "predictor" in state
        await respond(send, 200 if ready else 503, b"" if ready else error_body("model not loaded"))
        return
    if path != "/invocations":
        await respond(send, 404, error_body(f"No route {path}: use GET /ping or POST /invocations"))
        return
    if method != "POST":
        await respond(send, 405, error_body("Use POST for /invocations"))
        return
    body = await read_body(receive)
    if body is None:
        await respond(send, 413, error_body(f"The body is over {MAX_BODY} bytes (SageMaker's 6 MB limit)"))
        return
    headers = dict(scope["headers"])
    content_type = headers.get(b"content-type", b"").decode("latin-1") or None
    accept = headers.get(b"accept", b"").decode("latin-1") or None
    try:
        result, kind = state["predictor"].invoke(body, content_type, accept)
    except RequestError as error:
        await respond(send, error.status, error_body(error.message))
        return
    await respond(send, 200, result, kind)


def main() -> int:
    import uvicorn

    port = int(os.environ.get("SAGEMAKER_BIND_TO_PORT", "8080"))
    workers = int(os.environ.get("SAGEMAKER_MODEL_SERVER_WORKERS", str(os.cpu_count() or 1)))
    host = os.environ.get("SERVE_HOST", "0.0.0.0")
    print(f"serve: model {MODEL_DIR}, {workers} worker(s), listening on {host}:{port}", flush=True)
    uvicorn.run("serve:app", host=host, port=port, workers=workers, loop="uvloop", http="httptools",
                lifespan="on", access_log=False, log_level="warning", timeout_graceful_shutdown=25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
