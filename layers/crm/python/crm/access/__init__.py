"""Per account and per address: LOGIN, NOTIFY, EMAIL SYNC, notification preferences,
and the Contacts section of an account that shows them."""
