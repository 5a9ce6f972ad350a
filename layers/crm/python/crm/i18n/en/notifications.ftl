## The notification emails (crm.notifications.mail). One message per kind, its parts
## as attributes. A sentence may come in variants named by the facts they use, in this
## order: -number, -amount, -due (`lead-amount-due`); the code takes the variant that
## uses the most of the facts the event carries.
## Placeables: $firm, $title, $account, $item, $number, $amount, $due.

notification-email =
    .account = Account: { $account }
    .due-line = Due date: { $due }.
    .open-link = { $button }: { $url }
    .activate-banner = Your client portal account is not activated yet.
    .activate-link = Activate it
    .activate-after = to see everything in one place.
    .activate-text = Activate your client portal account to see everything in one place: { $url }
    .footer = You receive this email as a contact of { $account } at { $firm }.
    .unsubscribe-text = To stop emails about { $label } for { $account }, unsubscribe: { $url }
    .unsubscribe-link = Unsubscribe
    .unsubscribe-after = from emails about { $label } for { $account }.
    .required-footer = { $firm } always sends this email, whatever your email preferences.
    .list-name = { $firm } notifications
    .copy-subject = Copy: { $subject }
    .copy-intro = A copy of the notification { $firm } sent about { $account }.
    .copy-sent-to = Sent to: { $recipients }
    .copy-link = Link

# what a client turns off with the unsubscribe link: "emails about { $label }"
notification-category =
    .documents_uploads = new documents
    .documents_signatures = signature requests
    .documents_approvals = approval requests
    .chats_and_tasks = chats and client tasks
    .proposals = proposals
    .organizers = organizers
    .invoices_and_payments = invoices and payments

notification-document-uploaded =
    .subject = New document from { $firm }: { $title }
    .heading = New document
    .lead = { $firm } shared a new document with you: { $title }.
    .action = You can view and download it in your portal.
    .button = View document

notification-signature-requested =
    .subject = Signature requested by { $firm }: { $title }
    .heading = Signature requested
    .lead = { $firm } asks you to sign { $title }.
    .lead-due = { $firm } asks you to sign { $title } by { $due }.
    .action = Review and sign it in your portal.
    .button = Review and sign

notification-signature-reminder =
    .subject = Reminder from { $firm }: please sign { $title }
    .heading = Reminder: signature needed
    .lead = A reminder from { $firm }: { $title } is still waiting for your signature.
    .lead-due = A reminder from { $firm }: { $title } is still waiting for your signature (due { $due }).
    .action = Review and sign it in your portal.
    .button = Review and sign

notification-approval-requested =
    .subject = Approval requested by { $firm }: { $title }
    .heading = Approval requested
    .lead = { $firm } asks you to approve { $title }.
    .lead-due = { $firm } asks you to approve { $title } by { $due }.
    .action = Review it and approve it in your portal.
    .button = Review and approve

notification-approval-reminder =
    .subject = Reminder from { $firm }: please approve { $title }
    .heading = Reminder: approval needed
    .lead = A reminder from { $firm }: { $title } is still waiting for your approval.
    .lead-due = A reminder from { $firm }: { $title } is still waiting for your approval (due { $due }).
    .action = Review it and approve it in your portal.
    .button = Review and approve

notification-chat-message-posted =
    .subject = New message from { $firm }: { $title }
    .heading = New message
    .lead = { $firm } sent you a message: { $title }.
    .action = Read it and reply in your portal.
    .button = Read message

notification-chat-comment-posted =
    .subject = New comment from { $firm }: { $title }
    .heading = New comment
    .lead = { $firm } left a comment for you: { $title }.
    .action = Read it and reply in your portal.
    .button = Read comment

notification-client-task-created =
    .subject = New task from { $firm }: { $title }
    .heading = New task
    .lead = { $firm } has a task for you: { $title }.
    .lead-due = { $firm } has a task for you: { $title }, due { $due }.
    .action = Open it in your portal to see what is needed and mark it done.
    .button = Open task

notification-proposal-sent =
    .subject = Proposal from { $firm }: { $title }
    .heading = New proposal
    .lead = { $firm } sent you a proposal: { $title }.
    .lead-due = { $firm } sent you a proposal: { $title }. It is open until { $due }.
    .action = Review it and accept it in your portal.
    .button = View proposal

notification-proposal-reminder =
    .subject = Reminder from { $firm }: proposal { $title }
    .heading = Reminder: proposal waiting
    .lead = A reminder from { $firm }: the proposal { $title } is still waiting for your answer.
    .lead-due = A reminder from { $firm }: the proposal { $title } is still waiting for your answer (open until { $due }).
    .action = Review it and accept it in your portal.
    .button = View proposal

notification-organizer-sent =
    .subject = Organizer from { $firm }: { $title }
    .heading = Questions to answer
    .lead = { $firm } sent you an organizer to fill in: { $title }.
    .lead-due = { $firm } sent you an organizer to fill in by { $due }: { $title }.
    .action = Answer the questions and upload what is asked for in your portal.
    .button = Fill in organizer

notification-organizer-reminder =
    .subject = Reminder from { $firm }: organizer { $title }
    .heading = Reminder: questions to answer
    .lead = A reminder from { $firm }: the organizer { $title } is still waiting for your answers.
    .lead-due = A reminder from { $firm }: the organizer { $title } is still waiting for your answers (due { $due }).
    .action = Answer the questions and upload what is asked for in your portal.
    .button = Fill in organizer

notification-invoice-issued =
    .subject = New invoice from { $firm }: { $title }
    .subject-number = Invoice #{ $number } from { $firm }
    .heading = New invoice
    .item = invoice “{ $title }”
    .item-number = invoice #{ $number }
    .lead = { $firm } issued { $item }.
    .lead-amount = { $firm } issued { $item } for { $amount }.
    .lead-due = { $firm } issued { $item }, due { $due }.
    .lead-amount-due = { $firm } issued { $item } for { $amount }, due { $due }.
    .action = View and pay it in your portal.
    .button = View invoice

notification-invoice-reminder =
    .subject = Reminder from { $firm }: { $title }
    .subject-number = Reminder: invoice #{ $number } from { $firm }
    .heading = Payment reminder
    .item = invoice “{ $title }”
    .item-number = invoice #{ $number }
    .lead = A reminder from { $firm }: { $item } is still open.
    .lead-amount = A reminder from { $firm }: { $item } for { $amount } is still open.
    .lead-due = A reminder from { $firm }: { $item } is still open (due { $due }).
    .lead-amount-due = A reminder from { $firm }: { $item } for { $amount } is still open (due { $due }).
    .action = View and pay it in your portal.
    .button = View invoice

notification-payment-confirmed =
    .subject = Payment received by { $firm }: { $title }
    .subject-number = Payment for invoice #{ $number } received by { $firm }
    .heading = Payment received
    .lead = { $firm } received your payment: { $title }. Thank you.
    .lead-amount = { $firm } received your payment of { $amount }: { $title }. Thank you.
    .lead-number = { $firm } received your payment for invoice #{ $number }. Thank you.
    .lead-number-amount = { $firm } received your payment of { $amount } for invoice #{ $number }. Thank you.
    .action = Nothing more to do. The payment is in your portal.
    .button = View payment

notification-refund-issued =
    .subject = Refund from { $firm }: { $title }
    .subject-number = Refund for invoice #{ $number } from { $firm }
    .heading = Refund issued
    .lead = { $firm } issued you a refund: { $title }.
    .lead-amount = { $firm } issued you a refund of { $amount }: { $title }.
    .lead-number = { $firm } issued you a refund for invoice #{ $number }.
    .lead-number-amount = { $firm } issued you a refund of { $amount } for invoice #{ $number }.
    .action = See the details in your portal. A refund can take a few days to reach your bank account.
    .button = View refund

## Firm locks (issue 14): the footer of an email whose category the firm locked, instead
## of an unsubscribe link. $firm, $account.
locked-category-footer = { $firm } manages these emails for { $account }: contact { $firm } if you would like to receive fewer.

## Digests (issue 14): one email listing what happened while notifications were held for
## an hourly or daily digest, or during quiet hours (crm.notifications.digest_mail).
## $firm, $count (items), $date (the reader's day), $label (a category, as above).
digest-email =
    .subject =
        { $count ->
            [one] { $firm }: one update for you
           *[other] { $firm }: { $count } updates for you
        }
    .heading-daily = Your daily summary of { $date }
    .heading-hourly = Your hourly summary
    .heading-quiet = While your quiet hours lasted
    .intro =
        { $count ->
            [one] One thing happened at { $firm } that you asked to hear about in a summary.
           *[other] { $count } things happened at { $firm } that you asked to hear about in a summary.
        }
    .category = About { $label }
    .footer = You receive this summary as a contact at { $firm }; how often it comes is set per kind of email.
