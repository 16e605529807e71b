# ruff: noqa: F811
"""The twin driven by the AWS CLI, as a user at a terminal drives it: the commands run as separate
processes with only AWS_ENDPOINT_URL pointing at the twin."""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

# The fixture comes from twin_process.py (a conftest.py here would shadow the containers' own).
from twin_process import endpoint  # noqa: F401

AWS = str(Path(sys.executable).with_name("aws"))


def aws(endpoint, *args, check=True):
    env = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "twin", "AWS_SECRET_ACCESS_KEY": "twin",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": ""}
    result = subprocess.run([AWS, *args, "--output", "json"], env=env, capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_s3_copy_list_and_remove(endpoint, tmp_path):
    # 20 MB: the CLI uploads it in parts and downloads it in parallel ranges.
    source = tmp_path / "model.tar.gz"
    source.write_bytes(os.urandom(20 * 1024 * 1024))
    aws(endpoint, "s3", "mb", "s3://cli-bucket")
    aws(endpoint, "s3", "cp", str(source), "s3://cli-bucket/models/model.tar.gz")
    listed = aws(endpoint, "s3", "ls", "s3://cli-bucket/models/").stdout
    assert "model.tar.gz" in listed and str(20 * 1024 * 1024) in listed
    aws(endpoint, "s3", "cp", "s3://cli-bucket/models/model.tar.gz", str(tmp_path / "back.tar.gz"))
    assert hashlib.sha256((tmp_path / "back.tar.gz").read_bytes()).hexdigest() == hashlib.sha256(source.read_bytes()).hexdigest()
    aws(endpoint, "s3", "rm", "s3://cli-bucket/models/model.tar.gz")
    assert aws(endpoint, "s3", "ls", "s3://cli-bucket/models/", check=False).stdout == ""


def test_sagemaker_lists_and_a_clear_not_found(endpoint):
    assert json.loads(aws(endpoint, "sagemaker", "list-pipelines").stdout)["PipelineSummaries"] == []
    assert json.loads(aws(endpoint, "sagemaker", "list-endpoints").stdout)["Endpoints"] == []
    missing = aws(endpoint, "sagemaker", "describe-endpoint", "--endpoint-name", "nope", check=False)
    assert missing.returncode == 255  # the CLI's code for an error AWS answered
    assert "An error occurred (ValidationException) when calling the DescribeEndpoint operation: Could not find endpoint" in missing.stderr


def test_cloudformation_deploy_and_describe_events(endpoint, tmp_path):
    template = tmp_path / "bucket.yaml"
    template.write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: cli-stack-bucket}\n"
                        "Outputs:\n  Name: {Value: !Ref B}\n")
    aws(endpoint, "cloudformation", "deploy", "--stack-name", "cli-stack", "--template-file", str(template))
    stack = json.loads(aws(endpoint, "cloudformation", "describe-stacks", "--stack-name", "cli-stack").stdout)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert stack["Outputs"] == [{"OutputKey": "Name", "OutputValue": "cli-stack-bucket"}]
    events = json.loads(aws(endpoint, "cloudformation", "describe-events", "--stack-name", "cli-stack").stdout)["OperationEvents"]
    assert {e["OperationType"] for e in events} == {"CREATE_CHANGESET", "CREATE_STACK"}
    # The CLI knows an empty change set by the reason CloudFormation gives; GetTemplateSummary comes first.
    again = aws(endpoint, "cloudformation", "deploy", "--stack-name", "cli-stack", "--template-file", str(template), "--no-fail-on-empty-changeset")
    assert "No changes to deploy. Stack cli-stack is up to date" in again.stdout + again.stderr
    summary = json.loads(aws(endpoint, "cloudformation", "get-template-summary", "--stack-name", "cli-stack").stdout)
    assert summary["ResourceTypes"] == ["AWS::S3::Bucket"]
    assert summary["ResourceIdentifierSummaries"] == [{"ResourceType": "AWS::S3::Bucket", "LogicalResourceIds": ["B"]}]
