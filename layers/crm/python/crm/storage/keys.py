"""Every key of the data table, in one place. Every partition key starts with the firm,
so nothing can be read across firms by mistake (the one exception, the global staff
address guard, is named as such)."""

from __future__ import annotations


def firm(firm_id: str) -> str:
    return f"FIRM#{firm_id}"


def account(firm_id: str, account_id: str) -> str:
    """The account's partition: its links and its access rows, read in one query."""
    return f"FIRM#{firm_id}#ACCOUNT#{account_id}"


def audit(firm_id: str, account_id: str | None) -> str:
    return f"FIRM#{firm_id}#AUDIT#{account_id or '-'}"


def address(firm_id: str, address_: str) -> str:
    """GSI1: every access row of one address in one firm, across its accounts."""
    return f"FIRM#{firm_id}#ADDRESS#{address_.casefold()}"


def staff_address(address_: str) -> str:
    """Global guard: a staff address signs in to one firm only (one Cognito pool)."""
    return f"STAFF_ADDRESS#{address_.casefold()}"


def portal_user(address_: str) -> str:
    """A portal user's grants and profile. Keyed by the user (one identity across firms),
    not by a firm: the user is the tenant boundary here, as the token says who it is."""
    return f"PORTAL#{address_.casefold()}"


def grant(account_id: str) -> str:
    return f"ACCOUNT#{account_id}"


PORTAL_PROFILE = "PROFILE"
FIRM_META = "FIRM"
STAFF_ADDRESS_META = "STAFF_ADDRESS"


def staff(staff_id: str) -> str:
    return f"STAFF#{staff_id}"


def account_meta(account_id: str) -> str:
    return f"ACCOUNT#{account_id}"


def field(field_id: str) -> str:
    return f"FIELD#{field_id}"


def contact(contact_id: str) -> str:
    return f"CONTACT#{contact_id}"


def invitation(invitation_id: str) -> str:
    return f"INVITATION#{invitation_id}"


def link(contact_id: str) -> str:
    return f"LINK#{contact_id}"


def access(email_id: str) -> str:
    return f"ACCESS#{email_id}"
