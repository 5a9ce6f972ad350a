"""What someone on call gets from template.yaml: every function's logs kept for a while,
an alarm for every dead-letter queue and every function, SES warned about before SES
acts, one dashboard that names them all; and the notification metrics it graphs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from crm.observability import metrics
from local.template import FUNCTION_TYPES, Template
from tests.support import TEMPLATE, Context, load_event
from tests.unit.conftest import Api, Staff

template = Template(TEMPLATE)
RESOURCES = template.resources
FUNCTIONS = sorted(template.of_type(*FUNCTION_TYPES))
ALARMS = template.of_type("AWS::CloudWatch::Alarm")
GLOBALS = template.document["Globals"]["Function"]["Environment"]["Variables"]
NAMESPACE = GLOBALS["POWERTOOLS_METRICS_NAMESPACE"]
SERVICE = GLOBALS["POWERTOOLS_SERVICE_NAME"]
# where a resource names the queue that keeps what failed: a function's DeadLetterQueue, a
# rule's DeadLetterConfig, an event source's or an invoke config's OnFailure destination,
# a queue's RedrivePolicy
DEAD_LETTER_KEYS = {"DeadLetterQueue", "DeadLetterConfig", "OnFailure", "RedrivePolicy"}
SES_LIMITS = {"Reputation.BounceRate": 0.05, "Reputation.ComplaintRate": 0.001}


def properties(logical_id: str) -> dict[str, Any]:
    return dict(RESOURCES[logical_id].get("Properties") or {})


def targets(value: Any) -> Iterator[str]:
    """The resources that Ref or GetAtt name anywhere in ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref":
                yield str(item)
            elif key == "Fn::GetAtt":
                yield str(item[0] if isinstance(item, list) else item.split(".")[0])
            else:
                yield from targets(item)
    elif isinstance(value, list):
        for item in value:
            yield from targets(item)


def dead_letter_targets(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from targets(item) if key in DEAD_LETTER_KEYS else dead_letter_targets(item)
    elif isinstance(value, list):
        for item in value:
            yield from dead_letter_targets(item)


def dead_letter_queues() -> set[str]:
    queues = template.of_type("AWS::SQS::Queue")
    named = {t for r in RESOURCES.values() for t in dead_letter_targets(r.get("Properties"))}
    return named & set(queues)


def watched_metrics(alarm: dict[str, Any]) -> list[dict[str, Any]]:
    """The metrics an alarm reads, from its own fields or from its metric math."""
    props = alarm["Properties"]
    if "MetricName" in props:
        return [props]
    return [query["MetricStat"]["Metric"] for query in props["Metrics"] if "MetricStat" in query]


def alarms_on(namespace: str, name: str, **dimensions: Any) -> list[dict[str, Any]]:
    return [
        alarm
        for alarm in ALARMS.values()
        for metric in watched_metrics(alarm)
        if metric["Namespace"] == namespace
        and metric["MetricName"] == name
        and {d["Name"]: d["Value"] for d in metric.get("Dimensions") or []} == dimensions
    ]


def dashboard_body() -> str:
    (dashboard,) = template.of_type("AWS::CloudWatch::Dashboard").values()
    return str(dashboard["Properties"]["DashboardBody"]["Fn::Sub"])


# ----------------------------------------------------------------------------- logs


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_logs_to_a_log_group_of_the_stack_that_expires_its_logs(
    function: str,
) -> None:
    group = properties(function).get("LoggingConfig", {}).get("LogGroup")
    assert isinstance(group, dict) and "Ref" in group, f"{function}: LoggingConfig.LogGroup"
    assert RESOURCES[group["Ref"]]["Type"] == "AWS::Logs::LogGroup"
    log_group = properties(group["Ref"])
    assert log_group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert log_group["LogGroupName"]["Fn::Sub"].startswith("/aws/lambda/${AWS::StackName}/")


def test_each_function_has_a_log_group_of_its_own_kept_thirty_days_by_default() -> None:
    groups = [properties(f)["LoggingConfig"]["LogGroup"]["Ref"] for f in FUNCTIONS]
    assert len(set(groups)) == len(FUNCTIONS)
    names = [properties(g)["LogGroupName"]["Fn::Sub"] for g in groups]
    assert len(set(names)) == len(names)
    parameter = template.document["Parameters"]["LogRetentionDays"]
    assert parameter["Default"] == 30 and 30 in parameter["AllowedValues"]


# --------------------------------------------------------------------------- alarms


def test_the_dead_letter_queues_are_found_wherever_the_template_names_them() -> None:
    # a function's DeadLetterQueue, a stream's OnFailure, a queue's RedrivePolicy
    assert {
        "NotificationsDeadLetterQueue",
        "OutboxDeadLetterQueue",
        "SyncDeadLetterQueue",
    } <= dead_letter_queues()


@pytest.mark.parametrize("queue", sorted(dead_letter_queues()))
def test_every_dead_letter_queue_alarms_on_its_first_message(queue: str) -> None:
    depth = alarms_on(
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        QueueName={"Fn::GetAtt": [queue, "QueueName"]},
    )
    assert depth, f"{queue} has no depth alarm"
    props = depth[0]["Properties"]
    assert (props["ComparisonOperator"], props["Threshold"]) == ("GreaterThanThreshold", 0)
    # SQS stops reporting a queue nobody touches: missing data must not read as empty
    assert props["TreatMissingData"] != "notBreaching"


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_is_watched_for_errors_and_throttles(function: str, metric: str) -> None:
    watching = alarms_on("AWS/Lambda", metric, FunctionName={"Ref": function})
    assert watching, f"no alarm reads {function}'s {metric}"
    props = watching[0]["Properties"]
    assert (props["ComparisonOperator"], props["Threshold"]) == ("GreaterThanThreshold", 0)


def test_ses_alarms_warn_well_before_ses_reviews_the_account() -> None:
    for metric, limit in SES_LIMITS.items():
        (alarm,) = alarms_on("AWS/SES", metric)
        props = alarm["Properties"]
        assert props["ComparisonOperator"] == "GreaterThanThreshold"
        assert 0 < props["Threshold"] <= limit / 2, metric


def test_failing_mailboxes_alarm_reads_the_metric_the_sync_emits() -> None:
    (alarm,) = alarms_on(NAMESPACE, "MailboxesFailing", service=SERVICE)
    props = alarm["Properties"]
    assert (props["ComparisonOperator"], props["Threshold"]) == ("GreaterThanThreshold", 0)
    assert props["TreatMissingData"] == "notBreaching"


@pytest.mark.parametrize("alarm", sorted(ALARMS))
def test_every_alarm_tells_the_alarm_topic_and_when_it_is_over(alarm: str) -> None:
    props = properties(alarm)
    assert {"Ref": "AlarmTopic"} in props["AlarmActions"]
    assert {"Ref": "AlarmTopic"} in props["OKActions"]
    assert props.get("AlarmDescription"), "say what it means and where to look"


def test_the_alarm_email_is_optional() -> None:
    parameter = template.document["Parameters"]["AlarmEmail"]
    assert parameter["Default"] == ""
    subscriptions = template.of_type("AWS::SNS::Subscription")
    assert [s.get("Condition") for s in subscriptions.values()] == ["HasAlarmEmail"]


# ------------------------------------------------------------------------ dashboard


def test_the_dashboard_is_json_once_deployed() -> None:
    body = re.sub(r"\$\{!?[^}]+\}", "x", dashboard_body())
    widgets = json.loads(body)["widgets"]
    assert all(w["type"] in {"text", "alarm", "metric"} for w in widgets)


def test_the_dashboard_shows_every_function_queue_and_alarm() -> None:
    body = dashboard_body()
    for function in FUNCTIONS:
        for metric in ("Errors", "Duration", "Throttles"):
            assert re.search(rf'"{metric}", "FunctionName", "\$\{{{function}\}}"', body)
    for queue in dead_letter_queues():
        assert f'"ApproximateNumberOfMessagesVisible", "QueueName", "${{{queue}.QueueName}}"' in (
            body
        )
    for alarm in ALARMS:
        assert f"${{{alarm}.Arn}}" in body
    assert '"5xx", "ApiId", "${HttpApi}"' in body and '"Latency", "ApiId", "${HttpApi}"' in body


def test_the_dashboard_reads_the_custom_metrics_where_powertools_writes_them() -> None:
    body = dashboard_body()
    for name in (
        "NotificationsSent",
        "NotificationsFailed",
        "SyncFirmsSynced",
        "SyncMessagesStored",
        "SyncMissing",
        "SyncRunSeconds",
        "SyncFailures",
        "MailboxesFailing",
    ):
        assert name in body, name
    namespaces = set(re.findall(r"\{(\w+),category,service\}", body))
    namespaces |= set(re.findall(r'Namespace=\\"(\w+)\\"', body))
    assert namespaces == {NAMESPACE}
    assert f'"{NAMESPACE}", "MailboxesFailing", "service", "{SERVICE}"' in body
    assert "Reputation.BounceRate" in body and "Reputation.ComplaintRate" in body


# ------------------------------------------------------------- notification metrics


def emf_blobs(printed: str) -> list[dict[str, Any]]:
    """The CloudWatch embedded-metric documents among the lines a function printed."""
    documents = [json.loads(line) for line in printed.splitlines() if line.startswith("{")]
    return [d for d in documents if "_aws" in d]


def test_the_notify_function_counts_each_outcome_by_category(
    api: Api, owner: Staff, capsys: pytest.CaptureFixture[str]
) -> None:
    account_id = owner.account()
    for address, uploads in (("ann@client.example", True), ("bob@client.example", False)):
        contact = owner.contact(address)
        owner.link(account_id, contact["contact_id"])
        email_id = contact["emails"][0]["email_id"]
        owner.toggle(account_id, email_id, notify=True)
        path = {"account_id": account_id, "email_id": email_id}
        changed = owner.call(
            "access_api", "PutPreferences", path=path, body={"documents_uploads": uploads}
        )
        assert changed.status == 200, changed.body
    event = load_event("notify", "Notification")
    event["detail"].update(firm_id=owner.firm_id, account_id=account_id)
    metrics.clear_metrics()  # what other tests added without a handler to flush it
    capsys.readouterr()

    summary = api.module("notify").lambda_handler(event, Context())

    assert (summary["sent"], summary["skipped"]) == (1, 1)
    (blob,) = emf_blobs(capsys.readouterr().out)
    (directive,) = blob["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == NAMESPACE
    assert [sorted(d) for d in directive["Dimensions"]] == [["category", "service"]]
    assert (blob["service"], blob["category"]) == (SERVICE, "documents_uploads")
    counted = {m["Name"]: sum(blob[m["Name"]]) for m in directive["Metrics"]}
    assert counted == {
        "NotificationsSent": 1,
        "NotificationsSkipped": 1,
        "NotificationsSuppressed": 0,
        "NotificationsFailed": 0,
    }
    assert {m["Unit"] for m in directive["Metrics"]} == {"Count"}
