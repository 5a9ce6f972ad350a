"""Which accounts an invitation opens: every account of the firm on which the invited
address has LOGIN on."""

from __future__ import annotations

from crm.access import store as access
from crm.directory import store as directory
from crm.directory.models import Account
from crm.invitations.models import Invitation


def accounts_of(invitation: Invitation) -> list[Account]:
    rows = [r for r in access.rows_of_address(invitation.firm_id, invitation.address) if r.login]
    return directory.get_accounts(invitation.firm_id, [r.account_id for r in rows])


def account_names(invitation: Invitation) -> list[str]:
    return [a.name for a in accounts_of(invitation)]
