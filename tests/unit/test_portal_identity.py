"""Who a portal or staff user is (issue 9, section 1): the identity's immutable `sub`,
never an attribute the user can rewrite. The attacks drive moto's Cognito exactly as a
client would, with the public app client id read from their own token; they hold
whether or not the identity provider refuses the rewrite (moto accepts it)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from crm.errors import Unauthorized
from crm.portal.service import PortalUser, portal_user
from local.template import load_template
from tests.support import TEMPLATE
from tests.unit.conftest import (
    PASSWORD,
    REGION,
    Api,
    Staff,
    claims_of,
    table_items,
)

ATTACKER = "mallory@evil.example"
ATTACKER_PASSWORD = "mallory's own password 1"
NEW_PASSWORD = "the victim's brand new password"


# ------------------------------------------------------------------ helpers


def _cognito() -> Any:
    return boto3.client("cognito-idp", region_name=REGION)


REFUSALS = {"NotAuthorizedException", "InvalidParameterException", "AliasExistsException"}


def rewrite_own_email(token: str, usernames: list[str], password: str, address: str) -> str:
    """What the attacker does by hand: sign in to Cognito with the public app client id
    of their own token (`aud`), then UpdateUserAttributes email = `address`. Answers
    "accepted" or the identity provider's refusal code."""
    signed = sign_in_directly(claims_of(token)["aud"], usernames, password)
    return write_email(signed["AccessToken"], address)


def write_email(access_token: str, address: str) -> str:
    """The rewrite through the app client. The local Cognito refuses it, as AWS does
    (local/cognito.py); the product must not rely on that, so a refused write is then made
    with the admin API, as a misconfigured app client would let it through."""
    attributes = [{"Name": "email", "Value": address}]
    try:
        _cognito().update_user_attributes(AccessToken=access_token, UserAttributes=attributes)
    except ClientError as error:
        force_attributes(access_token, attributes)
        return str(error.response["Error"]["Code"])
    return "accepted"


def force_attributes(access_token: str, attributes: list[dict[str, str]]) -> None:
    cognito = _cognito()
    cognito.admin_update_user_attributes(
        UserPoolId=claims_of(access_token)["iss"].rsplit("/", 1)[1],
        Username=cognito.get_user(AccessToken=access_token)["Username"],
        UserAttributes=attributes,
    )


def sign_in_directly(client_id: str, usernames: list[str], password: str) -> dict[str, Any]:
    """Cognito's own sign-in, trying each name the attacker might use (their address, or
    the one they wrote into their email attribute); the first that works."""
    for name in usernames:
        try:
            answer = _cognito().initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": name, "PASSWORD": password},
            )
        except ClientError:
            continue
        return dict(answer["AuthenticationResult"])
    raise AssertionError(f"none of {usernames} signs in")


def portal_claims(api: Api, address: str, password: str = PASSWORD) -> dict[str, str]:
    answer = api.call("portal_api", "PortalLogin", body={"email": address, "password": password})
    assert answer.status == 200, answer.body
    return claims_of(answer.body["token"])


def portal_get(api: Api, claims: dict[str, str], route: str, **path: str) -> Any:
    return api.call("portal_api", route, claims=claims, path=path or None)


def client_of(firm: Staff, name: str, address: str, password: str = PASSWORD) -> str:
    """An account of `firm` whose client `address` accepted the invitation with
    `password`; returns the account id."""
    account_id = firm.account(name)
    contact = firm.contact(address)
    firm.link(account_id, contact["contact_id"])
    token = firm.send_invitation(account_id, contact["emails"][0]["email_id"])
    accepted = firm.api.accept(token, password)
    assert accepted.status == 200, accepted.body
    return account_id


def product_items() -> list[dict[str, Any]]:
    """The table without the throttle's counters of failed attempts."""
    return [i for i in table_items() if not i["pk"]["S"].startswith("THROTTLE#")]


def account_ids(answer: Any) -> list[str]:
    assert answer.status == 200, answer.body
    return [a["account_id"] for a in answer.body["items"]]


# ------------------------------------------------------ the rule: the token's sub


def test_a_portal_user_is_the_tokens_sub_whatever_its_email_claim() -> None:
    one = portal_user({"sub": "sub-1", "email": "ann@home.example", "token_use": "id"})
    other = portal_user({"sub": "sub-2", "email": "ann@home.example", "token_use": "id"})
    unverified = portal_user(
        {"sub": "sub-1", "email": "bob@else.example", "email_verified": "false", "token_use": "id"}
    )

    assert one == unverified == PortalUser(sub="sub-1")
    assert one != other


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "ann@home.example", "token_use": "id"},  # no sub
        {"sub": "", "token_use": "id"},
        {"sub": "sub-1", "token_use": "access"},  # an access token of the same client
        {"sub": "sub-1"},
    ],
    ids=["no sub", "empty sub", "access token", "no token_use"],
)
def test_a_token_without_a_sub_or_that_is_no_id_token_is_refused(claims: dict[str, str]) -> None:
    with pytest.raises(Unauthorized):
        portal_user(claims)


def test_grants_hang_on_the_sub_and_login_off_deletes_the_one_of_its_user(
    api: Api, owner: Staff
) -> None:
    account_id = owner.account("Smith family")
    contact = owner.contact("Ann@Home.Example")
    email_id = contact["emails"][0]["email_id"]
    owner.link(account_id, contact["contact_id"])
    owner.activate(account_id, email_id)
    claims = portal_claims(api, "ann@home.example")
    grants = [i for i in table_items() if i["kind"]["S"] == "grant"]

    assert [g["pk"]["S"] for g in grants] == [f"PORTAL#{claims['sub']}"]
    assert grants[0]["address"]["S"] == "Ann@Home.Example"
    assert owner.toggle(account_id, email_id, login=False).status == 200
    assert not [i for i in table_items() if i["kind"]["S"] == "grant"]
    assert portal_get(api, claims, "PortalAccount", account_id=account_id).status == 404
    assert "portal_sub" not in next(
        i for i in table_items() if i["sk"]["S"] == f"ACCESS#{email_id}"
    )


def test_an_active_user_whose_address_moved_loses_access_when_login_goes_off_there(
    api: Api, owner: Staff
) -> None:
    account_id = owner.account("Smith family")
    contact = owner.contact("ann@home.example")
    email_id = contact["emails"][0]["email_id"]
    owner.link(account_id, contact["contact_id"])
    owner.activate(account_id, email_id)
    claims = portal_claims(api, "ann@home.example")
    changed = owner.call(
        "directory_api",
        "ChangeEmail",
        path={"contact_id": contact["contact_id"], "email_id": email_id},
        body={"address": "ann@new.example"},
    )
    assert changed.status == 200, changed.body
    (unlinked,) = owner.section(account_id)["unlinked_emails"]
    assert portal_get(api, claims, "PortalAccount", account_id=account_id).status == 200

    assert owner.toggle(account_id, unlinked["email_id"], login=False).status == 200

    assert portal_get(api, claims, "PortalAccount", account_id=account_id).status == 404
    assert not [i for i in table_items() if i["kind"]["S"] == "grant"]


# ------------------------------------------------- accept trusts only verified addresses


def test_an_existing_identity_whose_address_is_not_verified_cannot_take_an_invitation(
    api: Api, owner: Staff
) -> None:
    """Someone (an operator's slip, or a provider that let the attribute change) left a
    portal identity named after the address without a verified email: knowing its
    password does not link the invitation to it."""
    pool = api.module("portal_api").api.service().portal_pool
    _cognito().admin_create_user(
        UserPoolId=pool.pool_id,
        Username="ann@home.example",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "ann@home.example"},
            {"Name": "email_verified", "Value": "false"},
        ],
    )
    _cognito().admin_set_user_password(
        UserPoolId=pool.pool_id, Username="ann@home.example", Password=PASSWORD, Permanent=True
    )
    account_id = owner.account("Smith family")
    contact = owner.contact("ann@home.example")
    email_id = contact["emails"][0]["email_id"]
    owner.link(account_id, contact["contact_id"])
    token = owner.send_invitation(account_id, email_id)
    before = product_items()

    answer = api.accept(token, PASSWORD)

    assert answer.status == 401, answer.body
    assert answer.body["error"]["code"] == "invalid_credentials"
    assert product_items() == before
    assert owner.row(account_id, email_id)["login_status"] == "invited"


# ------------------------------------------------------------------ the attacks


def test_rewriting_ones_email_to_an_active_clients_address_opens_nothing(api: Api) -> None:
    firm_a = api.new_firm("owner@a.example", "Firm A")
    firm_b = api.new_firm("owner@b.example", "Firm B")
    own = client_of(firm_a, "Mallory", ATTACKER, ATTACKER_PASSWORD)
    victims = client_of(firm_b, "Victim family", "Victim@Home.Example")
    token = api.call(
        "portal_api", "PortalLogin", body={"email": ATTACKER, "password": ATTACKER_PASSWORD}
    ).body["token"]

    outcome = rewrite_own_email(token, [ATTACKER], ATTACKER_PASSWORD, "victim@home.Example")
    again = sign_in_directly(
        claims_of(token)["aud"], [ATTACKER, "victim@home.Example"], ATTACKER_PASSWORD
    )
    claims = claims_of(again["IdToken"])

    assert outcome in {"accepted", *REFUSALS}
    assert portal_get(api, claims, "PortalAccount", account_id=victims).status == 404
    assert portal_get(api, claims, "PortalMessages", account_id=victims).status == 404
    assert portal_get(api, claims, "PortalDocuments", account_id=victims).status == 404
    assert account_ids(portal_get(api, claims, "PortalAccounts")) == [own]
    victim = api.call(
        "portal_api", "PortalLogin", body={"email": "victim@home.example", "password": PASSWORD}
    )
    assert victim.status == 200, victim.body
    assert [a["account_id"] for a in victim.body["accounts"]] == [victims]


def test_rewriting_ones_email_to_an_invited_address_neither_locks_out_nor_lets_in(
    api: Api,
) -> None:
    firm_a = api.new_firm("owner@a.example", "Firm A")
    firm_b = api.new_firm("owner@b.example", "Firm B")
    own = client_of(firm_a, "Mallory", ATTACKER, ATTACKER_PASSWORD)
    victims = firm_b.account("Victim family")
    contact = firm_b.contact("pending@home.example")
    firm_b.link(victims, contact["contact_id"])
    invitation = firm_b.send_invitation(victims, contact["emails"][0]["email_id"])
    token = api.call(
        "portal_api", "PortalLogin", body={"email": ATTACKER, "password": ATTACKER_PASSWORD}
    ).body["token"]

    outcome = rewrite_own_email(token, [ATTACKER], ATTACKER_PASSWORD, "pending@home.example")
    again = sign_in_directly(
        claims_of(token)["aud"], [ATTACKER, "pending@home.example"], ATTACKER_PASSWORD
    )
    claims = claims_of(again["IdToken"])
    read = api.read_invitation(invitation)
    accepted = api.accept(invitation, NEW_PASSWORD)

    assert outcome in {"accepted", *REFUSALS}
    assert read.status == 200 and read.body["existing_user"] is False, read.body
    assert accepted.status == 200, accepted.body
    assert [a["account_id"] for a in accepted.body["accounts"]] == [victims]
    assert portal_get(api, claims, "PortalAccount", account_id=victims).status == 404
    assert account_ids(portal_get(api, claims, "PortalAccounts")) == [own]
    with_attackers = api.call(
        "portal_api",
        "PortalLogin",
        body={"email": "pending@home.example", "password": ATTACKER_PASSWORD},
    )
    assert with_attackers.status == 401, with_attackers.body
    victim = portal_claims(api, "pending@home.example", NEW_PASSWORD)
    assert account_ids(portal_get(api, victim, "PortalAccounts")) == [victims]


def test_a_staff_member_rewriting_their_email_stays_who_they_were(api: Api) -> None:
    firm_a = api.new_firm("owner@a.example", "Firm A")
    firm_b = api.new_firm("Owner@B.Example", "Firm B")
    employee = firm_a.add_staff("clerk@a.example")
    staff_client = sign_in_directly(
        employee.claims["aud"], ["clerk@a.example"], PASSWORD
    )  # the same public client id the staff page uses
    b_account = firm_b.account("B's client")

    # the same address in another case: moto's own alias check compares exactly
    outcome = write_email(staff_client["AccessToken"], "OWNER@b.example")
    again = sign_in_directly(
        employee.claims["aud"], ["clerk@a.example", "OWNER@b.example"], PASSWORD
    )
    claims = claims_of(again["IdToken"])

    assert outcome in {"accepted", *REFUSALS}
    assert claims["custom:firm_id"] == firm_a.firm_id
    assert claims["custom:role"] == "employee"
    read = api.call("directory_api", "GetAccount", claims=claims, path={"account_id": b_account})
    assert read.status == 404, read.body
    owner_b = api.call(
        "firms_api", "StaffLogin", body={"email": "owner@b.example", "password": PASSWORD}
    )
    assert owner_b.status == 200, owner_b.body
    assert claims_of(owner_b.body["token"])["custom:firm_id"] == firm_b.firm_id


# ------------------------------------------------------------------ the template


def _pool_resources() -> dict[str, dict[str, Any]]:
    resources = load_template(TEMPLATE)["Resources"]
    return {
        name: resource["Properties"]
        for name, resource in resources.items()
        if resource["Type"].startswith("AWS::Cognito::UserPool")
    }


def test_no_app_client_may_write_an_address_or_a_custom_attribute() -> None:
    """An omitted WriteAttributes lets a client write every standard attribute, email
    included: the list must be there, and harmless."""
    resources = _pool_resources()
    clients = {n: p for n, p in resources.items() if n.endswith("Client")}

    assert set(clients) == {"StaffUserPoolClient", "PortalUserPoolClient"}
    for props in clients.values():
        written = props.get("WriteAttributes")
        assert written, "an omitted WriteAttributes means every standard attribute"
        assert not {"email", "email_verified", "phone_number"} & set(written)
        assert not [a for a in written if a.startswith("custom:")]
        assert "email_verified" in props["ReadAttributes"]


def test_the_username_is_the_address_and_the_address_never_changes() -> None:
    """No UsernameAttributes: the product names each user after its lower-cased address
    (AdminCreateUser only), a name nobody can change; the email attribute is immutable,
    and so are the staff's firm and staff ids."""
    resources = _pool_resources()
    for name in ("StaffUserPool", "PortalUserPool"):
        props = resources[name]
        schema = {a["Name"]: a for a in props["Schema"]}
        assert "UsernameAttributes" not in props and "AliasAttributes" not in props
        assert props["UsernameConfiguration"]["CaseSensitive"] is False
        assert props["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
        assert schema["email"]["Mutable"] is False
    staff = {a["Name"]: a for a in resources["StaffUserPool"]["Schema"]}
    assert staff["firm_id"]["Mutable"] is False
    assert staff["staff_id"]["Mutable"] is False


def test_the_local_cognito_refuses_what_no_app_client_may_write_as_aws_does(api: Api) -> None:
    firm = api.new_firm("owner@role.example", "Role Firm")
    employee = firm.add_staff("clerk@role.example")
    signed = sign_in_directly(employee.claims["aud"], ["clerk@role.example"], PASSWORD)

    codes = []
    for name, value in (("custom:role", "owner"), ("email", "owner@role.example")):
        with pytest.raises(ClientError) as refused:
            _cognito().update_user_attributes(
                AccessToken=signed["AccessToken"], UserAttributes=[{"Name": name, "Value": value}]
            )
        codes.append(refused.value.response["Error"]["Code"])
    _cognito().update_user_attributes(
        AccessToken=signed["AccessToken"], UserAttributes=[{"Name": "locale", "Value": "nl"}]
    )
    again = claims_of(
        sign_in_directly(employee.claims["aud"], ["clerk@role.example"], PASSWORD)["IdToken"]
    )

    assert codes == ["NotAuthorizedException", "NotAuthorizedException"]
    assert again["custom:role"] == "employee"
    assert again["email"] == "clerk@role.example"
