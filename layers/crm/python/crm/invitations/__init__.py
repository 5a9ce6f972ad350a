"""Invitation links, shared by staff and client invitations: tokens, sending, the
/activate page, and accepting."""
