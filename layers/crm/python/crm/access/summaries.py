"""The audit trail as people read it: who did it (a staff member's address, "client" or
"system") and one sentence of what happened ("Ann Smith's LOGIN turned on for
ann@home.example"). The stored entries keep their ids; this only words them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crm.core.audit import AuditEntry
from crm.core.categories import LABELS

TOGGLES = {"login": "LOGIN", "notify": "NOTIFY", "email_sync": "EMAIL SYNC"}


@dataclass(frozen=True)
class Names:
    """What the wording needs beyond the entry: staff addresses by staff id, people's
    names by contact id and by email id (the rows of the account asked about)."""

    staff: Mapping[str, str] = field(default_factory=dict)
    contacts: Mapping[str, str] = field(default_factory=dict)
    by_email_id: Mapping[str, str] = field(default_factory=dict)


def actor(raw: str, names: Names) -> str:
    """A staff member's address, "client" for a client's own act, else "system"."""
    kind, _, who = raw.partition(":")
    if kind == "staff":
        return names.staff.get(who, "a former staff member")
    if kind == "owner":
        return who
    if kind == "client":
        return "client"
    return "system"


def summary(entry: AuditEntry, names: Names) -> str:
    """One sentence a person can read; unknown actions get their name, spelled out."""
    details: dict[str, Any] = entry.details
    address = str(details.get("address") or "")
    person = names.by_email_id.get(entry.target or "") or names.contacts.get(entry.target or "")
    whose = f"{person}'s " if person else ""
    wording = _WORDING.get(entry.action)
    if wording is not None:
        return str(wording(details, address, whose, person or ""))
    return entry.action.replace("_", " ").capitalize() + "."


def _changes(details: Mapping[str, Any], address: str, whose: str, _: str) -> str:
    parts = []
    for name, label in TOGGLES.items():
        change = details.get(name)
        if isinstance(change, dict):
            parts.append(f"{label} turned {'on' if change.get('to') else 'off'}")
    status = details.get("login_status")
    if isinstance(status, dict) and status.get("to") == "invited":
        parts.append("invitation sent")
    for name, change in details.items():
        if name.startswith("preferences.") and isinstance(change, dict):
            label = LABELS.get(name.split(".", 1)[1], name.split(".", 1)[1])  # type: ignore[call-overload]
            parts.append(f"emails about {label} turned {'on' if change.get('to') else 'off'}")
    said = ", ".join(parts) or "access changed"
    return _upper_first(f"{whose}{said} for {address}." if address else f"{whose}{said}.")


def _unsubscribed(details: Mapping[str, Any], address: str, _whose: str, _: str) -> str:
    labels = [
        LABELS.get(name.split(".", 1)[1], name)  # type: ignore[call-overload]
        for name in details
        if name.startswith("preferences.")
    ]
    return f"{address} turned off emails about {', '.join(labels)} through an unsubscribe link."


class _Values(dict[str, str]):
    """Template values: a key an older entry lacks reads as "?", never a KeyError."""

    def __missing__(self, key: str) -> str:
        return "?"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fixed(text: str) -> Any:
    def word(details: Mapping[str, Any], address: str, whose: str, person: str) -> str:
        values = _Values({k: str(v) for k, v in details.items() if isinstance(v, str | int)})
        values.update(address=address or "?", whose=whose, person=person or "A contact")
        said = text.format_map(values)
        return _upper_first(said) if text.startswith("{whose}") else said

    return word


def _email_changed(details: Mapping[str, Any], _address: str, whose: str, _: str) -> str:
    return _upper_first(
        f"{whose}address changed from {details.get('from')} to {details.get('to')}."
    )


_LANGUAGES = {"en": "English", "nl": "Dutch", None: "the firm's language"}


def _contact_changed(details: Mapping[str, Any], _address: str, whose: str, _: str) -> str:
    said = []
    for name, label in (("first_name", "first name"), ("last_name", "last name")):
        change = details.get(name)
        if isinstance(change, dict):
            said.append(f"{label} changed from {change.get('from')!r} to {change.get('to')!r}")
    language = details.get("language")
    if isinstance(language, dict):
        said.append(f"language set to {_LANGUAGES.get(language.get('to'), language.get('to'))}")
    return _upper_first(f"{whose}{', '.join(said) or 'contact unchanged'}.")


def _settings(details: Mapping[str, Any], *_: str) -> str:
    return f"Firm settings changed: {', '.join(sorted(details)) or 'nothing'}."


def _staff_changed(details: Mapping[str, Any], *_: str) -> str:
    said = []
    role = details.get("role")
    if isinstance(role, dict):
        said.append(f"now {role.get('to')}")
    rights = details.get("manage_accounts")
    if isinstance(rights, dict):
        said.append(f"{'may' if rights.get('to') else 'may no longer'} manage accounts")
    return f"{details.get('email', 'A staff member')}: {' and '.join(said) or 'unchanged'}."


_WORDING: dict[str, Any] = {
    "access_changed": _changes,
    "preferences_changed": _changes,
    "invitation_sent": _fixed("Invitation sent to {address}."),
    "invitation_revoked": _fixed("The invitation to {address} was withdrawn."),
    "invitation_accepted": _fixed("{address} accepted the invitation and can open the portal."),
    "access_restored": _fixed(
        "{whose}portal access restored for {address}: they sign in with their current password."
    ),
    "unsubscribed": _unsubscribed,
    "account_created": _fixed("Account {name} created."),
    "contact_created": lambda d, *_: (
        f"Contact created with {', '.join(d.get('emails') or []) or 'no address'}."
    ),
    "contact_linked": _fixed("{person} linked to the account."),
    "contact_unlinked": _fixed("{person} unlinked from the account."),
    "email_added": _fixed("{whose}address {address} added."),
    "email_changed": _email_changed,
    "contact_changed": _contact_changed,
    "email_removed": _fixed("{whose}address {address} removed."),
    "contacts_imported": _fixed("{created} contacts imported, {rejected_rows} rows refused."),
    "email_field_created": _fixed("Email field {label} added."),
    "firm_created": _fixed("Firm created."),
    "firm_verified": _fixed("The owner's address {address} was confirmed."),
    "verification_requested": _fixed("Confirmation email sent to {address}."),
    "mailbox_connected": _fixed("Mailbox {username} on {imap_host} connected."),
    "settings_changed": _settings,
    "staff_invited": _fixed("{email} invited as {role}."),
    "staff_joined": _fixed("A staff member accepted their invitation."),
    "staff_changed": _staff_changed,
}
