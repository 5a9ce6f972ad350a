# The audit trail in words (crm/access/summaries.py): one sentence per entry, for the staff
# member reading the Activity tab. $has_person is "yes" when the change names a contact
# (their name is $person), else "no".

audit-former-staff = a former staff member
audit-a-contact = A contact
audit-toggle = { $toggle } turned { $on ->
        [yes] on
       *[no] off
    }
audit-invitation-part = invitation sent
audit-category = emails about { $category } turned { $on ->
        [yes] on
       *[no] off
    }
audit-access-part = access changed
audit-changes = { $has_person ->
        [yes] { $person }'s { $changes }
       *[no] { $changes }
    }{ $has_address ->
        [yes] { " " }for { $address }.
       *[no] .
    }
audit-unsubscribed = { $address } turned off emails about { $categories } through an unsubscribe link.
audit-invitation-sent = Invitation sent to { $address }.
audit-invitation-revoked = The invitation to { $address } was withdrawn.
audit-invitation-accepted = { $address } accepted the invitation and can open the portal.
audit-access-restored = { $has_person ->
        [yes] { $person }'s portal access
       *[no] Portal access
    } restored for { $address }: they sign in with their current password.
audit-account-created = Account { $name } created.
audit-contact-created = { $count ->
        [0] Contact created with no address.
       *[other] Contact created with { $emails }.
    }
audit-contact-linked = { $person } linked to the account.
audit-contact-unlinked = { $person } unlinked from the account.
audit-email-added = { $has_person ->
        [yes] { $person }'s address
       *[no] Address
    } { $address } added.
audit-email-removed = { $has_person ->
        [yes] { $person }'s address
       *[no] Address
    } { $address } removed.
audit-email-changed = { $has_person ->
        [yes] { $person }'s address
       *[no] Address
    } changed from { $from } to { $to }.
audit-contact-changed = { $has_person ->
        [yes] { $person }'s { $changes }.
       *[no] { $changes }.
    }
audit-first-name = first name changed from '{ $from }' to '{ $to }'
audit-last-name = last name changed from '{ $from }' to '{ $to }'
audit-language = language set to { $language ->
        [en] English
        [nl] Dutch
       *[other] the firm's language
    }
audit-contact-unchanged = contact unchanged
audit-contacts-imported = { $created ->
        [one] One contact imported
       *[other] { $created } contacts imported
    }, { $rejected_rows ->
        [0] no rows refused.
        [one] one row refused.
       *[other] { $rejected_rows } rows refused.
    }
audit-email-field-created = Email field { $label } added.
audit-firm-created = Firm created.
audit-firm-verified = The owner's address { $address } was confirmed.
audit-verification-requested = Confirmation email sent to { $address }.
audit-mailbox-connected = Mailbox { $username } on { $imap_host } connected.
audit-settings-changed = Firm settings changed: { $names }.
audit-nothing = nothing
audit-role = { $role ->
        [owner] owner
        [admin] admin
        [employee] employee
       *[other] { $role }
    }
audit-staff-invited = { $email } invited as { $role }.
audit-staff-joined = A staff member accepted their invitation.
audit-staff-role = now { $role }
audit-staff-rights = { $may ->
        [yes] may manage accounts
       *[no] may no longer manage accounts
    }
audit-staff-changed = { $email }: { $changes }.
audit-staff-unchanged = unchanged
audit-a-staff-member = A staff member
# two or more parts of one sentence: "LOGIN turned on, NOTIFY turned on"
audit-list-separator = ,{ " " }
audit-and = { $first } and { $second }
