"""The audit trail as people read it: who did it (a staff member's address, "client" or
"system") and one sentence of what happened ("Ann Smith's LOGIN turned on for
ann@home.example"), in the reader's language (the `audit-*` messages of the catalogs).
The stored entries keep their ids; this only words them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crm.core.audit import AuditEntry
from crm.i18n import Localizer

TOGGLES = {"login": "LOGIN", "notify": "NOTIFY", "email_sync": "EMAIL SYNC"}
Wording = Callable[["_Said"], str]


@dataclass(frozen=True)
class Names:
    """What the wording needs beyond the entry: staff addresses by staff id, people's
    names by contact id and by email id (the rows of the account asked about)."""

    staff: Mapping[str, str] = field(default_factory=dict)
    contacts: Mapping[str, str] = field(default_factory=dict)
    by_email_id: Mapping[str, str] = field(default_factory=dict)


def actor(raw: str, names: Names, words: Localizer) -> str:
    """A staff member's address, "client" for a client's own act, else "system" (the
    pages word those two)."""
    kind, _, who = raw.partition(":")
    if kind == "staff":
        return names.staff.get(who) or words("audit-former-staff")
    if kind == "owner":
        return who
    if kind == "client":
        return "client"
    return "system"


def summary(entry: AuditEntry, names: Names, words: Localizer) -> str:
    """One sentence a person can read; unknown actions get their name, spelled out."""
    person = names.by_email_id.get(entry.target or "") or names.contacts.get(entry.target or "")
    wording = _WORDING.get(entry.action)
    if wording is None:
        return entry.action.replace("_", " ").capitalize() + "."
    return wording(_Said(entry.details, person or "", words))


@dataclass(frozen=True)
class _Said:
    """An entry's details and the words to say them with."""

    details: Mapping[str, Any]
    person: str
    words: Localizer

    @property
    def address(self) -> str:
        return str(self.details.get("address") or "")

    def __call__(self, message_id: str, **arguments: Any) -> str:
        """The message with the entry's plain values, the address, and who it is about;
        a value an older entry lacks reads as "?"."""
        values: dict[str, Any] = {**_UNKNOWN, "address": self.address or "?"}
        values.update(
            (key, value)
            for key, value in self.details.items()
            if isinstance(value, str | int) and not isinstance(value, bool)
        )
        values.update(has_person="yes" if self.person else "no", person=self.person)
        values.update(arguments)
        return self.words(message_id, **values)

    def listed(self, parts: list[str]) -> str:
        return self.words("audit-list-separator").join(parts)


# the values the messages name that an older entry may lack: said as "?" (or none)
_UNKNOWN: dict[str, Any] = {
    **dict.fromkeys(("name", "label", "email", "username", "imap_host"), "?"),
    "created": 0,
    "rejected_rows": 0,
}


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _category(said: _Said, name: str) -> str:
    message = f"notification-category.{name}"
    return said.words(message) if said.words.has(message) else name


def _changes(said: _Said) -> str:
    parts = []
    for name, toggle in TOGGLES.items():
        change = said.details.get(name)
        if isinstance(change, dict):
            parts.append(said.words("audit-toggle", toggle=toggle, on=_yes(change.get("to"))))
    status = said.details.get("login_status")
    if isinstance(status, dict) and status.get("to") == "invited":
        parts.append(said.words("audit-invitation-part"))
    for name, change in said.details.items():
        if name.startswith("preferences.") and isinstance(change, dict):
            category = _category(said, name.split(".", 1)[1])
            parts.append(said.words("audit-category", category=category, on=_yes(change.get("to"))))
    changes = said.listed(parts) if parts else said.words("audit-access-part")
    return _upper_first(said("audit-changes", changes=changes, has_address=_yes(said.address)))


def _unsubscribed(said: _Said) -> str:
    categories = [
        _category(said, name.split(".", 1)[1])
        for name in said.details
        if name.startswith("preferences.")
    ]
    return said("audit-unsubscribed", categories=said.listed(categories))


def _contact_created(said: _Said) -> str:
    emails = [str(e) for e in said.details.get("emails") or []]
    return said("audit-contact-created", count=len(emails), emails=said.listed(emails))


def _someone(said: _Said) -> _Said:
    """The entry said of "a contact" when the person's name is not known."""
    if said.person:
        return said
    return _Said(said.details, said.words("audit-a-contact"), said.words)


def _email_changed(said: _Said) -> str:
    return said(
        "audit-email-changed",
        **{"from": str(said.details.get("from")), "to": str(said.details.get("to"))},
    )


def _contact_changed(said: _Said) -> str:
    parts = []
    for name in ("first_name", "last_name"):
        change = said.details.get(name)
        if isinstance(change, dict):
            message = "audit-first-name" if name == "first_name" else "audit-last-name"
            parts.append(
                said.words(
                    message, **{"from": str(change.get("from")), "to": str(change.get("to"))}
                )
            )
    language = said.details.get("language")
    if isinstance(language, dict):
        parts.append(said.words("audit-language", language=str(language.get("to") or "other")))
    changes = said.listed(parts) if parts else said.words("audit-contact-unchanged")
    return _upper_first(said("audit-contact-changed", changes=changes))


def _settings(said: _Said) -> str:
    names = ", ".join(sorted(said.details)) or said.words("audit-nothing")
    return said("audit-settings-changed", names=names)


def _staff_invited(said: _Said) -> str:
    return said(
        "audit-staff-invited", role=said.words("audit-role", role=str(said.details.get("role")))
    )


def _staff_changed(said: _Said) -> str:
    parts = []
    role = said.details.get("role")
    if isinstance(role, dict):
        role_words = said.words("audit-role", role=str(role.get("to")))
        parts.append(said.words("audit-staff-role", role=role_words))
    rights = said.details.get("manage_accounts")
    if isinstance(rights, dict):
        parts.append(said.words("audit-staff-rights", may=_yes(rights.get("to"))))
    if len(parts) == 2:
        changes = said.words("audit-and", first=parts[0], second=parts[1])
    else:
        changes = parts[0] if parts else said.words("audit-staff-unchanged")
    email = str(said.details.get("email") or said.words("audit-a-staff-member"))
    return said("audit-staff-changed", email=email, changes=changes)


def _yes(value: object) -> str:
    return "yes" if value else "no"


def _fixed(message_id: str) -> Wording:
    return lambda said: said(message_id)


_WORDING: dict[str, Wording] = {
    "access_changed": _changes,
    "preferences_changed": _changes,
    "invitation_sent": _fixed("audit-invitation-sent"),
    "invitation_revoked": _fixed("audit-invitation-revoked"),
    "invitation_accepted": _fixed("audit-invitation-accepted"),
    "access_restored": _fixed("audit-access-restored"),
    "unsubscribed": _unsubscribed,
    "account_created": _fixed("audit-account-created"),
    "contact_created": _contact_created,
    "contact_linked": lambda said: _someone(said)("audit-contact-linked"),
    "contact_unlinked": lambda said: _someone(said)("audit-contact-unlinked"),
    "email_added": _fixed("audit-email-added"),
    "email_changed": _email_changed,
    "contact_changed": _contact_changed,
    "email_removed": _fixed("audit-email-removed"),
    "contacts_imported": _fixed("audit-contacts-imported"),
    "email_field_created": _fixed("audit-email-field-created"),
    "firm_created": _fixed("audit-firm-created"),
    "firm_verified": _fixed("audit-firm-verified"),
    "verification_requested": _fixed("audit-verification-requested"),
    "mailbox_connected": _fixed("audit-mailbox-connected"),
    "settings_changed": _settings,
    "staff_invited": _staff_invited,
    "staff_joined": _fixed("audit-staff-joined"),
    "staff_changed": _staff_changed,
}
