## The emails other than notifications: invitations, the access notice, the firm's own
## emails and the staff notice of synced mail. Dates come filled in ($expires: "8 December
## 2026, 14:00", in the firm's time zone).

email-greeting = Hello,
email-paste-link = Or paste this link into your browser:
email-copy-subject = Copy: { $subject }

invitation-email =
    .subject = { $firm } invites you to your client portal
    .purpose =
        { $count ->
            [0] { $firm } has invited you to the client portal for your account.
           *[other] { $firm } has invited you to the client portal for { $accounts }.
        }
    .how = To accept, open this link and choose a password of at least { $minimum } characters.
    .existing = If you already use the client portal, use your current password on that page: the link adds this access to your login.
    .button = Accept the invitation
    .expiry = The link works once and expires on { $expires }. If you did not expect this invitation, you can ignore this email.

staff-invitation-email =
    .subject = { $firm } invites you to join their team
    .purpose = { $firm } has invited you to join their team as a staff member.

invitation-copy =
    .subject = Copy: { $firm } invited { $address } to the client portal
    .intro =
        { $count ->
            [0] A copy of the invitation { $firm } sent to { $address } for the client portal.
           *[other] A copy of the invitation { $firm } sent to { $address } for the client portal ({ $accounts }).
        }
    .link = The activation link is only in the invitee's own email; it expires on { $expires }.

staff-elsewhere-notice =
    .reason = Your address already has a staff login with another firm (or a pending invitation from one), and an address can belong to one firm only, so this invitation cannot be accepted.
    .advice = To join { $firm }, ask them to invite another of your addresses.
    .sign-in = To use your existing login, sign in:
    .button = Sign in

access-restored-email =
    .subject = { $firm }: your access to { $account } is back
    .said = { $firm } has given you access to { $account } in their client portal again. Sign in with your current password: there is nothing to activate.
    .open = Open the portal
    .copy-note = A copy of the notice sent to { $address }.

firm-verification-email =
    .subject = Confirm your address for { $firm }
    .ask = Please confirm that { $address } is the address of the owner of { $firm }. Until you do, { $firm } can email nobody but you.
    .how = Open this link and press the button to confirm:
    .button = Confirm my address
    .expiry = The link works once and expires on { $expires }. If you did not create this firm, you can ignore this email: nothing will be sent in its name.

firm-signup-notice =
    .subject = Someone tried to create a firm with your address
    .what = Someone just tried to create a new firm with this email address. The address already has a staff login (or a pending invitation to join a firm), so no firm was created and nothing changed.
    .if-you = If it was you: sign in with your existing login. An address can belong to one firm only; to start another firm, use another address.
    .button = Sign in
    .if-not = If it was not you, you can ignore this email.

synced-mail-notice =
    .subject-one = New email from { $sender }: { $subject }
    .subject =
        { $count ->
            [one] One new email from synced contacts
           *[other] { $count } new emails from synced contacts
        }
    .intro = New email from synced contacts, in the account's email tab and in Inbox+:
    .more = … and { $more } more.
    .unknown-sender = (unknown sender)
    .no-subject = (no subject)

## Personal note on an invitation

invitation-note =
    .heading = A note from { $firm }:

## New device sign-in

# the facts of the new-device notice, also on its "this was not me" page: $browser and
# $system are product names (Chrome, Windows); $city, $country, $address as the request
# told; $time in the reader's time zone, $zone its name
new-device =
    .device = { $browser } on { $system }
    .unknown-browser = an unknown browser
    .unknown-system = an unknown system
    .place-city = { $city }, { $country }
    .place-country = { $country }
    .place-address = IP address { $address }
    .place-unknown = unknown
    .time = { $time } ({ $zone })
    .device-label = Device
    .place-label = Place
    .time-label = Time
# a required security notice (no unsubscribe): $firm
new-device-email =
    .subject = { $firm }: sign-in from a new device
    .said = Someone signed in to the client portal of { $firm } with your email address and password, from a device you had not used before.
    .if-you = If this was you, there is nothing to do.
    .if-not-you = If it was not you, end every session now: everyone signed in with your email address is signed out at once.
    .button = This was not me

## Password reset

# a required security email (no unsubscribe link): $firm; $minutes the link's lifetime
password-reset-email =
    .subject = { $firm }: choose a new password
    .said = Someone asked for a new password for the client portal of { $firm } with your email address.
    .how = Choose a new password with the button below. The link works once, for { $minutes } minutes.
    .button = Choose a new password
    .if-not-you = If you did not ask for this, you can ignore this email: your password stays as it is.
