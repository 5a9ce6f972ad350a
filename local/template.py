"""Read template.yaml: CloudFormation short tags, intrinsic functions and the SAM wiring.

The template is the single source of truth for the local stack: resources, routes,
authorizers, rules, schedules and environment are all read from it here, so the runner and
the tests never repeat them.

Resolving an intrinsic needs the physical ids of the resources it refers to; those are
registered with :meth:`Resolver.register` as :mod:`local.resources` creates them. Asking
for something not created yet raises :class:`UnresolvedReference`.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
STACK_NAME = "crm-local"

PSEUDO_PARAMETERS: dict[str, Any] = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT_ID,
    "AWS::StackName": STACK_NAME,
    "AWS::StackId": (
        f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/{STACK_NAME}/"
        "00000000-0000-0000-0000-000000000000"
    ),
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NotificationARNs": [],
}

FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")
SUPPORTED_EVENT_TYPES = (
    "HttpApi",
    "EventBridgeRule",
    "CloudWatchEvent",
    "Schedule",
    "ScheduleV2",
    "SQS",
    "DynamoDB",
)


# ------------------------------------------------------------------------------ loading


class CfnLoader(yaml.SafeLoader):
    """A YAML loader that turns CloudFormation short tags (``!Ref``...) into long forms."""


def _construct_short_tag(loader: CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix in ("Ref", "Condition"):
        return {suffix: value}
    if suffix == "GetAtt" and isinstance(value, str):
        resource, _, attribute = value.partition(".")
        value = [resource, attribute]
    return {f"Fn::{suffix}": value}


CfnLoader.add_multi_constructor("!", _construct_short_tag)


def load_template(path: Path) -> dict[str, Any]:
    """The template as plain data, intrinsics in their long form."""
    with path.open(encoding="utf-8") as stream:
        document = yaml.load(stream, Loader=CfnLoader)  # noqa: S506 - a SafeLoader subclass
    if not isinstance(document, dict):
        raise ValueError(f"{path} is not a CloudFormation template")
    return document


# ---------------------------------------------------------------------------- resolving


class UnresolvedReference(KeyError):
    """A Ref or GetAtt to something that has no value (yet)."""


class _NoValue:
    """``AWS::NoValue``: the key or list item holding it disappears."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()
_SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class Resolver:
    """Evaluates intrinsic functions against parameters, pseudo parameters and resources."""

    def __init__(self, document: Mapping[str, Any], overrides: Mapping[str, str] | None = None):
        self.document = document
        self.parameters: dict[str, Any] = {}
        for name, spec in (document.get("Parameters") or {}).items():
            value = (overrides or {}).get(name, spec.get("Default"))
            if value is None:
                raise ValueError(f"parameter {name} has no default and no override")
            if str(spec.get("Type", "String")).startswith(("List<", "CommaDelimitedList")):
                self.parameters[name] = [item.strip() for item in str(value).split(",")]
            else:
                self.parameters[name] = str(value)
        self.physical_ids: dict[str, Any] = {}
        self.attributes: dict[str, dict[str, Any]] = {}

    def register(self, logical_id: str, physical_id: Any, **attributes: Any) -> None:
        """Record what Ref and GetAtt of a created resource answer."""
        self.physical_ids[logical_id] = physical_id
        self.attributes[logical_id] = attributes

    def ref(self, name: str) -> Any:
        if name in PSEUDO_PARAMETERS:
            return PSEUDO_PARAMETERS[name]
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.parameters:
            return self.parameters[name]
        if name in self.physical_ids:
            return self.physical_ids[name]
        raise UnresolvedReference(f"Ref {name}")

    def get_att(self, logical_id: str, attribute: str) -> Any:
        try:
            return self.attributes[logical_id][attribute]
        except KeyError:
            raise UnresolvedReference(f"GetAtt {logical_id}.{attribute}") from None

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.document["Conditions"][name]))

    def resolve(self, value: Any) -> Any:
        """``value`` with every intrinsic function evaluated."""
        if isinstance(value, list):
            items = (self.resolve(item) for item in value)
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return self.ref(argument)
            if key == "Condition":
                return self.condition(argument)
            if key.startswith("Fn::"):
                return self._function(key[4:], argument)
        resolved = ((key, self.resolve(item)) for key, item in value.items())
        return {key: item for key, item in resolved if item is not NO_VALUE}

    def _function(self, name: str, argument: Any) -> Any:
        if name == "If":
            condition, if_true, if_false = argument
            return self.resolve(if_true if self.condition(condition) else if_false)
        if name == "Sub":
            return self._sub(argument)
        if name == "GetAtt":
            if isinstance(argument, str):  # Fn::GetAtt: Resource.Attribute
                argument = argument.split(".", 1)
            logical_id, attribute = self.resolve(argument)
            return self.get_att(logical_id, attribute)
        args = self.resolve(argument)
        match name:
            case "Join":
                return str(args[0]).join(str(item) for item in args[1])
            case "Select":
                return args[1][int(args[0])]
            case "Split":
                return str(args[1]).split(args[0])
            case "Equals":
                return args[0] == args[1]
            case "Not":
                return not args[0]
            case "And":
                return all(args)
            case "Or":
                return any(args)
            case "FindInMap":
                return self.document["Mappings"][args[0]][args[1]][args[2]]
            case "GetAZs":
                return [f"{REGION}{zone}" for zone in "abc"]
            case "Base64":
                return base64.b64encode(str(args).encode()).decode()
            case "ImportValue":
                raise UnresolvedReference(f"ImportValue {args}: no other stacks exist locally")
        raise ValueError(f"intrinsic function Fn::{name} is not supported locally")

    def _sub(self, argument: Any) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        variables = self.resolve(variables)

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name and name.split(".", 1)[0] in self.attributes:
                return str(self.get_att(*name.split(".", 1)))
            return str(self.ref(name))

        return _SUB_VARIABLE.sub(substitute, text)


def references(value: Any) -> set[str]:
    """Names that ``value`` refers to through Ref, GetAtt or Sub (resources among them)."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= references(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                found.add(item)
            elif key == "Fn::GetAtt":
                target = item if isinstance(item, str) else item[0]
                found.add(str(target).split(".", 1)[0])
            elif key == "Fn::Sub":
                text = item if isinstance(item, str) else item[0]
                found |= {name.split(".", 1)[0] for name in _SUB_VARIABLE.findall(text)}
                found |= references(item)
            else:
                found |= references(item)
    return found


# ----------------------------------------------------------------------- the SAM wiring


@dataclass(frozen=True)
class FunctionSpec:
    """A Lambda function of the template, as the local runtime needs it."""

    logical_id: str
    name: str  # the CodeUri folder: functions/invite/ -> "invite"
    physical_name: str  # what Ref answers: the Lambda function's name
    code_dir: Path
    handler: str
    memory_mb: int
    timeout_s: int
    environment: dict[str, str]
    max_retry_attempts: int  # asynchronous invocations (rules, schedules)
    dead_letter_arn: str | None = None  # the SQS queue of DeadLetterQueue, if any


@dataclass(frozen=True)
class JwtAuthorizer:
    name: str
    header: str  # lower-cased request header carrying the token
    issuer: str
    audience: tuple[str, ...]


@dataclass(frozen=True)
class HttpRoute:
    method: str  # upper case, or ANY
    path: str  # /v1/accounts/{account_id}, /{proxy+} or $default
    function: str  # logical id
    authorizer: str | None  # None: public
    scopes: tuple[str, ...] = ()

    @property
    def route_key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"


@dataclass(frozen=True)
class RuleSpec:
    """An EventBridge rule that invokes a function."""

    name: str  # unique: <function logical id>-<event name>
    function: str
    bus: str  # the bus's name
    pattern: dict[str, Any]
    target: dict[str, Any] = field(default_factory=dict)  # Input, InputPath


@dataclass(frozen=True)
class ScheduleSpec:
    name: str  # the function's folder name: sync
    function: str
    expression: str  # rate(5 minutes) or cron(...)
    input: Any  # the event the function receives; None: a "Scheduled Event"
    enabled: bool


@dataclass(frozen=True)
class QueueSource:
    """An SQS queue of the template that invokes a function (event type SQS)."""

    function: str
    queue: str  # logical id of the queue
    batch_size: int
    report_item_failures: bool


@dataclass(frozen=True)
class StreamSource:
    """A DynamoDB table's stream that invokes a function (event type DynamoDB)."""

    function: str
    table: str  # logical id of the table
    batch_size: int
    starting_position: str  # TRIM_HORIZON or LATEST
    filter_patterns: tuple[dict[str, Any], ...]  # FilterCriteria; none: every record
    report_item_failures: bool
    max_retry_attempts: int  # -1: until the record expires
    on_failure: str | None  # the ARN of the SQS queue of DestinationConfig.OnFailure


class Template:
    """The template, its resolver and typed views of its wiring."""

    def __init__(self, path: Path, parameters: Mapping[str, str] | None = None):
        self.path = path
        self.root = path.parent
        self.document = load_template(path)
        self.resolver = Resolver(self.document, parameters)

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return dict(self.document.get("Resources") or {})

    def of_type(self, *types: str) -> dict[str, dict[str, Any]]:
        return {name: res for name, res in self.resources.items() if res.get("Type") in types}

    def _globals(self) -> dict[str, Any]:
        return dict((self.document.get("Globals") or {}).get("Function") or {})

    def _function_property(self, logical_id: str, name: str, default: Any = None) -> Any:
        properties = self.resources[logical_id].get("Properties") or {}
        return properties.get(name, self._globals().get(name, default))

    def _events(self, logical_id: str, *types: str) -> list[tuple[str, dict[str, Any]]]:
        events = (self.resources[logical_id].get("Properties") or {}).get("Events") or {}
        return [
            (name, event.get("Properties") or {})
            for name, event in events.items()
            if event.get("Type") in types
        ]

    # ---- functions

    def function_environment(self, logical_id: str) -> dict[str, str]:
        """Globals merged with the function's own variables, resolved."""
        variables = dict(((self._globals().get("Environment") or {}).get("Variables")) or {})
        own = (self.resources[logical_id].get("Properties") or {}).get("Environment") or {}
        variables.update(own.get("Variables") or {})
        return {name: str(value) for name, value in self.resolver.resolve(variables).items()}

    def layer_paths(self) -> list[Path]:
        """The ``python`` folders of the template's layers: what Lambda puts on sys.path."""
        layers = self.of_type("AWS::Serverless::LayerVersion")
        paths = [
            self.root / str(res["Properties"]["ContentUri"]) / "python" for res in layers.values()
        ]
        return [path.resolve() for path in paths]

    def function_name(self, logical_id: str) -> str:
        """The short name of a function: its CodeUri folder (functions/invite/ -> invite)."""
        return Path(str(self._function_property(logical_id, "CodeUri", ""))).name or logical_id

    def functions(self) -> list[FunctionSpec]:
        specs = []
        for logical_id in self.of_type(*FUNCTION_TYPES):
            code_uri = str(self._function_property(logical_id, "CodeUri", ""))
            event_config = (
                self.resources[logical_id].get("Properties", {}).get("EventInvokeConfig")
                or self._globals().get("EventInvokeConfig")
                or {}
            )
            specs.append(
                FunctionSpec(
                    logical_id=logical_id,
                    name=self.function_name(logical_id),
                    physical_name=str(self.resolver.ref(logical_id)),
                    code_dir=(self.root / code_uri).resolve(),
                    handler=str(self._function_property(logical_id, "Handler")),
                    memory_mb=int(self._function_property(logical_id, "MemorySize", 128)),
                    timeout_s=int(self._function_property(logical_id, "Timeout", 3)),
                    environment=self.function_environment(logical_id),
                    max_retry_attempts=int(event_config.get("MaximumRetryAttempts", 2)),
                    dead_letter_arn=self._dead_letter_arn(logical_id),
                )
            )
        return specs

    def _dead_letter_arn(self, logical_id: str) -> str | None:
        queue = self._function_property(logical_id, "DeadLetterQueue") or {}
        if not queue:
            return None
        if queue.get("Type") != "SQS":
            raise ValueError(f"{logical_id}: only SQS dead-letter queues work locally")
        return str(self.resolver.resolve(queue["TargetArn"]))

    # ---- the HTTP API

    def _http_api(self, event: Mapping[str, Any]) -> dict[str, Any]:
        apis = self.of_type("AWS::Serverless::HttpApi")
        api_ref = event.get("ApiId")
        if isinstance(api_ref, dict) and api_ref.get("Ref") in apis:
            return dict(apis[api_ref["Ref"]].get("Properties") or {})
        # Without ApiId, SAM uses its implicit API: no authorizers.
        return {}

    def http_routes(self) -> list[HttpRoute]:
        routes = []
        for logical_id in self.of_type(*FUNCTION_TYPES):
            for _, event in self._events(logical_id, "HttpApi"):
                auth = (self._http_api(event).get("Auth")) or {}
                route_auth = event.get("Auth") or {}
                authorizer = route_auth.get("Authorizer", auth.get("DefaultAuthorizer"))
                routes.append(
                    HttpRoute(
                        method=_method(event.get("Method")),
                        path=str(event.get("Path", "$default")),
                        function=logical_id,
                        authorizer=None if authorizer in (None, "NONE") else str(authorizer),
                        scopes=tuple(route_auth.get("AuthorizationScopes") or ()),
                    )
                )
        return routes

    def authorizers(self) -> dict[str, JwtAuthorizer]:
        found = {}
        for api in self.of_type("AWS::Serverless::HttpApi").values():
            auth = (api.get("Properties") or {}).get("Auth") or {}
            for name, spec in (auth.get("Authorizers") or {}).items():
                config = self.resolver.resolve(spec.get("JwtConfiguration") or {})
                source = str(spec.get("IdentitySource", "$request.header.Authorization"))
                found[name] = JwtAuthorizer(
                    name=name,
                    header=source.removeprefix("$request.header.").lower(),
                    issuer=str(config.get("issuer", "")),
                    audience=tuple(str(item) for item in config.get("audience") or ()),
                )
        return found

    # ---- events and schedules

    def rules(self) -> list[RuleSpec]:
        """EventBridge rules that invoke functions: function events and Events::Rule targets."""
        rules = []
        for logical_id in self.of_type(*FUNCTION_TYPES):
            for name, event in self._events(logical_id, "EventBridgeRule", "CloudWatchEvent"):
                rules.append(
                    RuleSpec(
                        f"{logical_id}-{name}",
                        logical_id,
                        self._bus_name(event.get("EventBusName")),
                        self.resolver.resolve(event["Pattern"]),
                        self._target_options(event),
                    )
                )
        for rule_id, properties, target, function in self._rule_resource_targets():
            if "EventPattern" in properties:
                rules.append(
                    RuleSpec(
                        f"{rule_id}-{target.get('Id', function)}",
                        function,
                        self._bus_name(properties.get("EventBusName")),
                        self.resolver.resolve(properties["EventPattern"]),
                        self._target_options(target),
                    )
                )
        return rules

    def schedules(self) -> list[ScheduleSpec]:
        """Scheduled invocations, named after the function's folder (one per function)."""
        schedules = []
        for logical_id in self.of_type(*FUNCTION_TYPES):
            for _, event in self._events(logical_id, "Schedule", "ScheduleV2"):
                schedules.append(
                    ScheduleSpec(
                        self.function_name(logical_id),
                        logical_id,
                        str(event.get("Schedule") or event.get("ScheduleExpression")),
                        _json_input(self.resolver.resolve(event.get("Input"))),
                        event.get("Enabled", True) is not False
                        and event.get("State", "ENABLED") == "ENABLED",
                    )
                )
        for _, properties, target, function in self._rule_resource_targets():
            if "ScheduleExpression" in properties:
                schedules.append(
                    ScheduleSpec(
                        self.function_name(function),
                        function,
                        str(properties["ScheduleExpression"]),
                        _json_input(self.resolver.resolve(target.get("Input"))),
                        properties.get("State", "ENABLED") == "ENABLED",
                    )
                )
        return schedules

    def queue_sources(self) -> list[QueueSource]:
        """SQS queues of the template that invoke functions (event type SQS)."""
        sources = []
        for logical_id in self.of_type(*FUNCTION_TYPES):
            for _, event in self._events(logical_id, "SQS"):
                queue = event.get("Queue")
                if not (isinstance(queue, dict) and "Fn::GetAtt" in queue):
                    raise ValueError(f"{logical_id}: SQS events need Queue: !GetAtt <Queue>.Arn")
                attribute = queue["Fn::GetAtt"]
                queue_id = attribute.split(".")[0] if isinstance(attribute, str) else attribute[0]
                sources.append(
                    QueueSource(
                        function=logical_id,
                        queue=str(queue_id),
                        batch_size=int(event.get("BatchSize", 10)),
                        report_item_failures="ReportBatchItemFailures"
                        in (event.get("FunctionResponseTypes") or []),
                    )
                )
        return sources

    def stream_sources(self) -> list[StreamSource]:
        """DynamoDB streams of the template's tables that invoke functions (event type
        DynamoDB, ``Stream: !GetAtt <Table>.StreamArn``)."""
        sources = []
        for logical_id in self.of_type(*FUNCTION_TYPES):
            for name, event in self._events(logical_id, "DynamoDB"):
                table = _get_att_target(event.get("Stream"))
                if table not in self.of_type("AWS::DynamoDB::Table"):
                    raise ValueError(
                        f"{logical_id}.{name}: DynamoDB events need Stream: !GetAtt <Table>.StreamArn"
                    )
                filters = (event.get("FilterCriteria") or {}).get("Filters") or []
                on_failure = ((event.get("DestinationConfig") or {}).get("OnFailure")) or {}
                if on_failure and on_failure.get("Type", "SQS") != "SQS":
                    raise ValueError(
                        f"{logical_id}.{name}: only SQS on-failure destinations work locally"
                    )
                sources.append(
                    StreamSource(
                        function=logical_id,
                        table=table,
                        batch_size=int(event.get("BatchSize", 100)),
                        starting_position=str(event.get("StartingPosition", "TRIM_HORIZON")),
                        filter_patterns=tuple(
                            _json_input(self.resolver.resolve(item["Pattern"])) for item in filters
                        ),
                        report_item_failures="ReportBatchItemFailures"
                        in (event.get("FunctionResponseTypes") or []),
                        max_retry_attempts=int(event.get("MaximumRetryAttempts", -1)),
                        on_failure=str(self.resolver.resolve(on_failure["Destination"]))
                        if on_failure
                        else None,
                    )
                )
        return sources

    def _rule_resource_targets(self) -> Iterator[tuple[str, dict[str, Any], dict[str, Any], str]]:
        """(rule id, properties, target, function) for every Events::Rule target that is a
        function of the template (``Arn: !GetAtt SomeFunction.Arn``)."""
        functions = self.of_type(*FUNCTION_TYPES)
        for rule_id, rule in self.of_type("AWS::Events::Rule").items():
            properties = rule.get("Properties") or {}
            for target in properties.get("Targets") or []:
                arn = target.get("Arn")
                if isinstance(arn, dict) and "Fn::GetAtt" in arn:
                    attribute = arn["Fn::GetAtt"]
                    function = (
                        attribute.split(".")[0] if isinstance(attribute, str) else attribute[0]
                    )
                    if function in functions:
                        yield rule_id, properties, target, str(function)

    def _bus_name(self, bus: Any) -> str:
        """A bus given by name, Ref or ARN, as its name (none: the default bus)."""
        return str(self.resolver.resolve(bus or "default")).rsplit("/", 1)[-1]

    def _target_options(self, source: Mapping[str, Any]) -> dict[str, Any]:
        """What shapes the event a rule hands its target (Input, InputPath)."""
        options = {key: source[key] for key in ("Input", "InputPath") if key in source}
        return dict(self.resolver.resolve(options))

    def unsupported_events(self) -> list[tuple[str, str, str]]:
        """(function, event, type) of every function event the local stack does not wire."""
        return [
            (logical_id, name, str(event.get("Type")))
            for logical_id in self.of_type(*FUNCTION_TYPES)
            for name, event in (
                (self.resources[logical_id].get("Properties") or {}).get("Events") or {}
            ).items()
            if event.get("Type") not in SUPPORTED_EVENT_TYPES
        ]

    def outputs(self) -> dict[str, Any]:
        return {
            name: self.resolver.resolve(output["Value"])
            for name, output in (self.document.get("Outputs") or {}).items()
        }


def _method(value: Any) -> str:
    method = str(value or "ANY").upper()
    return "ANY" if method in ("ANY", "X-AMAZON-APIGATEWAY-ANY-METHOD") else method


def _get_att_target(value: Any) -> str | None:
    """The resource that ``!GetAtt Resource.Attribute`` names (None: not a GetAtt)."""
    target = value.get("Fn::GetAtt") if isinstance(value, dict) else None
    if isinstance(target, str):
        return target.split(".", 1)[0]
    return str(target[0]) if target else None


def _json_input(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
