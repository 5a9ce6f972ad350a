# The `message` of the API's errors (crm.http.problems). The `code` beside it stays
# English and never changes with the language.

## error-<code>: the sentence of an error code, read when an error was raised without a
## sentence of its own. Every code the product answers with has one (tests/unit/test_catalogs.py).

error-bad_request = The request is not valid.
error-validation_failed = Some fields are not valid.
error-unauthorized = Sign in first: this request needs a valid token.
error-invalid_credentials = The email address or password is not correct.
error-forbidden = You do not have the right to do this.
error-not_found = This does not exist, or you do not have access to it.
error-conflict = This clashes with the current data; read it again and retry.
error-already_exists = This already exists.
error-rate_limited = Too many attempts; wait a moment and try again.
error-firm_not_verified = Confirm the owner's email address first: until then the firm can email nobody but its owner. Ask for the confirmation email again in the firm settings.
error-sending_quota_reached = The firm has sent as many emails today as its daily limit allows; try again after midnight UTC.
error-verification_recently_sent = A confirmation email was sent a few minutes ago; look for it (also in the spam folder) or try again later.
error-mailbox_unreachable = The mail server could not be reached. Check the server name, the port and the security.
error-mailbox_login_refused = The mail server refused the sign-in. Check the user name and the password.
error-send_unavailable = The email could not be sent now; try again later.
error-active = This user has already activated their account.
error-already_verified = The firm's address is already confirmed.
error-concurrent_change = Someone else changed this at the same time; read it again and retry.
error-duplicate_address = This contact already has this email address.
error-invitation_not_found = This invitation link cannot be used.
error-link_not_found = This link is not valid.
error-login_off = Turn LOGIN on before sending an invitation.
error-message_not_found = This message does not exist.
error-no_access = You do not have access to this account.
error-no_mailbox = No mailbox is connected.
error-no_recipient = This message has no address to reply to.
error-owner_role_fixed = The owner's role cannot be changed: a firm always has its owner.
error-verification_not_found = This confirmation link cannot be used. Sign in and ask for a new one.
error-unsupported_media_type = This route reads a JSON body: send it with Content-Type: application/json.
error-internal_error = Something went wrong on our side.

## error-status-<status>: for a code without a sentence above.

error-status-400 = The request is not valid.
error-status-401 = Sign in first.
error-status-403 = You do not have the right to do this.
error-status-404 = This does not exist.
error-status-409 = This clashes with the current data; read it again and retry.
error-status-415 = This kind of content is not read here.
error-status-422 = Some fields are not valid.
error-status-429 = Too many requests; wait a moment and try again.
error-status-500 = Something went wrong on our side.
error-status-503 = This cannot be done right now; try again later.

## The errors the API answers before any route reads the request.

error-not-an-object = The request body must be a JSON object.
error-too-deep = The request body is nested too deeply.
error-not-unicode = The request body is not valid UTF-8 text.
error-json-only = This route reads a JSON body: send it with Content-Type: application/json.
error-nothing-here = There is nothing at this address.
error-internal = Something went wrong on our side.
error-fields = Some fields are not valid.

## Firms, staff and the portal.

error-firm-not-found = This firm does not exist.
error-staff-not-found = This staff member does not exist.
error-staff-taken = This email address already belongs to a staff member.
error-owner-only = Only the firm's owner may confirm the firm's address.
error-staff-changed = This staff member was changed at the same time.
error-verification-asked-twice = The confirmation email was asked for at the same time.
error-portal-token = This token does not belong to a client portal user.
error-no-document = This document does not exist.

## field-*: the message of one field of a request that failed validation.
## $limit: a number of characters or items; $choices: the values allowed, joined with
## "or" as the language writes a list; $kind: text, number, boolean, list or object.

field-missing = This field is required.
field-unknown = This field is not known.
field-too-short = { $limit ->
    [one] At least one character.
   *[other] At least { $limit } characters.
}
field-too-long = { $limit ->
    [one] One character at most.
   *[other] { $limit } characters at most.
}
field-too-few = { $limit ->
    [one] At least one item.
   *[other] At least { $limit } items.
}
field-too-many = { $limit ->
    [one] One item at most.
   *[other] { $limit } items at most.
}
field-not-email = Not a valid email address.
field-single-line = Must be a single line of text without control characters (line breaks, tabs, NUL, ...).
field-not-one-of = Must be { $choices }.
field-null = null is not a value here: leave the field out to keep it.
field-time-zone = Not a time zone: write an IANA name such as Europe/Amsterdam.
field-wrong-type = { $kind ->
    [text] Must be text.
    [number] Must be a whole number.
    [boolean] Must be true or false.
    [list] Must be a list.
   *[object] Must be a JSON object.
}
field-plain-text = Must be plain text, without control characters.
field-clock-time = Write a time of day as HH:MM, such as 22:00.
field-quiet-hours = Quiet hours must start and end at different times.
field-not-domain = Not a domain. Write an address as name@bank.example, a domain as @bank.example.
field-domain-without-at = A domain is written with its @: @{ $domain }.
field-not-address-or-domain = Not an address or a domain. Write an address as name@bank.example, a domain as @bank.example.
field-phone = Not a phone number: digits, spaces, + ( ) . / - only.
field-postal-address = An address holds text and line breaks only, no other control characters.
field-website = Not a website address: write it as https://example.com.
field-host = Not a valid host name or address.
field-invalid = This value is not valid.

## Sign-in from a new device

error-session_ended = This session was ended; sign in again.

## Password reset

error-gone = This can no longer be used.
error-link_used = This link has been used already. Ask for a new one if you still need it.
error-link_expired = This link has expired: a reset link works for one hour. Ask for a new one.
error-status-410 = This can no longer be used.

## Bulk invitations

error-bulk_in_progress = The same invitations are being sent by another request.

## Importing contacts from CSV: the whole file refused, or one row reported by the
## number a spreadsheet shows. $column is the header's name of the column.

import-unreadable = This CSV cannot be read (a broken quote, or a cell too large).
import-empty = The CSV is empty; the first row must be the header.
import-too-many-rows = At most { $limit } rows can be imported at once.
import-header-lacks = The header lacks: { $columns }.
import-unknown-columns = These columns are not email fields of the firm: { $columns }.
import-row-too-many-cells = This row has more cells than the header.
import-row-not-email = Not a valid email address: { $address }.
import-row-required = { $column } is required.
import-row-field = { $column }: { $problem }
