"""Cognito user pools: staff and portal identities. We never store a password.

Each user is named after its lower-cased address, by us, through AdminCreateUser; a
username can never change, so nothing a user does to their own attributes makes them
another address's user. The product knows a signed-in user by the token's `sub`.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from botocore.exceptions import ClientError

from crm.errors import AlreadyExists, InvalidCredentials, NotFound, RateLimited, ValidationFailed


@dataclass(frozen=True)
class Session:
    token: str
    expires_in: int

    @property
    def claims(self) -> dict[str, str]:
        """The token's claims, read without checking the signature: Cognito just issued
        it to us over TLS (the gateway's authorizer checks every token it is sent)."""
        payload = self.token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return {str(k): str(v) for k, v in data.items()}

    @property
    def sub(self) -> str:
        return self.claims.get("sub", "")


@dataclass(frozen=True)
class PoolUser:
    """A user as the pool holds it: the immutable `sub`, and the address attribute."""

    sub: str
    email: str
    email_verified: bool
    enabled: bool

    def holds(self, address: str) -> bool:
        """True when this user may be trusted with `address`: the pool says the address
        is theirs and verified (our users are created verified; an address that changed
        or was never verified is not trusted)."""
        return (
            self.enabled
            and self.email_verified
            and self.email.casefold() == address.strip().casefold()
        )


def username(email: str) -> str:
    """Addresses are compared case-insensitively: the pool is case-insensitive too, and
    we always hand it the lower-cased address, so one person is one user."""
    return email.strip().lower()


class UserPool:
    """One Cognito user pool and its app client; the username is the lower-cased email
    address, set by us when the user is created and never changed."""

    def __init__(self, pool_id: str, client_id: str, client: Any | None = None) -> None:
        self.pool_id = pool_id
        self.client_id = client_id
        self._given = client

    @cached_property
    def _client(self) -> Any:
        """Made on first use: a client, and boto3 itself (s3transfer, multiprocessing),
        cost start-up time a route may never need."""
        import boto3

        return self._given or boto3.client("cognito-idp")

    def create_user(
        self,
        email: str,
        password: str,
        attributes: dict[str, str],
        password_field: str = "password",  # noqa: S107 - a field name, not a password
    ) -> str:
        """Create a confirmed user with a permanent password; returns its `sub`.
        A password the pool's policy refuses is a validation error on `password_field`."""
        attrs: list[Any] = [
            {"Name": "email", "Value": username(email)},
            {"Name": "email_verified", "Value": "true"},
        ]
        attrs += [{"Name": name, "Value": value} for name, value in attributes.items()]
        try:
            created = self._client.admin_create_user(
                UserPoolId=self.pool_id,
                Username=username(email),
                UserAttributes=attrs,
                MessageAction="SUPPRESS",
            )
        except ClientError as error:
            if _code(error) == "UsernameExistsException":
                raise AlreadyExists("A user with this email address already exists.") from error
            raise
        try:
            self._client.admin_set_user_password(
                UserPoolId=self.pool_id, Username=username(email), Password=password, Permanent=True
            )
        except ClientError as error:
            self.delete_user(email)
            if _code(error) == "InvalidPasswordException":
                raise ValidationFailed.on(
                    password_field, "The password does not meet the password policy."
                ) from error
            raise
        sub = next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub")
        return str(sub)

    def delete_user(self, email: str) -> None:
        try:
            self._client.admin_delete_user(UserPoolId=self.pool_id, Username=username(email))
        except ClientError as error:
            if _code(error) != "UserNotFoundException":
                raise

    def find_user(self, email: str) -> PoolUser | None:
        """The user named after this address (never one who merely wrote it into an
        attribute: the lookup is by username)."""
        try:
            found = self._client.admin_get_user(UserPoolId=self.pool_id, Username=username(email))
        except ClientError as error:
            if _code(error) == "UserNotFoundException":
                return None
            raise
        attributes = {a["Name"]: a["Value"] for a in found.get("UserAttributes", [])}
        return PoolUser(
            sub=str(attributes.get("sub", "")),
            email=str(attributes.get("email", "")),
            email_verified=str(attributes.get("email_verified", "false")).lower() == "true",
            enabled=bool(found.get("Enabled", True)),
        )

    def update_attributes(self, email: str, attributes: dict[str, str]) -> None:
        """Change custom attributes of an existing user (they become claims of the tokens
        issued from the next sign-in on). A user who does not exist is NotFound."""
        try:
            self._client.admin_update_user_attributes(
                UserPoolId=self.pool_id,
                Username=username(email),
                UserAttributes=[{"Name": n, "Value": v} for n, v in attributes.items()],
            )
        except ClientError as error:
            if _code(error) == "UserNotFoundException":
                raise NotFound("This user does not exist.") from error
            raise

    def set_password(
        self,
        email: str,
        password: str,
        password_field: str = "password",  # noqa: S107 - a field name, not a password
    ) -> None:
        """Set an existing user's password, permanently (AdminSetUserPassword): a reset.
        A password the pool's policy refuses is a validation error on `password_field`;
        a user who no longer exists is NotFound."""
        try:
            self._client.admin_set_user_password(
                UserPoolId=self.pool_id, Username=username(email), Password=password, Permanent=True
            )
        except ClientError as error:
            code = _code(error)
            if code == "InvalidPasswordException":
                raise ValidationFailed.on(
                    password_field, "The password does not meet the password policy."
                ) from error
            if code == "UserNotFoundException":
                raise NotFound("This user does not exist.") from error
            raise

    def sign_out_everywhere(self, email: str) -> None:
        """End every session of the user: Cognito revokes their refresh tokens (ID tokens
        already issued stay valid to their expiry: crm.portal.devices refuses those). A user
        who no longer exists has no session."""
        try:
            self._client.admin_user_global_sign_out(
                UserPoolId=self.pool_id, Username=username(email)
            )
        except ClientError as error:
            if _code(error) != "UserNotFoundException":
                raise

    def user_exists(self, email: str) -> bool:
        return self.find_user(email) is not None

    def sign_in(self, email: str, password: str) -> Session:
        """Password sign-in; every refusal is the same InvalidCredentials."""
        try:
            answer = self._client.initiate_auth(
                ClientId=self.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username(email), "PASSWORD": password},
            )
        except ClientError as error:
            code = _code(error)
            if code == "TooManyRequestsException":
                raise RateLimited("Too many attempts; wait a minute and try again.") from error
            if code in _REFUSALS:
                raise InvalidCredentials() from error
            raise
        result = answer.get("AuthenticationResult")
        if not result:  # a challenge (e.g. NEW_PASSWORD_REQUIRED): not a usable login
            raise InvalidCredentials()
        return Session(token=result["IdToken"], expires_in=int(result["ExpiresIn"]))


_REFUSALS = {
    "NotAuthorizedException",
    "UserNotFoundException",
    "UserNotConfirmedException",
    "PasswordResetRequiredException",
    "InvalidParameterException",
}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
