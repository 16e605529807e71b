"""The inference server started as a process, as SageMaker starts it, answering the contract over HTTP."""
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SERVE = Path(__file__).parents[1] / "serve"
ROW = "12,70.5,845.3,2,3,41,month-to-month,electronic-check,fiber,yes"
NAMES = "tenure_months,monthly_charges,total_charges,support_calls,num_products,age,contract,payment_method,internet_service,paperless_billing"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(trained):
    port = free_port()
    env = {**os.environ, "OPT_ML": str(trained), "SAGEMAKER_BIND_TO_PORT": str(port),
           "SAGEMAKER_MODEL_SERVER_WORKERS": "2", "SERVE_HOST": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, str(SERVE)], env=env, cwd=SERVE.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/ping")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(f"the server did not answer /ping: {proc.stdout.read().decode()}")
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def request(port, method, path, body=b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    result = response.status, response.getheader("content-type"), response.read()
    conn.close()
    return result


def invoke(port, body, content_type="text/csv", accept=None):
    headers = {"Content-Type": content_type}
    if accept:
        headers["Accept"] = accept
    return request(port, "POST", "/invocations", body.encode() if isinstance(body, str) else body, headers)


def test_ping(server):
    assert request(server, "GET", "/ping")[0] == 200


def test_one_csv_row_answers_one_score(server):
    status, kind, body = invoke(server, ROW)
    assert (status, kind) == (200, "text/csv")
    score = float(body.decode())
    assert 0.5 < score < 1  # a new month-to-month fiber customer with support calls is likely to churn


def test_many_csv_rows_with_a_header_and_missing_values(server):
    body = "\n".join([NAMES, ROW, "60,20.1,1206,0,5,70,two-year,credit-card,none,no", "3,,,1,1,,month-to-month,,dsl,yes", ""])
    status, _, out = invoke(server, body)
    scores = [float(s) for s in out.decode().split()]
    assert status == 200 and len(scores) == 3
    assert scores[1] < scores[0]


def test_json_in_every_shape_and_json_out(server):
    by_name = dict(zip(NAMES.split(","), ROW.split(","), strict=True))
    csv_score = float(invoke(server, ROW)[2])
    for body in (ROW.split(","), [ROW.split(",")], {"instances": [by_name]}, by_name):
        status, kind, out = invoke(server, json.dumps(body), "application/json")
        assert (status, kind) == (200, "application/json")
        [prediction] = json.loads(out)["predictions"]
        assert prediction == {"score": pytest.approx(csv_score, abs=1e-6), "label": 1}


def test_the_accept_header_chooses_the_answer_type(server):
    assert invoke(server, ROW, accept="application/json")[1] == "application/json"
    assert invoke(server, json.dumps(ROW.split(",")), "application/json", accept="text/csv;q=0.9")[1] == "text/csv"
    assert invoke(server, ROW, accept="*/*")[1] == "text/csv"


@pytest.mark.parametrize("body, content_type, accept, status, message", [
    (ROW, "text/plain", None, 415, "Unsupported Content-Type 'text/plain': send text/csv or application/json"),
    (ROW, "text/csv", "application/xml", 406, "Unsupported Accept 'application/xml': accept text/csv or application/json"),
    (ROW + "\n1,2,3", "text/csv", None, 400, "row 2: expected 10 values (tenure_months, monthly_charges,"),
    ("abc" + ROW[2:], "text/csv", None, 400, "row 1: 'tenure_months' must be a number, got 'abc'"),
    ("", "text/csv", None, 400, "The body has no rows"),
    ("{", "application/json", None, 400, "The JSON body does not parse"),
    ('{"tenure": 1}', "application/json", None, 400, "row 1: unknown field(s) 'tenure'"),
    ('[[true, 1, 1, 1, 1, 1, "a", "b", "c", "d"]]', "application/json", None, 400, "row 1: 'tenure_months' must be a number, got True"),
    ('"text"', "application/json", None, 400, "The JSON body must be a row"),
    (ROW.replace("12", "inf", 1), "text/csv", None, 400, "must be a finite number"),
    (ROW.replace("12", "nan", 1), "text/csv", None, 400, "must be a finite number"),
    (ROW.replace("12", " 12 ", 1) + "\n" + ROW.replace("fiber", " Fiber", 1), "text/csv", "application/json", 200, None),
    (b"\xff\xfe", "text/csv", None, 400, "The CSV body is not UTF-8 text"),
])
def test_every_error_says_what_to_send(server, body, content_type, accept, status, message):
    got_status, kind, out = invoke(server, body, content_type, accept)
    assert (got_status, kind) == (status, "application/json")
    if message is None:  # accepted: padded numbers and categories in another case parse as the plain ones
        plain = json.loads(invoke(server, ROW, accept="application/json")[2])["predictions"][0]["score"]
        assert [p["score"] for p in json.loads(out)["predictions"]] == [plain, plain]
    else:
        assert message in json.loads(out)["error"]


def test_unknown_routes_methods_and_oversized_bodies(server):
    assert request(server, "GET", "/invocations")[0] == 405
    assert request(server, "GET", "/nope")[0] == 404
    status, _, out = invoke(server, b"1" * (6 * 1024 * 1024 + 1))
    assert status == 413 and b"6 MB" in out
