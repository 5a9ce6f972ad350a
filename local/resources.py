"""The embedded moto server, the process environment, and the template's resources in it.

Every resource the template declares is created with boto3 against the moto server, in
dependency order, and its physical id registered with the template's resolver, so that
``!Ref`` and ``!GetAtt`` everywhere else (environment, authorizers, outputs) resolve to the
real local names.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable, Mapping
from graphlib import TopologicalSorter
from typing import Any
from urllib.parse import urlsplit

import boto3
import requests
from moto.server import ThreadedMotoServer

from local import moto_streams
from local.cognito import enforce_write_attributes
from local.template import ACCOUNT_ID, REGION, STACK_NAME, Template, references

log = logging.getLogger("local.resources")

ARN_PREFIX = f"arn:aws:{{service}}:{REGION}:{ACCOUNT_ID}:"


class MotoServer:
    """moto's threaded server on 127.0.0.1: ``port`` 0 (or unset MOTO_PORT) picks a free one."""

    def __init__(self, port: int | None = None):
        if port is None:
            port = int(os.environ.get("MOTO_PORT", "0"))
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.endpoint = ""

    def start(self) -> str:
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        return self.endpoint

    def reset(self) -> None:
        """Forget every resource: moto's state is per process, shared by all its servers."""
        requests.post(f"{self.endpoint}/moto-api/reset", timeout=30).raise_for_status()

    def stop(self) -> None:
        self._server.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Environment:
    """Sets process environment variables and puts the previous values back on restore."""

    def __init__(self) -> None:
        self._saved: dict[str, str | None] = {}
        self.values: dict[str, str] = {}  # what was set

    def set(self, values: Mapping[str, str]) -> None:
        for name, value in values.items():
            self._saved.setdefault(name, os.environ.get(name))
            os.environ[name] = value
        self.values.update(values)

    def restore(self) -> None:
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved.clear()


def aws_environment(endpoint: str) -> dict[str, str]:
    """What boto3 (in the runner and in the functions) needs to talk to the moto server."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "POWERTOOLS_TRACE_DISABLED": "true",
        # Never send local traffic through a proxy configured for the outside world.
        "NO_PROXY": ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1,localhost"])),
    }


def aws_client(service: str, endpoint: str) -> Any:
    """A boto3 client for the moto server (explicit, so it works before the env is set)."""
    return boto3.client(  # type: ignore[call-overload]
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


Creator = Callable[["ResourceBuilder", str, dict[str, Any]], None]

# Types the local stack provides otherwise (functions, the HTTP API, rules) or has no use
# for (IAM, logs, alarms): they only get a placeholder id, so references to them resolve.
PROVIDED_ELSEWHERE = (
    "AWS::Serverless::Function",
    "AWS::Lambda::Function",
    "AWS::Serverless::HttpApi",
    "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::LayerVersion",
    "AWS::Lambda::LayerVersion",
    "AWS::Events::Rule",
)
NOT_NEEDED_PREFIXES = (
    "AWS::IAM::",
    "AWS::Lambda::",
    "AWS::Logs::",
    "AWS::CloudWatch::",
    "AWS::ApiGatewayV2::",
    "AWS::SQS::QueuePolicy",
    "AWS::SNS::TopicPolicy",
    # The alarms' email subscription: no alarm fires locally, and moto sends no email.
    "AWS::SNS::Subscription",
    "AWS::Cognito::UserPoolDomain",
    # Cognito's threat protection: moto has none; the product's throttles are local too.
    "AWS::Cognito::UserPoolRiskConfigurationAttachment",
    # moto sends no bounces or complaints: publish them with POST /_local/events.
    "AWS::SES::ConfigurationSetEventDestination",
    "AWS::Serverless::Application",
    # The pages' bucket is created; CloudFront in front of it is local/static.py.
    "AWS::S3::BucketPolicy",
    "AWS::CloudFront::",
)


class ResourceBuilder:
    """Creates the template's resources in moto and registers their ids with its resolver."""

    def __init__(self, template: Template, endpoint: str, api_id: str, api_url: str):
        self.template = template
        self.endpoint = endpoint
        self.api_id = api_id
        self.api_url = api_url
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = aws_client(service, self.endpoint)
        return self._clients[service]

    def create_all(self) -> None:
        resources = self.template.resources
        graph = {
            name: (references(res.get("Properties")) | set(_depends_on(res))) & set(resources)
            for name, res in resources.items()
        }
        for logical_id in TopologicalSorter(graph).static_order():
            resource = resources[logical_id]
            kind = str(resource.get("Type"))
            if "Condition" in resource and not self.template.resolver.condition(
                resource["Condition"]
            ):
                log.debug("%s: condition %s is false", logical_id, resource["Condition"])
                continue
            creator = CREATORS.get(kind)
            if creator:
                creator(
                    self,
                    logical_id,
                    self.template.resolver.resolve(resource.get("Properties") or {}),
                )
                log.debug("created %s %s", kind, logical_id)
                continue
            if kind.startswith(NOT_NEEDED_PREFIXES) or kind in PROVIDED_ELSEWHERE:
                log.debug("%s (%s) needs no local resource", logical_id, kind)
            else:
                log.warning("%s (%s) is not created locally", logical_id, kind)
            _placeholder(self, logical_id, kind, resource.get("Properties") or {})

    # ---- helpers for the creators

    def name_for(self, logical_id: str) -> str:
        """A physical name as CloudFormation would generate one, minus the random suffix."""
        return f"{STACK_NAME}-{logical_id}"

    def api_params(self, service: str, operation: str, properties: Mapping[str, Any]) -> dict:
        """The properties that are also parameters of the API call (most share their names)."""
        model = self.client(service).meta.service_model.operation_model(operation)
        members = set(model.input_shape.members)
        dropped = sorted(set(properties) - members)
        if dropped:
            log.debug("%s.%s: not passing %s", service, operation, ", ".join(dropped))
        return {key: value for key, value in properties.items() if key in members}

    def register(self, logical_id: str, physical_id: Any, **attributes: Any) -> None:
        self.template.resolver.register(logical_id, physical_id, **attributes)


def _depends_on(resource: Mapping[str, Any]) -> list[str]:
    depends = resource.get("DependsOn") or []
    return [depends] if isinstance(depends, str) else list(depends)


def _arn(service: str, resource: str, region: bool = True) -> str:
    if not region:
        return f"arn:aws:{service}::{ACCOUNT_ID}:{resource}"
    return ARN_PREFIX.format(service=service) + resource


# ------------------------------------------------------------------------------ creators


def _table(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    name = props.get("TableName") or builder.name_for(logical_id)
    params = builder.api_params("dynamodb", "CreateTable", props)
    params["TableName"] = name
    params.pop("SSESpecification", None)  # CloudFormation's shape differs; no use locally
    if "StreamSpecification" in props:
        moto_streams.enable()  # moto's stream, fit to poll for hours (local/moto_streams.py)
        params["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    dynamodb = builder.client("dynamodb")
    table = dynamodb.create_table(**params)["TableDescription"]
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        dynamodb.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
        )
    builder.register(
        logical_id, name, Arn=table["TableArn"], StreamArn=table.get("LatestStreamArn")
    )


def _bucket(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    name = props.get("BucketName") or builder.name_for(logical_id).lower()
    builder.client("s3").create_bucket(Bucket=name)
    builder.register(
        logical_id,
        name,
        Arn=f"arn:aws:s3:::{name}",
        DomainName=f"{name}.s3.amazonaws.com",
        RegionalDomainName=f"{name}.s3.{REGION}.amazonaws.com",
        WebsiteURL=f"http://{name}.s3-website-{REGION}.amazonaws.com",
    )


def _user_pool(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    params = builder.api_params("cognito-idp", "CreateUserPool", props)
    params["PoolName"] = props.get("UserPoolName") or builder.name_for(logical_id)
    pool = builder.client("cognito-idp").create_user_pool(**params)["UserPool"]
    provider = f"cognito-idp.{REGION}.amazonaws.com/{pool['Id']}"
    builder.register(
        logical_id,
        pool["Id"],
        Arn=pool["Arn"],
        ProviderName=provider,
        ProviderURL=f"https://{provider}",
        UserPoolId=pool["Id"],
    )


def _user_pool_client(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    enforce_write_attributes()  # as AWS does, and moto does not (local/cognito.py)
    params = builder.api_params("cognito-idp", "CreateUserPoolClient", props)
    params.setdefault("ClientName", logical_id)
    client = builder.client("cognito-idp").create_user_pool_client(**params)["UserPoolClient"]
    builder.register(
        logical_id,
        client["ClientId"],
        ClientId=client["ClientId"],
        ClientSecret=client.get("ClientSecret"),
        Name=client["ClientName"],
    )


def _user_pool_group(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    params = builder.api_params("cognito-idp", "CreateGroup", props)
    params.setdefault("GroupName", logical_id)
    builder.client("cognito-idp").create_group(**params)
    builder.register(logical_id, params["GroupName"])


def _event_bus(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    name = props.get("Name") or builder.name_for(logical_id)
    arn = builder.client("events").create_event_bus(Name=name)["EventBusArn"]
    builder.register(logical_id, name, Arn=arn, Name=name)


def _queue(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    fifo = str(props.get("FifoQueue", "")).lower() == "true"
    name = props.get("QueueName") or builder.name_for(logical_id) + (".fifo" if fifo else "")
    attributes = {
        key: json.dumps(value)
        if isinstance(value, dict)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
        for key, value in props.items()
        if key not in ("QueueName", "Tags")
    }
    tags = {tag["Key"]: tag["Value"] for tag in props.get("Tags") or []}
    sqs = builder.client("sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes, tags=tags)["QueueUrl"]
    builder.register(logical_id, url, Arn=_arn("sqs", name), QueueName=name, QueueUrl=url)


def _email_identity(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    identity = str(props["EmailIdentity"])
    ses = builder.client("ses")
    if "@" in identity:
        ses.verify_email_identity(EmailAddress=identity)
    else:
        ses.verify_domain_identity(Domain=identity)
    builder.register(logical_id, identity)


def _configuration_set(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    name = props.get("Name") or builder.name_for(logical_id)
    builder.client("ses").create_configuration_set(ConfigurationSet={"Name": name})
    builder.register(logical_id, name)


def _secret(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    secrets = builder.client("secretsmanager")
    value = props.get("SecretString")
    generate = props.get("GenerateSecretString")
    if value is None and generate is not None:
        options = builder.api_params("secretsmanager", "GetRandomPassword", generate)
        password = secrets.get_random_password(**options)["RandomPassword"]
        if "SecretStringTemplate" in generate:
            document = json.loads(generate["SecretStringTemplate"])
            document[generate["GenerateStringKey"]] = password
            value = json.dumps(document)
        else:
            value = password
    params = builder.api_params("secretsmanager", "CreateSecret", props)
    params["Name"] = props.get("Name") or builder.name_for(logical_id)
    if value is not None:
        params["SecretString"] = value
    arn = secrets.create_secret(**params)["ARN"]
    builder.register(logical_id, arn, Id=arn)


def _topic(builder: ResourceBuilder, logical_id: str, props: dict[str, Any]) -> None:
    name = props.get("TopicName") or builder.name_for(logical_id)
    arn = builder.client("sns").create_topic(Name=name)["TopicArn"]
    builder.register(logical_id, arn, TopicArn=arn, TopicName=name)


def _placeholder(builder: ResourceBuilder, logical_id: str, kind: str, raw: dict) -> None:
    """Ids for resources that are not created in moto, so references to them resolve.

    Only the naming property is resolved: the rest (policies, events) may refer to what
    does not exist locally.
    """

    def name(key: str) -> str:
        return str(builder.template.resolver.resolve(raw.get(key)) or builder.name_for(logical_id))

    if kind in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
        function = name("FunctionName")
        builder.register(logical_id, function, Arn=_arn("lambda", f"function:{function}"))
    elif kind in ("AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"):
        builder.register(
            logical_id, builder.api_id, ApiEndpoint=builder.api_url, ApiId=builder.api_id
        )
    elif kind in ("AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"):
        builder.register(logical_id, _arn("lambda", f"layer:{name('LayerName')}:1"))
    elif kind == "AWS::IAM::Role":
        role = name("RoleName")
        builder.register(logical_id, role, Arn=_arn("iam", f"role/{role}", region=False))
    elif kind == "AWS::CloudFront::Distribution":
        # Locally the gateway serves the pages too: the distribution's domain is its host.
        domain = urlsplit(builder.api_url).netloc
        builder.register(logical_id, logical_id, DomainName=domain, Id=logical_id)
    elif kind == "AWS::Events::Rule":
        rule = name("Name")
        builder.register(logical_id, rule, Arn=_arn("events", f"rule/{rule}"))
    else:
        builder.register(logical_id, logical_id)


CREATORS: dict[str, Creator] = {
    "AWS::DynamoDB::Table": _table,
    "AWS::S3::Bucket": _bucket,
    "AWS::Cognito::UserPool": _user_pool,
    "AWS::Cognito::UserPoolClient": _user_pool_client,
    "AWS::Cognito::UserPoolGroup": _user_pool_group,
    "AWS::Events::EventBus": _event_bus,
    "AWS::SQS::Queue": _queue,
    "AWS::SES::EmailIdentity": _email_identity,
    "AWS::SES::ConfigurationSet": _configuration_set,
    "AWS::SecretsManager::Secret": _secret,
    "AWS::SNS::Topic": _topic,
}
