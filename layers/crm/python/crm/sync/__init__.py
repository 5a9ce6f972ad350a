"""EMAIL SYNC: the firm's mailbox, synced into Inbox+ and the accounts' email tabs, with
history, threads, replies, saved attachments and the sync's health."""
