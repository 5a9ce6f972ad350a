"""The shared core: what the firm's data is and the rules every capability shares.

The caller and its rights, ids, the access row and its rules, invitations and their
states, notification categories, contacts and accounts, firms and their standing, audit
entries, documents, events. Plain classes and functions: no AWS, no storage, no HTTP.
Every other package may import the core; the core imports only `crm.errors`,
`crm.clock` and `crm.text` (docs/decisions.md 3, checked by import-linter).
"""
