"""Where SageMaker mounts processing inputs and outputs. OPT_ML moves /opt/ml, so the same code runs on
a host (tests, the offline twin) as in the container."""
import os
from pathlib import Path


def processing_dir(*parts: str) -> Path:
    return Path(os.environ.get("OPT_ML", "/opt/ml"), "processing", *parts)


class JobError(Exception):
    """A problem with the job's inputs; printed as is and the job exits non-zero."""
