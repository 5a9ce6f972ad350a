"""The client portal's side of LOGIN: portal sign-in, the accounts a user may open, the
access check on every portal request, and the last account chosen."""
