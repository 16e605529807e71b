# ruff: noqa: F811
"""The twin driven by the SageMaker Python SDK as data scientists script against AWS: a pipeline
upserted twice (the second upsert must update), started and waited for; a Predictor on an endpoint
the twin runs from a model trained on the sample."""
import io
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import boto3
import pytest
import sagemaker
from sagemaker.deserializers import CSVDeserializer
from sagemaker.predictor import Predictor
from sagemaker.serializers import CSVSerializer
from sagemaker.workflow.parameters import ParameterInteger
from sagemaker.workflow.pipeline import Pipeline

# The fixture comes from twin_process.py (a conftest.py here would shadow the containers' own).
from twin_process import ROOT, endpoint  # noqa: F401

ROLE = "arn:aws:iam::111111111111:role/sagemaker"
REGISTRY = "111111111111.dkr.ecr.us-east-1.amazonaws.com/sagemaker-gitops"


@pytest.fixture(scope="module")
def session(endpoint, tmp_path_factory):
    # The SDK reads its defaults config and reports telemetry to AWS; neither may leave the machine.
    config = tmp_path_factory.mktemp("sdk") / "config.yaml"
    config.write_text("SchemaVersion: '1.0'\nSageMaker:\n  PythonSDK:\n    Modules:\n      TelemetryOptOut: true\n")
    saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL", "SAGEMAKER_USER_CONFIG_OVERRIDE")}
    os.environ.update(AWS_ENDPOINT_URL=endpoint, SAGEMAKER_USER_CONFIG_OVERRIDE=str(config))
    boto = boto3.Session(region_name="us-east-1", aws_access_key_id="twin", aws_secret_access_key="twin")
    yield sagemaker.Session(boto_session=boto, default_bucket="sdk-artifacts")
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_pipeline_upsert_twice_start_and_wait(session):
    pipeline = Pipeline(name="sdk-pipeline", parameters=[ParameterInteger("Rows", default_value=5)], steps=[], sagemaker_session=session)
    created = pipeline.upsert(role_arn=ROLE, description="first")
    # On an existing name the SDK updates only when CreatePipeline answers AWS's code and text.
    updated = pipeline.upsert(role_arn=ROLE, description="second")
    assert created["PipelineArn"] == updated["PipelineArn"]
    assert session.sagemaker_client.describe_pipeline(PipelineName="sdk-pipeline")["PipelineDescription"] == "second"
    execution = pipeline.start(parameters={"Rows": 7})
    execution.wait(delay=1, max_attempts=60)
    assert execution.describe()["PipelineExecutionStatus"] == "Succeeded"
    listed = session.sagemaker_client.list_pipeline_parameters_for_execution(PipelineExecutionArn=execution.arn)
    assert listed["PipelineParameters"] == [{"Name": "Rows", "Value": "7"}]


def trained_model(work: Path) -> bytes:
    """model.tar.gz of a model trained on the sample by the containers' own code (as SageMaker would)."""
    raw, processed, opt_ml = work / "raw", work / "processed", work / "opt_ml"
    raw.mkdir()
    shutil.copy(ROOT / "containers" / "data" / "sample.csv", raw / "sample.csv")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "containers" / "processing")}
    subprocess.run([sys.executable, "-m", "processing.preprocess", "--input", str(raw), "--output", str(processed)], env=env, check=True,
                   capture_output=True)
    for channel in ("train", "validation", "encoding"):
        shutil.copytree(processed / channel, opt_ml / "input" / "data" / channel)
    (opt_ml / "input" / "config").mkdir(parents=True)
    (opt_ml / "input" / "config" / "hyperparameters.json").write_text('{"max_iter": "60"}')
    (opt_ml / "input" / "config" / "resourceconfig.json").write_text('{"current_host": "algo-1", "hosts": ["algo-1"]}')
    subprocess.run([sys.executable, str(ROOT / "containers" / "training" / "train")], cwd=ROOT / "containers" / "training",
                   env={**os.environ, "OPT_ML": str(opt_ml)}, check=True, capture_output=True)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for item in (opt_ml / "model").iterdir():
            tar.add(item, arcname=item.name)
    return buffer.getvalue()


def test_predictor_scores_rows_on_an_endpoint(session, tmp_path):
    s3 = session.boto_session.client("s3")
    s3.create_bucket(Bucket="sdk-artifacts")
    s3.put_object(Bucket="sdk-artifacts", Key="model/model.tar.gz", Body=trained_model(tmp_path))
    sm = session.sagemaker_client
    sm.create_model(ModelName="sdk-model", ExecutionRoleArn=ROLE,
                    PrimaryContainer={"Image": f"{REGISTRY}/inference:sdk", "ModelDataUrl": "s3://sdk-artifacts/model/model.tar.gz"})
    sm.create_endpoint_config(EndpointConfigName="sdk-config", ProductionVariants=[
        {"VariantName": "AllTraffic", "ModelName": "sdk-model", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}])
    sm.create_endpoint(EndpointName="sdk-endpoint", EndpointConfigName="sdk-config")
    for _ in range(600):
        status = sm.describe_endpoint(EndpointName="sdk-endpoint")["EndpointStatus"]
        if status != "Creating":
            break
        time.sleep(0.1)
    assert status == "InService"
    rows = [line.split(",")[1:] for line in (ROOT / "containers" / "data" / "sample.csv").read_text().splitlines()[1:4]]
    predictor = Predictor("sdk-endpoint", sagemaker_session=session, serializer=CSVSerializer(), deserializer=CSVDeserializer())
    scores = predictor.predict(rows)
    assert len(scores) == 3
    assert all(0.0 <= float(row[0]) <= 1.0 for row in scores)
    predictor.delete_endpoint(delete_endpoint_config=True)
    # As on AWS, the endpoint reads Deleting for a while: wait as the SDK's own waiter does, then it is gone.
    sm.get_waiter("endpoint_deleted").wait(EndpointName="sdk-endpoint", WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
    with pytest.raises(sm.exceptions.ClientError):
        sm.describe_endpoint(EndpointName="sdk-endpoint")
