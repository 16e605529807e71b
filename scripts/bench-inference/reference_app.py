"""The reference stack's app: Flask, as SageMaker's scikit-learn container serves models. It uses our
Predictor for parsing and encoding, so both stacks do the same work per row; by default it scores
with sklearn's predict_proba, as that container does. INFERENCE_COMPILED_TREES=1 gives it our
compiled trees too, which isolates the serving stack's share of the difference."""
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).parents[2] / "containers" / "inference"))

import flask  # noqa: E402
from predictor import Predictor, RequestError  # noqa: E402

app = flask.Flask(__name__)
predictor = Predictor(Path(os.environ["OPT_ML"], "model"), compiled=os.environ.get("INFERENCE_COMPILED_TREES", "0") == "1")


@app.route("/ping", methods=["GET"])
def ping():
    return flask.Response(status=200)


@app.route("/invocations", methods=["POST"])
def invocations():
    try:
        body, kind = predictor.invoke(flask.request.get_data(), flask.request.headers.get("Content-Type"), flask.request.headers.get("Accept"))
    except RequestError as error:
        return flask.jsonify(error=error.message), error.status
    return flask.Response(body, status=200, mimetype=kind)
