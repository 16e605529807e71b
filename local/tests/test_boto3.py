# ruff: noqa: F811
"""The twin driven by boto3, a second client independent of the JavaScript SDK: the protocols must
be AWS's, not just whatever the JS SDK happens to accept."""
import hashlib
import os
import time

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

# The fixture comes from twin_process.py (a conftest.py here would shadow the containers' own).
from twin_process import endpoint  # noqa: F401


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
        client("sagemaker", endpoint).describe_feature_group(FeatureGroupName="x")
    assert "does not implement SageMaker DescribeFeatureGroup" in error.value.response["Error"]["Message"]


TEMPLATE = """
Parameters:
  Suffix: {Type: String, AllowedValues: [one, two]}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "boto-${Suffix}"
Outputs:
  BucketArn:
    Value: !GetAtt Bucket.Arn
    Export: {Name: !Sub "${AWS::StackName}-BucketArn"}
"""


def wait(check, what):
    for _ in range(200):
        value = check()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"{what} did not happen")


def change_set(cfn, name, status):
    def check():
        described = cfn.describe_change_set(StackName="boto-stack", ChangeSetName=name)
        return described if described["Status"] == status else None
    return wait(check, f"change set {name} {status}")


def test_cloudformation_change_sets_stacks_and_errors(endpoint):
    cfn = client("cloudformation", endpoint)
    validated = cfn.validate_template(TemplateBody=TEMPLATE)
    assert [p["ParameterKey"] for p in validated["Parameters"]] == ["Suffix"]
    with pytest.raises(ClientError) as error:
        cfn.describe_stacks(StackName="boto-stack")
    response = error.value.response["Error"]
    assert (response["Code"], response["Message"]) == ("ValidationError", "Stack with id boto-stack does not exist")
    with pytest.raises(ClientError) as error:
        cfn.create_change_set(StackName="boto-stack", ChangeSetName="bad", ChangeSetType="CREATE", TemplateBody=TEMPLATE,
                              Parameters=[{"ParameterKey": "Suffix", "ParameterValue": "three"}])
    assert error.value.response["Error"]["Message"] == "Parameter 'Suffix' must be one of AllowedValues"

    params = [{"ParameterKey": "Suffix", "ParameterValue": "one"}]
    cfn.create_change_set(StackName="boto-stack", ChangeSetName="first", ChangeSetType="CREATE", TemplateBody=TEMPLATE, Parameters=params)
    described = change_set(cfn, "first", "CREATE_COMPLETE")
    assert [(c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"]) for c in described["Changes"]] == [("Add", "Bucket")]
    cfn.execute_change_set(StackName="boto-stack", ChangeSetName="first")
    stack = wait(lambda: (s := cfn.describe_stacks(StackName="boto-stack")["Stacks"][0])["StackStatus"] == "CREATE_COMPLETE" and s, "create")
    assert stack["Outputs"][0]["OutputValue"] == "arn:aws:s3:::boto-one"
    assert cfn.list_exports()["Exports"][0]["Name"] == "boto-stack-BucketArn"
    assert client("s3", endpoint).head_bucket(Bucket="boto-one")["ResponseMetadata"]["HTTPStatusCode"] == 200

    cfn.create_change_set(StackName="boto-stack", ChangeSetName="same", TemplateBody=TEMPLATE, Parameters=params)
    empty = change_set(cfn, "same", "FAILED")
    assert empty["StatusReason"].startswith("The submitted information didn't contain changes.")

    two = [{"ParameterKey": "Suffix", "ParameterValue": "two"}]
    cfn.create_change_set(StackName="boto-stack", ChangeSetName="rename", TemplateBody=TEMPLATE, Parameters=two)
    renamed = change_set(cfn, "rename", "CREATE_COMPLETE")
    change = renamed["Changes"][0]["ResourceChange"]
    assert (change["Action"], change["Replacement"], change["Details"][0]["Target"]["Name"]) == ("Modify", "True", "BucketName")

    stack_id = stack["StackId"]
    cfn.delete_stack(StackName="boto-stack")
    # A deleted stack is gone by name, but CloudFormation still describes it by id and lists it (for 90 days), with its events.
    wait(lambda: [s["StackId"] for s in cfn.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]] == [stack_id], "delete")
    with pytest.raises(ClientError) as error:
        cfn.describe_stacks(StackName="boto-stack")
    assert error.value.response["Error"]["Message"] == "Stack with id boto-stack does not exist"
    deleted = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]
    assert (deleted["StackStatus"], "DeletionTime" in deleted) == ("DELETE_COMPLETE", True)
    assert cfn.describe_stack_events(StackName=stack_id)["StackEvents"][0]["ResourceStatus"] == "DELETE_COMPLETE"
    assert [s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"]] == ["DELETE_COMPLETE"]
    assert cfn.list_stacks(StackStatusFilter=["CREATE_COMPLETE"])["StackSummaries"] == []
    with pytest.raises(ClientError):
        client("s3", endpoint).head_bucket(Bucket="boto-one")


def test_autoscaling_and_runtime_name_the_missing_endpoint(endpoint):
    with pytest.raises(ClientError) as error:
        client("application-autoscaling", endpoint).register_scalable_target(
            ServiceNamespace="sagemaker", ResourceId="endpoint/absent/variant/AllTraffic",
            ScalableDimension="sagemaker:variant:DesiredInstanceCount", MinCapacity=1, MaxCapacity=2)
    assert error.value.response["Error"]["Message"] == "The endpoint absent does not exist."
    with pytest.raises(ClientError) as error:
        client("sagemaker-runtime", endpoint).invoke_endpoint(EndpointName="absent", Body=b"1,2", ContentType="text/csv")
    assert (error.value.response["Error"]["Code"], error.value.response["Error"]["Message"]) == (
        "ValidationError", "Endpoint absent of account 111111111111 not found.")


def test_cloudwatch_metrics_and_alarms_over_query(endpoint):
    cw = client("cloudwatch", endpoint)
    dims = [{"Name": "Job", "Value": "drift"}]
    now = time.time()
    cw.put_metric_data(Namespace="Churn", MetricData=[{"MetricName": "Drift", "Dimensions": dims, "Value": v, "Timestamp": now} for v in (0.1, 0.3)])
    stats = cw.get_metric_statistics(Namespace="Churn", MetricName="Drift", Dimensions=dims, StartTime=now - 60, EndTime=now + 60, Period=120,
                                     Statistics=["Sum", "Maximum"])
    assert [(round(d["Sum"], 6), d["Maximum"]) for d in stats["Datapoints"]] == [(0.4, 0.3)]
    cw.put_metric_alarm(AlarmName="boto-drift", Namespace="Churn", MetricName="Drift", Dimensions=dims, Statistic="Maximum", Period=60,
                        EvaluationPeriods=1, Threshold=0.2, ComparisonOperator="GreaterThanThreshold")
    alarm = cw.describe_alarms(AlarmNames=["boto-drift"])["MetricAlarms"][0]
    assert (alarm["StateValue"], alarm["Threshold"]) == ("ALARM", 0.2)
    cw.set_alarm_state(AlarmName="boto-drift", StateValue="OK", StateReason="acknowledged")
    assert cw.describe_alarms(AlarmNames=["boto-drift"])["MetricAlarms"][0]["StateReason"] == "acknowledged"
    summaries = [h["HistorySummary"] for h in cw.describe_alarm_history(AlarmName="boto-drift", HistoryItemType="StateUpdate")["AlarmHistoryItems"]]
    assert summaries == ["Alarm updated from ALARM to OK", "Alarm updated from INSUFFICIENT_DATA to ALARM"]
    with pytest.raises(ClientError) as error:
        cw.set_alarm_state(AlarmName="absent", StateValue="OK", StateReason="x")
    assert error.value.response["Error"]["Code"] == "ResourceNotFound"


def test_s3_large_objects_round_trip_through_multipart_upload_and_ranged_parallel_download(endpoint, tmp_path):
    s3 = client("s3", endpoint)
    s3.create_bucket(Bucket="boto-large")
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(24 * 1024 * 1024))
    config = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024, max_concurrency=4)
    s3.upload_file(str(source), "boto-large", "data/big.bin", Config=config)
    head = s3.head_object(Bucket="boto-large", Key="data/big.bin")
    assert head["ContentLength"] == 24 * 1024 * 1024 and head["ETag"].endswith('-3"')
    target = tmp_path / "back.bin"
    s3.download_file("boto-large", "data/big.bin", str(target), Config=config)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == hashlib.sha256(source.read_bytes()).hexdigest()
    part = s3.get_object(Bucket="boto-large", Key="data/big.bin", Range="bytes=10-19")
    assert (part["ResponseMetadata"]["HTTPStatusCode"], part["ContentRange"], part["Body"].read()) == (
        206, f"bytes 10-19/{24 * 1024 * 1024}", source.read_bytes()[10:20])
    with pytest.raises(ClientError) as error:
        s3.get_object(Bucket="boto-large", Key="data/big.bin", Range=f"bytes={30 * 1024 * 1024}-")
    assert error.value.response["Error"]["Code"] == "InvalidRange"


def test_s3_copy_delete_many_list_v1_and_recreate(endpoint):
    s3 = client("s3", endpoint)
    s3.create_bucket(Bucket="boto-copy")
    # Creating a bucket you own again succeeds in us-east-1, as S3 answers it there.
    s3.create_bucket(Bucket="boto-copy")
    west = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1", aws_access_key_id="twin", aws_secret_access_key="twin")
    west.create_bucket(Bucket="boto-west", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    with pytest.raises(ClientError) as error:
        west.create_bucket(Bucket="boto-west", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert error.value.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"
    s3.put_object(Bucket="boto-copy", Key="a.txt", Body=b"alpha", Metadata={"owner": "ml"})
    s3.copy_object(Bucket="boto-copy", Key="copies/a.txt", CopySource={"Bucket": "boto-copy", "Key": "a.txt"})
    copied = s3.get_object(Bucket="boto-copy", Key="copies/a.txt")
    assert (copied["Body"].read(), copied["Metadata"]) == (b"alpha", {"owner": "ml"})
    for i in range(5):
        s3.put_object(Bucket="boto-copy", Key=f"many/{i}.txt", Body=b"x")
    # boto3's resource collections page through ListObjects (v1) with markers.
    keys = [o.key for o in boto3.resource("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="twin",
                                          aws_secret_access_key="twin").Bucket("boto-copy").objects.page_size(2)]
    assert keys == ["a.txt", "copies/a.txt", "many/0.txt", "many/1.txt", "many/2.txt", "many/3.txt", "many/4.txt"]
    deleted = s3.delete_objects(Bucket="boto-copy", Delete={"Objects": [{"Key": f"many/{i}.txt"} for i in range(5)]})
    assert sorted(d["Key"] for d in deleted["Deleted"]) == [f"many/{i}.txt" for i in range(5)]
    assert [o["Key"] for o in s3.list_objects(Bucket="boto-copy")["Contents"]] == ["a.txt", "copies/a.txt"]


def test_list_operations_a_cli_reaches(endpoint):
    sm = client("sagemaker", endpoint)
    sm.create_pipeline(PipelineName="boto-list", RoleArn="arn:aws:iam::111111111111:role/sm",
                       PipelineDefinition='{"Version": "2020-12-01", "Parameters": [], "Steps": []}')
    assert [p["PipelineName"] for p in sm.list_pipelines(PipelineNamePrefix="boto")["PipelineSummaries"]] == ["boto-list"]
    sm.create_model(ModelName="boto-model", PrimaryContainer={"Image": "img:1"}, ExecutionRoleArn="arn:aws:iam::111111111111:role/sm")
    sm.create_endpoint_config(EndpointConfigName="boto-config", ProductionVariants=[
        {"VariantName": "AllTraffic", "ModelName": "boto-model", "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}])
    assert [m["ModelName"] for m in sm.list_models(NameContains="boto-")["Models"]] == ["boto-model"]
    assert [c["EndpointConfigName"] for c in sm.list_endpoint_configs()["EndpointConfigs"]] == ["boto-config"]
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []
    assert sm.list_processing_jobs(StatusEquals="Completed")["ProcessingJobSummaries"] == []

    ecr = client("ecr", endpoint)
    ecr.create_repository(repositoryName="boto/images")
    ecr.put_image(repositoryName="boto/images", imageManifest='{"schemaVersion": 2}', imageTag="v1")
    ids = ecr.list_images(repositoryName="boto/images")["imageIds"]
    assert [i["imageTag"] for i in ids] == ["v1"]
    got = ecr.batch_get_image(repositoryName="boto/images", imageIds=[{"imageTag": "v1"}, {"imageTag": "absent"}])
    assert (got["images"][0]["imageManifest"], got["failures"][0]["failureCode"]) == ('{"schemaVersion": 2}', "ImageNotFound")

    cw = client("cloudwatch", endpoint)
    cw.put_metric_data(Namespace="BotoList", MetricData=[{"MetricName": "Rows", "Dimensions": [{"Name": "Job", "Value": "a"}], "Value": 1}])
    listed = cw.list_metrics(Namespace="BotoList", Dimensions=[{"Name": "Job"}])["Metrics"]
    assert listed == [{"Namespace": "BotoList", "MetricName": "Rows", "Dimensions": [{"Name": "Job", "Value": "a"}]}]


def test_what_the_sagemaker_python_sdk_reads(endpoint):
    sm = client("sagemaker", endpoint)
    sm.create_model_package_group(ModelPackageGroupName="boto-sdk")
    arn = sm.create_model_package(ModelPackageGroupName="boto-sdk", InferenceSpecification={
        "Containers": [{"Image": "img:1"}], "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]})["ModelPackageArn"]
    # The SDK's waiters name a versioned package as group/version.
    assert sm.describe_model_package(ModelPackageName="boto-sdk/1")["ModelPackageArn"] == arn
    # Without a group, SageMaker lists unversioned packages unless asked for versioned ones.
    assert sm.list_model_packages()["ModelPackageSummaryList"] == []
    assert arn in [p["ModelPackageArn"] for p in sm.list_model_packages(ModelPackageType="Versioned")["ModelPackageSummaryList"]]
    sm.create_pipeline(PipelineName="boto-params", RoleArn="arn:aws:iam::111111111111:role/sm", PipelineDefinition=(
        '{"Version": "2020-12-01", "Parameters": [{"Name": "Rows", "Type": "Integer", "DefaultValue": 5}], "Steps": []}'))
    execution = sm.start_pipeline_execution(PipelineName="boto-params", PipelineParameters=[{"Name": "Rows", "Value": "7"}])["PipelineExecutionArn"]
    assert sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=execution)["PipelineParameters"] == [{"Name": "Rows", "Value": "7"}]
    # Pipeline.upsert in the SageMaker Python SDK updates only on this code and text for an existing name.
    with pytest.raises(ClientError) as error:
        sm.create_pipeline(PipelineName="boto-params", RoleArn="arn:aws:iam::111111111111:role/sm",
                           PipelineDefinition='{"Version": "2020-12-01", "Steps": []}')
    assert error.value.response["Error"]["Code"] == "ValidationException"
    assert "Pipeline names must be unique within" in error.value.response["Error"]["Message"]


def test_cloudwatch_units_and_minute_alignment(endpoint):
    cw = client("cloudwatch", endpoint)
    dims = [{"Name": "Job", "Value": "units"}]
    minute = (int(time.time()) // 60) * 60
    cw.put_metric_data(Namespace="BotoUnits", MetricData=[
        {"MetricName": "Latency", "Dimensions": dims, "Value": 120, "Unit": "Milliseconds", "Timestamp": minute + 5},
        {"MetricName": "Latency", "Dimensions": dims, "Value": 3, "Unit": "Seconds", "Timestamp": minute + 10},
    ])
    query = {"Namespace": "BotoUnits", "MetricName": "Latency", "Dimensions": dims, "StartTime": minute + 1, "EndTime": minute + 120,
             "Period": 60, "Statistics": ["Maximum"]}
    # The datapoint is aligned to the whole minute although StartTime is not, and keeps its unit.
    ms_points = cw.get_metric_statistics(**query, Unit="Milliseconds")["Datapoints"]
    assert [(int(p["Timestamp"].timestamp()), p["Maximum"], p["Unit"]) for p in ms_points] == [(minute, 120.0, "Milliseconds")]
    s_points = cw.get_metric_statistics(**query, Unit="Seconds")["Datapoints"]
    assert [(p["Maximum"], p["Unit"]) for p in s_points] == [(3.0, "Seconds")]


def test_cloudformation_keeps_what_deletion_policy_retains(endpoint):
    cfn = client("cloudformation", endpoint)
    template = ("Resources:\n  Kept:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    Properties: {BucketName: boto-kept}\n"
                "  Gone:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: boto-gone}\n")
    stack_id = cfn.create_stack(StackName="boto-retain", TemplateBody=template)["StackId"]
    wait(lambda: cfn.describe_stacks(StackName="boto-retain")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE", "create")
    cfn.delete_stack(StackName="boto-retain")
    wait(lambda: cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE", "delete")
    s3 = client("s3", endpoint)
    assert s3.head_bucket(Bucket="boto-kept")["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(ClientError):
        s3.head_bucket(Bucket="boto-gone")
    events = [(e["LogicalResourceId"], e["ResourceStatus"]) for e in cfn.describe_stack_events(StackName=stack_id)["StackEvents"]]
    assert ("Kept", "DELETE_SKIPPED") in events and ("Gone", "DELETE_COMPLETE") in events


def test_cloudformation_operation_events_and_last_operations(endpoint):
    cfn = client("cloudformation", endpoint)
    cfn.create_stack(StackName="boto-ops", TemplateBody="Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: boto-ops}\n")
    for _ in range(200):
        stack = cfn.describe_stacks(StackName="boto-ops")["Stacks"][0]
        if stack["StackStatus"] == "CREATE_COMPLETE":
            break
        time.sleep(0.05)
    (last,) = stack["LastOperations"]
    assert last["OperationType"] == "CREATE_STACK"
    events = cfn.describe_events(OperationId=last["OperationId"])["OperationEvents"]
    assert {e["OperationType"] for e in events} == {"CREATE_STACK"}
    assert [e["ResourceStatus"] for e in events if e["EventType"] == "STACK_EVENT"] == ["CREATE_COMPLETE", "CREATE_IN_PROGRESS"]
    assert all(e["OperationStatus"] == "SUCCEEDED" and e["StartTime"] <= e["Timestamp"] for e in events)
    with pytest.raises(ClientError) as error:
        cfn.describe_events()
    assert error.value.response["Error"]["Message"] == "One of ChangeSetName, OperationId or StackName must be specified"
