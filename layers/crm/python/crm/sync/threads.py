"""Threads without a second pass: a message joins its parent's thread when the parent is
known; replies that came first wait for it, and it adopts them when it comes."""

from __future__ import annotations

from crm.sync import mail_ids, message_store
from crm.sync.models import StoredMessage
from crm.sync.run import Run


def thread_of(
    run: Run,
    references: list[str],
    parent: str,
    root: str,
    known: dict[str, StoredMessage],
) -> str:
    """The parent's thread when the parent is known (stored, or met in this run);
    else the thread named after the conversation's first Message-ID (its References'
    first), so replies that come before their parent still meet it; else a thread
    of its own, named after `root` (its Message-ID, or what stands for it: its id when
    it has none, or when it reuses the Message-ID of a different message stored first,
    which keeps the threads of what names that Message-ID). A reply that only names
    its parent (In-Reply-To, no References) waits for it: the parent adopts it when it
    comes (`adopt`)."""
    for candidate in (parent, *reversed(references)):
        if not candidate:
            continue
        if candidate in run.threads:
            return run.threads[candidate]
        head = known.get(mail_ids.message_id(candidate))
        if head is not None:
            return head.thread_id
    if references:
        return mail_ids.thread_id(references[0])
    if parent:
        return mail_ids.thread_id(parent)
    return mail_ids.thread_id(root)


def adopt(run: Run, message: StoredMessage) -> None:
    """Replies that came before this message, knowing only its Message-ID, started
    a thread named after it: they join this message's thread now."""
    waiting = mail_ids.thread_id(message.rfc_message_id)
    if waiting == message.thread_id:
        return
    orphans = message_store.thread_members(run.firm_id, waiting)
    for head in message_store.heads(run.firm_id, orphans).values():
        message_store.rethread(run.firm_id, head, message.thread_id)


def waits(message: StoredMessage) -> bool:
    """A reply that knows only its parent, whose parent is not known: it waits for it."""
    return bool(
        message.in_reply_to
        and not message.references
        and message.thread_id == mail_ids.thread_id(message.in_reply_to)
    )
