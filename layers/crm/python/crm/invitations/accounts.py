"""Which accounts an invitation opens: every account of the firm on which the invited
address has LOGIN on (one query of the address index; names are kept on the rows); and
the language its reader reads."""

from __future__ import annotations

from crm.core.access import AccessRecord
from crm.core.firms import FirmFacts
from crm.core.invitations import Invitation
from crm.errors import NotFound
from crm.i18n import Localizer, localizer
from crm.storage import access, directory, firms


def rows_with_login(invitation: Invitation) -> list[AccessRecord]:
    rows = access.rows_of_address(invitation.firm_id, invitation.address)
    return sorted((r for r in rows if r.login), key=lambda r: r.account_name.casefold())


def invitee_words(
    invitation: Invitation, firm: FirmFacts | None, rows: list[AccessRecord]
) -> Localizer:
    """The invitee's words (the activation page's): the language of the contact whose
    row asked for the invitation (else of the address's first row with LOGIN on), or of
    the staff member, else the firm's; the firm's form of address and time zone."""
    if firm is None:
        return localizer(None)
    if invitation.audience == "staff":
        try:
            member = firms.get_staff(invitation.firm_id, invitation.staff_id or "")
        except NotFound:
            return firm.words()
        return firm.words(member.language)
    asking = [r for r in rows if r.email_id == invitation.email_id] or rows
    if not asking:
        return firm.words()
    contact_id = asking[0].contact_id
    return firm.words(directory.contact_languages(invitation.firm_id, [contact_id]).get(contact_id))
