"""An account's documents (Docs): listed per account, downloaded through short-lived
links. Email attachments saved by the sync are the first source."""
