"""History jobs in DynamoDB: one per (account, address), with its progress per folder,
so that a run cut short resumes it where it stopped."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from crm.storage import keys
from crm.storage.mail_items import HistoryItem
from crm.sync import mappers
from crm.sync.models import Job


def get_job(firm_id: str, account_id: str, email_id: str) -> Job | None:
    try:
        item = HistoryItem.get(
            keys.mail(firm_id), f"HISTORY#{account_id}#{email_id}", consistent_read=True
        )
    except DoesNotExist:
        return None
    return _job(item)


def save_job(firm_id: str, job: Job) -> None:
    HistoryItem(
        pk=keys.mail(firm_id),
        sk=f"HISTORY#{job.account_id}#{job.email_id}",
        account_id=job.account_id,
        email_id=job.email_id,
        address=job.address,
        status=job.status,
        event_id=job.event_id,
        progress=job.progress,
        stored=job.stored,
        linked=job.linked,
        last_error=job.last_error,
        requested_at=job.requested_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    ).save()


def jobs(firm_id: str) -> list[Job]:
    found = HistoryItem.query(
        keys.mail(firm_id), HistoryItem.sk.startswith("HISTORY#"), consistent_read=True
    )
    return sorted((_job(item) for item in found), key=lambda j: j.requested_at, reverse=True)


def _job(item: HistoryItem) -> Job:
    progress: Any = item.progress
    return Job(
        account_id=item.account_id,
        email_id=item.email_id,
        address=item.address,
        status=item.status,
        event_id=item.event_id or "",
        progress={
            k: {kk: int(vv) for kk, vv in v.items()} for k, v in mappers.plain(progress).items()
        },
        stored=int(item.stored or 0),
        linked=int(item.linked or 0),
        requested_at=item.requested_at,
        started_at=item.started_at,
        finished_at=item.finished_at,
        last_error=item.last_error,
    )
