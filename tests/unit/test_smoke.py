from tests.unit.conftest import Staff


def test_owner_creates_an_account(owner: Staff) -> None:
    account_id = owner.account()
    assert owner.section(account_id) == {"contacts": [], "unlinked_emails": []}
