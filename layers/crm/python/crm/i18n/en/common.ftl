# Words several areas share. The catalogs of every language hold the same ids.

product-portal = Client portal

# the answers of "Forgot your password?" (POST /v1/portal/password-reset and its link)
password-reset-answer =
    .requested = If a portal account exists for this address, we sent it a link to choose a new password. The link works for one hour.
    .done = Your password has been changed and every session was ended. Sign in with your new password.
