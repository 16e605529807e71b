"""The twin driven by boto3, a second client independent of the JavaScript SDK: the protocols must
be AWS's, not just whatever the JS SDK happens to accept."""
import os
import re
import subprocess
import tempfile
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def endpoint():
    state = tempfile.mkdtemp(prefix="twin-boto3-")
    env = {**os.environ, "TWIN_PORT": "0", "TWIN_STATE_DIR": state, "TWIN_TIME_SCALE": "1000000"}
    proc = subprocess.Popen(["npx", "tsx", "local/main.ts"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = None
    for line in proc.stdout:
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            url = m.group(1)
            break
    if url is None:
        proc.kill()
        pytest.fail("the twin did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def client(service, endpoint, **extra):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="twin", aws_secret_access_key="twin", **extra)


def test_sts_identity_and_role_assumption(endpoint):
    sts = client("sts", endpoint)
    assert sts.get_caller_identity()["Account"] == "111111111111"
    assumed = sts.assume_role_with_web_identity(RoleArn="arn:aws:iam::222222222222:role/staging", RoleSessionName="gh", WebIdentityToken="jwt-token")
    assert assumed["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/staging/gh"
    creds = assumed["Credentials"]
    as_role = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"],
                           aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    assert as_role.get_caller_identity()["Account"] == "222222222222"


def test_s3_objects_and_errors(endpoint):
    s3 = client("s3", endpoint)
    s3.create_bucket(Bucket="boto-bucket")
    s3.put_object(Bucket="boto-bucket", Key="a/b.txt", Body=b"hello")
    assert s3.get_object(Bucket="boto-bucket", Key="a/b.txt")["Body"].read() == b"hello"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="boto-bucket", Prefix="a/")["Contents"]] == ["a/b.txt"]
    with pytest.raises(ClientError) as error:
        s3.get_object(Bucket="boto-bucket", Key="missing")
    assert error.value.response["Error"]["Code"] == "NoSuchKey"


def test_model_registry(endpoint):
    sm = client("sagemaker", endpoint)
    sm.create_model_package_group(ModelPackageGroupName="boto-group")
    with pytest.raises(ClientError) as error:
        sm.describe_model_package_group(ModelPackageGroupName="absent")
    assert error.value.response["Error"]["Code"] == "ValidationException"
    assert "does not exist" in error.value.response["Error"]["Message"]
    arn = sm.create_model_package(
        ModelPackageGroupName="boto-group",
        InferenceSpecification={"Containers": [{"Image": "img:1", "ModelDataUrl": "s3://b/m.tar.gz"}], "SupportedContentTypes": ["text/csv"],
                                "SupportedResponseMIMETypes": ["text/csv"]},
    )["ModelPackageArn"]
    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="by boto3")
    described = sm.describe_model_package(ModelPackageName=arn)
    assert (described["ModelApprovalStatus"], described["ApprovalDescription"]) == ("Approved", "by boto3")
    listed = sm.list_model_packages(ModelPackageGroupName="boto-group", ModelApprovalStatus="Approved")["ModelPackageSummaryList"]
    assert [p["ModelPackageArn"] for p in listed] == [arn]
    assert listed[0]["CreationTime"].year >= 2026


def test_unimplemented_operations_name_themselves(endpoint):
    with pytest.raises(ClientError) as error:
        client("sagemaker", endpoint).describe_endpoint(EndpointName="x")
    assert "does not implement SageMaker DescribeEndpoint" in error.value.response["Error"]["Message"]
