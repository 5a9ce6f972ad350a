"""Account takeover through the email attribute (issue 9, section 1), over HTTP on the
local stack: a client of firm A talks to the stack's Cognito (moto) directly, with the
public portal app client id from their own token, rewrites their email attribute to a
victim's address, signs in again, and gains nothing. The test holds whether or not the
identity provider refuses the rewrite (moto accepts it: it ignores WriteAttributes and
attribute mutability)."""

from __future__ import annotations

import base64
import json
from typing import Any

import boto3
from botocore.exceptions import ClientError

from local import Stack
from local.template import REGION
from local.testing import ApiSession, Mailbox
from tests.integration.flows import (
    Firm,
    invitation_links,
    invite_and_activate,
    new_firm,
    portal_login,
    unique,
)

ATTACKER_PASSWORD = "mallory's own password 1"
NEW_PASSWORD = "the victim's brand new password"
REFUSALS = {"NotAuthorizedException", "InvalidParameterException", "AliasExistsException"}


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Attacker:
    """What a client can do with Cognito's public API and their own credentials."""

    def __init__(self, stack: Stack, client_id: str, address: str, password: str) -> None:
        self.cognito = boto3.client(
            "cognito-idp", endpoint_url=stack.aws_endpoint, region_name=REGION
        )
        self.client_id = client_id
        self.names = [address]
        self.password = password

    def sign_in(self) -> dict[str, Any]:
        """Cognito's own sign-in with every name the attacker may now go by."""
        for name in self.names:
            try:
                answer = self.cognito.initiate_auth(
                    ClientId=self.client_id,
                    AuthFlow="USER_PASSWORD_AUTH",
                    AuthParameters={"USERNAME": name, "PASSWORD": self.password},
                )
            except ClientError:
                continue
            return dict(answer["AuthenticationResult"])
        raise AssertionError(f"none of {self.names} signs in")

    def rewrite_email(self, address: str) -> str:
        signed = self.sign_in()
        try:
            self.cognito.update_user_attributes(
                AccessToken=signed["AccessToken"],
                UserAttributes=[{"Name": "email", "Value": address}],
            )
        except ClientError as error:
            # The stack's Cognito refuses, as AWS does (local/cognito.py). The product must
            # not rely on that: the write is made anyway, as a misconfigured app client
            # would let it through, and the attack must still open nothing.
            self.cognito.admin_update_user_attributes(
                UserPoolId=claims(signed["AccessToken"])["iss"].rsplit("/", 1)[1],
                Username=self.cognito.get_user(AccessToken=signed["AccessToken"])["Username"],
                UserAttributes=[{"Name": "email", "Value": address}],
            )
            self.names.append(address)
            return str(error.response["Error"]["Code"])
        self.names.append(address)
        return "accepted"


def client_with_password(
    api: ApiSession, mail: Mailbox, firm: Firm, name: str, address: str, password: str
) -> str:
    account_id = firm.account(name)
    contact = firm.contact(address)
    firm.link(account_id, contact["contact_id"])
    firm.toggle(account_id, contact["emails"][0]["email_id"], login=True, send_invitation=True)
    token = invitation_links(mail, address)[-1]
    accepted = api.post(f"/v1/invitations/{token}/accept", json={"password": password})
    assert accepted.status_code == 200, accepted.text
    return account_id


def test_a_client_who_rewrites_their_email_in_cognito_gains_nothing(
    stack: Stack, api: ApiSession, mail: Mailbox
) -> None:
    firm_a, firm_b = new_firm(api, "Firm A"), new_firm(api, "Firm B")
    attacker = f"{unique('mallory')}@evil.example"
    victim = f"{unique('Victim')}@Home.Example"  # stored as given; the attacker lower-cases it
    pending = f"{unique('pending')}@home.example"
    own = client_with_password(api, mail, firm_a, "Mallory", attacker, ATTACKER_PASSWORD)
    victims = firm_b.account("Victim family")
    contact = firm_b.contact(victim)
    firm_b.link(victims, contact["contact_id"])
    invite_and_activate(api, mail, firm_b, victims, contact["emails"][0]["email_id"], victim)
    pendings = firm_b.account("Pending family")
    waiting = firm_b.contact(pending)
    firm_b.link(pendings, waiting["contact_id"])
    firm_b.toggle(pendings, waiting["emails"][0]["email_id"], login=True, send_invitation=True)
    invitation = invitation_links(mail, pending)[-1]
    first = portal_login(api, attacker, ATTACKER_PASSWORD)
    assert first.status_code == 200, first.text
    mallory = Attacker(stack, claims(first.json()["token"])["aud"], attacker, ATTACKER_PASSWORD)

    outcomes = []
    for target in (victim.lower(), pending):
        outcomes.append(mallory.rewrite_email(target))
        token = mallory.sign_in()["IdToken"]  # signed in again, as the attacker would
        for account_id in (victims, pendings):
            opened = api.get(f"/v1/portal/accounts/{account_id}", headers=bearer(token))
            assert opened.status_code == 404, opened.text
        listed = api.get("/v1/portal/accounts", headers=bearer(token))
        assert [a["account_id"] for a in listed.json()["items"]] == [own], listed.text

    assert set(outcomes) <= {"accepted", *REFUSALS}, outcomes
    # the active victim is untouched
    signed_in = portal_login(api, victim.lower())
    assert signed_in.status_code == 200, signed_in.text
    assert [a["account_id"] for a in signed_in.json()["accounts"]] == [victims]
    # the invited victim is not locked out, and the attacker's password is not theirs
    read = api.get(f"/v1/invitations/{invitation}")
    assert read.status_code == 200 and read.json()["existing_user"] is False, read.text
    accepted = api.post(f"/v1/invitations/{invitation}/accept", json={"password": NEW_PASSWORD})
    assert accepted.status_code == 200, accepted.text
    assert portal_login(api, pending, ATTACKER_PASSWORD).status_code == 401
    theirs = portal_login(api, pending, NEW_PASSWORD)
    assert theirs.status_code == 200, theirs.text
    assert [a["account_id"] for a in theirs.json()["accounts"]] == [pendings]
