"""/opt/ml as SageMaker mounts it. OPT_ML moves it, so the same code runs on a host (tests, the
offline twin) as in the container: a configured path under /opt/ml is read under OPT_ML."""
import os
from pathlib import Path

OPT_ML = "/opt/ml"


def opt_ml(*parts: str) -> Path:
    return Path(os.environ.get("OPT_ML", OPT_ML), *parts)


def container_path(path: str) -> Path:
    """A path the job's configuration names, moved under OPT_ML when it lies under /opt/ml."""
    if path == OPT_ML or path.startswith(OPT_ML + "/"):
        return opt_ml(path[len(OPT_ML) + 1:]) if len(path) > len(OPT_ML) else opt_ml()
    return Path(path)


class JobError(Exception):
    """A problem with the job's inputs or configuration: written to /opt/ml/output/failure, exit 1."""
