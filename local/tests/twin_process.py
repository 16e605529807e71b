"""The twin as a separate process for the Python clients' tests (boto3, the AWS CLI): started
through npx in a session of its own, stopped as a whole process group at the end of the module."""
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def endpoint():
    state = tempfile.mkdtemp(prefix="twin-boto3-")
    env = {**os.environ, "TWIN_PORT": "0", "TWIN_STATE_DIR": state, "TWIN_TIME_SCALE": "1000000"}
    # A session of its own: npx, tsx, the twin and the model servers it starts share one process
    # group, so stopping the group stops them all (terminating npx alone would leave the twin running).
    proc = subprocess.Popen(["npx", "tsx", "local/main.ts"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    url = None
    for line in proc.stdout:
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            url = m.group(1)
            break
    if url is None:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the twin did not start")
    yield url
    stop_group(proc)


def stop_group(proc: subprocess.Popen) -> None:
    """Stops every process of the twin's group, and fails when one outlives a grace period."""
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail("processes of the twin's group were still running 10 s after SIGTERM")
