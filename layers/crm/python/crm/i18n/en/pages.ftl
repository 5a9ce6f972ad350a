## The pages the API serves itself (crm.http.pages): /activate, /verify, and the
## unsubscribe and activation-request pages of the notification emails. A placeable in
## bold on the page is marked so in the comment above its message.

# /activate: $firm, $accounts (the account names, joined), $email (bold), $minimum
# (characters), $expires (date and time in the firm's zone)
activate-page =
    .title = Accept your invitation
    .heading = Accept your invitation
    .staff = { $firm } invites you to join their team.
    .client = { $firm } invites you to the client portal for { $accounts }.
    .client-no-accounts = { $firm } invites you to the client portal.
    .login = You will sign in with { $email }.
    .expires = This invitation is valid until { $expires }.
    .existing-rule = You already use the client portal with this address: use your current password. The new access is added to your account.
    .current-password = Your current password
    .new-rule = Your password needs at least { $minimum } characters. Any characters count: a few words you will remember make a good one.
    .choose-password = Choose a password
    .repeat-password = Repeat the password
    .button = Accept and continue
    .done-heading = Your account is active
    .done-text = Sign in with { $email } and your password.
    .go-workspace = Go to your workspace
    .go-portal = Go to the client portal

# what the activation page's script says while it works
activate-script =
    .enter-password = Enter your password.
    .too-short = The password is too short: use at least { $minimum } characters.
    .not-same = The two passwords are not the same.
    .activating = Activating your account…
    .signing-in = Signing you in…
    .failed = Something went wrong. Please try again.
    .connection = The connection failed. Please try again.

activate-unusable =
    .title = Invitation link not valid
    .heading = This link cannot be used
    .text = The invitation may have expired, been used already, or been replaced by a newer one. Ask the firm to send you a new invitation.

# /verify: $firm
verify-page =
    .title = Confirm your address
    .heading = Confirm your address
    .text = Confirm that you own { $firm } and that this is your email address. Until you do, { $firm } can email nobody but you.
    .button = Confirm my address
    .noscript = This page needs JavaScript to confirm your email address.
    .done-heading = Address confirmed
    .done-text = { $firm } can now invite your team and your clients.
    .go-workspace = Go to your workspace

verify-unusable =
    .title = Confirmation link not valid
    .heading = This link cannot be used
    .text = It may have expired, been used already, or been replaced by a newer one. Sign in and ask for a new confirmation email in the firm settings.

# the unsubscribe page: $label (bold; what the client stops, from notification-category),
# $account, $address
unsubscribe-page =
    .title = Unsubscribe
    .heading = Unsubscribe
    .question = Stop emails about { $label } for { $account } to { $address }?
    .button = Unsubscribe
    .done-title = Unsubscribed
    .done-heading = You are unsubscribed
    .done-text = { $address } will no longer receive emails about { $label } for { $account }.

# the page of the banner's activation link: $address
activation-request-page =
    .title = Activate your account
    .heading = Activate your client portal account
    .text = We will email you a new invitation link to set your password.
    .button = Send me the activation link
    .result-heading = Activation
    .sent = We sent a new invitation to { $address }. Open it to set your password.
    .recently_sent = An invitation went to { $address } a few minutes ago. Look for it, also in your spam folder.
    .active = Your account is already active. Sign in to the client portal.
    .unavailable = Client portal access is not available for this address. Please contact your firm.

# any signed link from an email that cannot be read
link-invalid =
    .title = Link not valid
    .heading = This link is not valid
    .text = It may be incomplete. Copy the whole link from the email.

## Required kinds and firm locks (issue 14)
# under the unsubscribe question of a category with kinds that are always sent
unsubscribe-required =
    .invoices_and_payments = Confirmations of payments you made still arrive: they are always sent.
# the page of an unsubscribe link whose category the firm locked: $label (bold), $account,
# $address
unsubscribe-locked =
    .title = Managed by your accountant
    .heading = These emails cannot be turned off here
    .text = Your accountant manages the emails about { $label } for { $account } to { $address }. Nothing was changed. Contact them if you would like to receive fewer.

## This was not me

# the page of the new-device notice's link: $device (bold), $place, $time (crm/i18n emails.ftl new-device)
not-me-page =
    .title = Was this not you?
    .heading = Was this sign-in not you?
    .what = Someone signed in to your client portal from { $device } ({ $place }) on { $time }.
    .explain = If it was not you, end every session: whoever signed in with your email address is signed out at once, on every device, and so are you.
    .button = End every session
not-me-done =
    .title = Every session ended
    .heading = Everyone has been signed out
    .text = Every session with your email address has ended, on every device. Sign in again to go on.
    .password = Someone may know your password. Contact { $firm } so they can help you secure your account, and do not use that password anywhere else.
# $days: how long the link worked; $firm
not-me-expired =
    .title = Link expired
    .heading = This link has expired
    .text = It was valid for { $days } days after the email was sent. If you still think someone else is using your account, contact { $firm }.
