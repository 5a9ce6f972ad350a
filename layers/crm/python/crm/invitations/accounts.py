"""Which accounts an invitation opens: every account of the firm on which the invited
address has LOGIN on (one query of the address index; names are kept on the rows)."""

from __future__ import annotations

from crm.core.access import AccessRecord
from crm.core.invitations import Invitation
from crm.storage import access


def rows_with_login(invitation: Invitation) -> list[AccessRecord]:
    rows = access.rows_of_address(invitation.firm_id, invitation.address)
    return sorted((r for r in rows if r.login), key=lambda r: r.account_name.casefold())


def account_names(invitation: Invitation) -> list[str]:
    return list(dict.fromkeys(r.account_name for r in rows_with_login(invitation)))
