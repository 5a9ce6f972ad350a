"""Every email in its reader's language (issue 13): a client's contact's language, else
the firm's; a staff member's own, else the firm's. Dutch says "u" unless the firm chose
"je"; dates in the firm's time zone, amounts as the language writes them; every email
says its language in `Content-Language` and in `<html lang>`.

The builders are checked directly, in every language and form (which also proves that
every message id the email code uses is in every catalog: a missing one raises); the
choice of the language through the functions that send, on moto."""

from __future__ import annotations

import html
import itertools
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from crm import clock
from crm.core.access import AccessRecord
from crm.core.categories import CATEGORY_OF
from crm.core.directory import AccountRef
from crm.core.firms import FirmSettings
from crm.core.invitations import Invitation
from crm.core.mail import Person
from crm.firms.emails import signup_notice, verification_mail
from crm.i18n import CATALOGS, LANGUAGES, Localizer, localizer
from crm.integrations.mailer import Mail, Mailer
from crm.invitations.mail import invitation_copy, invitation_mail, staff_elsewhere_notice
from crm.notifications.mail import Links, firm_copy, notification_mail
from crm.notifications.models import Notification
from crm.sync.engine import _firm_words
from crm.sync.models import StoredMessage
from crm.sync.notice import staff_notice
from tests.i18n import UNTRANSLATED, pseudo_locale
from tests.support import Context, load_event
from tests.unit.conftest import (
    Api,
    Staff,
    html_of,
    mail_to,
    outbox_events,
    sent_mail,
    text_of,
    token_in,
)
from tests.unit.test_lists import count_dynamodb_calls

FIRM = "Smit & Co"
ACCOUNT = "Familie Jansen"
PORTAL = "https://portal.test/portal"
FACTS = {"number": "1001", "amount": "1234.5", "currency": "EUR", "due_date": "2026-12-31"}
EMAIL_CATALOGS = ("emails.ftl", "notifications.ftl")
FORMS = [False, True]  # informal: "u", then "je"

# the words that tell "u" from "je" in a Dutch sentence (whole words only)
FORMAL = re.compile(r"\b([Uu]w?)\b")
INFORMAL = re.compile(r"\b([Jj]e|jou|jouw)\b")


def notification(detail_type: str, **fields: Any) -> Notification:
    detail = {
        "firm_id": "frm_1",
        "account_id": "acc_1",
        "event_id": "evt-1",
        "title": "Aangifte 2025",
        **fields,
    }
    return Notification.of(detail_type, detail)


def client_mail(detail_type: str, words: Localizer, **fields: Any) -> Mail:
    event = notification(detail_type, **fields)
    links = Links(
        portal=PORTAL,
        unsubscribe=None if event.is_required else "https://api.test/v1/unsubscribe?token=t1",
        activate="https://api.test/v1/activation-request?token=t2",
    )
    return notification_mail(
        event, FIRM, ACCOUNT, "ann@client.example", links, "mail.example", words=words
    )


def invitation(audience: str = "client", expires_at: str = "2026-12-08T13:00:00Z") -> Invitation:
    return Invitation(
        firm_id="frm_1",
        invitation_id="inv_1",
        audience=audience,  # type: ignore[arg-type]
        address="ann@client.example",
        expires_at=expires_at,
        created_at="2026-12-01T13:00:00Z",
    )


def restored_row() -> AccessRecord:
    return AccessRecord(
        firm_id="frm_1",
        account_id="acc_1",
        account_name=ACCOUNT,
        email_id="em_1",
        contact_id="con_1",
        address="ann@client.example",
        label="Email",
        linked=True,
        login=True,
        notify=True,
        email_sync=False,
        login_status="active",
        invitation_id=None,
        invitation_expires_at=None,
        preferences={},
        version=1,
    )


def synced(subject: str, sender: str = "ann@client.example") -> StoredMessage:
    return StoredMessage(
        message_id=f"msg-{subject}",
        rfc_message_id=f"<{subject}@client.example>",
        in_reply_to="",
        references=[],
        thread_id="t",
        subject=subject,
        from_=[Person(name="", address=sender)] if sender else [],
        to=[],
        cc=[],
        reply_to=[],
        date="2026-12-01T10:00:00Z",
        direction="inbound",
        source="imap",
        snippet="",
        text="",
        html="",
        body_key=None,
        raw_key=None,
        attachments=[],
        accounts=[AccountRef(account_id="acc_1", name=ACCOUNT)],
        locations=[],
        problems=[],
        size=1,
        sent_by=None,
        synced_at="2026-12-01T10:00:00Z",
    )


def every_email(words: Localizer) -> list[Mail]:
    """Every email the product writes, in `words`, each kind with every combination of
    the facts its sentences choose by."""
    from crm.access.notice import restored_mail

    mails = []
    for detail_type in sorted(CATEGORY_OF):
        for size in range(len(FACTS) + 1):
            for chosen in itertools.combinations(["number", "amount", "due_date"], size):
                fields = {name: FACTS[name] for name in chosen}
                if "amount" in fields:
                    fields["currency"] = "EUR"
                mails.append(client_mail(detail_type, words, **fields))
                event = notification(detail_type, **fields)
                copies = ["office@smit.example"]
                mails.append(
                    firm_copy(event, FIRM, ACCOUNT, ["a@x.example"], copies, PORTAL, words=words)
                )
    for names in ([], [ACCOUNT], [ACCOUNT, "Jansen BV"]):
        mails.append(invitation_mail(invitation(), FIRM, names, "https://l", words=words))
        mails.append(invitation_copy(invitation(), FIRM, names, ["o@x.example"], words=words))
    mails.append(invitation_mail(invitation("staff"), FIRM, [], "https://l", words=words))
    mails.append(staff_elsewhere_notice(invitation("staff"), FIRM, PORTAL, words=words))
    mails.append(restored_mail(restored_row(), FIRM, PORTAL, words=words))
    mails.append(restored_mail(restored_row(), FIRM, PORTAL, words=words, copy_for=["o@x"]))
    mails.append(verification_mail("o@x.example", FIRM, "https://l", clock.iso(), words=words))
    mails.append(signup_notice("o@x.example", "https://app", words=words))
    for count in (1, 2, 25):
        messages = [synced(f"Vraag {n}", sender="" if n == 0 else "a@x") for n in range(count)]
        mails.append(staff_notice("staff@smit.example", FIRM, messages, words=words))
    return mails


# ------------------------------------------------------------------ the catalogs


@pytest.mark.parametrize("catalog", EMAIL_CATALOGS)
def test_every_language_has_the_same_email_messages(catalog: str) -> None:
    from fluent.syntax import FluentParser, ast

    def ids(language: str) -> set[str]:
        body = FluentParser().parse((CATALOGS / language / catalog).read_text("utf-8")).body
        assert not [e for e in body if isinstance(e, ast.Junk)], f"{language}/{catalog}"
        found = set()
        for entry in body:
            if isinstance(entry, ast.Message):
                found.add(entry.id.name)
                found.update(f"{entry.id.name}.{a.id.name}" for a in entry.attributes)
        return found

    english = ids("en")
    for language in LANGUAGES:
        if (CATALOGS / language).is_dir():
            assert ids(language) == english, language


@pytest.mark.parametrize(("language", "informal"), list(itertools.product(["en", "nl"], FORMS)))
def test_every_email_is_written_from_the_catalog_in_every_language_and_form(
    language: str, informal: bool
) -> None:
    words = localizer(language, informal=informal)

    mails = every_email(words)  # a message id missing from a catalog raises here

    assert len(mails) > 140
    for mail in mails:
        assert mail.language == language
        assert f'<html lang="{language}"' in mail.html
        assert mail.subject and mail.text.strip()
        assert "{" not in mail.text and "{" not in mail.subject  # every placeable filled


def test_the_dutch_emails_say_no_english_sentence() -> None:
    english = every_email(localizer("en"))
    dutch = every_email(localizer("nl"))

    for en, nl in zip(english, dutch, strict=True):
        assert en.subject != nl.subject
        # every sentence of more than three words (the list of synced messages is data)
        lines = {
            line
            for line in en.text.splitlines()
            if len(line.split()) > 3 and not line.startswith("- ")
        }
        shared = lines & set(nl.text.splitlines())
        assert not shared, shared


# what the emails say that no catalog holds: the values filled in, dates as Babel writes
# them, links and addresses
DATA = re.compile(
    r"https?://\S+|\S+@\S+|\d{1,2} [A-Z][a-z]+ \d{4}|Smit & Co|Familie Jansen|Jansen BV"
    r"|Aangifte 2025|Vraag \d+|EUR|UTC"
)


def test_no_email_holds_a_word_the_catalogs_do_not(tmp_path: Path) -> None:
    with pseudo_locale(tmp_path) as language:
        mails = every_email(localizer(language))

    for mail in mails:
        visible = html.unescape(re.sub(r"<title>.*?</title>|<[^>]+>", " ", mail.html, flags=re.S))
        for said in (mail.subject, mail.text, visible):
            left = UNTRANSLATED.search(DATA.sub(" ", said))
            assert left is None, f"{mail.subject!r}: plain text in {said!r}"


# ------------------------------------------------------- Dutch, formal and informal


@pytest.mark.parametrize("detail_type", sorted(CATEGORY_OF))
def test_each_notification_kind_is_dutch_for_a_dutch_reader(detail_type: str) -> None:
    mail = client_mail(detail_type, localizer("nl"))
    raw = Mailer("no-reply@mail.example").compose(mail)

    assert raw["Content-Language"] == "nl"
    assert mail.html.startswith('<!doctype html><html lang="nl">')
    assert "Account: Familie Jansen" in mail.text
    assert "U ontvangt deze e-mail als contactpersoon van Familie Jansen bij Smit & Co." in (
        mail.text
    )
    assert FORMAL.search(mail.text) and not INFORMAL.search(mail.text)


@pytest.mark.parametrize("detail_type", sorted(CATEGORY_OF))
def test_an_informal_firm_says_je(detail_type: str) -> None:
    mail = client_mail(detail_type, localizer("nl", informal=True))

    assert "Je ontvangt deze e-mail als contactpersoon" in mail.text
    assert INFORMAL.search(mail.text) and not FORMAL.search(mail.text)


def test_the_other_dutch_emails_say_u_or_je_as_the_firm_chose() -> None:
    for informal in FORMS:
        words = localizer("nl", informal=informal)
        mails = [
            invitation_mail(invitation(), FIRM, [ACCOUNT], "https://l", words=words),
            invitation_mail(invitation("staff"), FIRM, [], "https://l", words=words),
            staff_elsewhere_notice(invitation("staff"), FIRM, PORTAL, words=words),
            verification_mail("o@x.example", FIRM, "https://l", clock.iso(), words=words),
        ]
        for mail in mails:
            said = f"{mail.subject}\n{mail.text}"
            if informal:
                assert INFORMAL.search(said) and not FORMAL.search(said), said
            else:
                assert FORMAL.search(said) and not INFORMAL.search(said), said


def test_an_invoice_in_dutch_with_its_amount_number_and_due_date() -> None:
    mail = client_mail("InvoiceIssued", localizer("nl"), **FACTS)

    assert mail.subject == "Factuur 1001 van Smit & Co"
    assert (
        "Smit & Co heeft u factuur 1001 van €\xa01.234,50 gestuurd, te betalen uiterlijk "
        "31 december 2026." in mail.text
    )


def test_an_amount_is_written_as_each_language_writes_it() -> None:
    fields = {"amount": "1234.5", "currency": "EUR"}

    english = client_mail("PaymentConfirmed", localizer("en"), **fields)
    dutch = client_mail("PaymentConfirmed", localizer("nl"), **fields)

    assert "your payment of €1,234.50" in english.text
    assert "uw betaling van €\xa01.234,50 ontvangen" in dutch.text


def test_a_due_date_no_dutch_sentence_mentions_gets_its_own_line() -> None:
    mail = client_mail("DocumentUploaded", localizer("nl"), due_date="2027-01-31")

    assert "Uiterste datum: 31 januari 2027." in mail.text
    assert "Uiterste datum: 31 januari 2027." in mail.html


def test_the_unsubscribe_footer_names_the_category_in_dutch() -> None:
    mail = client_mail("InvoiceIssued", localizer("nl"))

    assert "Wilt u geen e-mails meer over facturen en betalingen voor Familie Jansen?" in (
        mail.text
    )
    assert ">Afmelden</a> voor e-mails over facturen en betalingen voor Familie Jansen." in (
        mail.html
    )


def test_a_dutch_value_keeps_its_own_punctuation_and_stays_text() -> None:
    mail = client_mail("ChatMessagePosted", localizer("nl"), title="Klaar? <b>ja</b> & nee.")

    assert "heeft u een bericht gestuurd: Klaar? <b>ja</b> & nee.\n" in mail.text
    assert "<strong>Klaar? &lt;b&gt;ja&lt;/b&gt; &amp; nee.</strong></p>" in mail.html


def test_the_invitation_expiry_is_in_the_firms_time_zone_and_language() -> None:
    amsterdam = localizer("nl", time_zone_name="Europe/Amsterdam")
    london = localizer("en", time_zone_name="Europe/London")

    dutch = invitation_mail(invitation(), FIRM, [ACCOUNT], "https://l", words=amsterdam)
    english = invitation_mail(invitation(), FIRM, [ACCOUNT], "https://l", words=london)

    assert "De link werkt één keer en verloopt op 8 december 2026, 14:00." in dutch.text
    assert "expires on 8 December 2026, 13:00." in english.text
    assert dutch.subject == "Smit & Co nodigt u uit voor uw klantportaal"
    assert "Smit & Co heeft u uitgenodigd voor het klantportaal van Familie Jansen." in (dutch.text)


def test_the_staff_notice_of_synced_mail_is_dutch_with_its_count() -> None:
    words = localizer("nl")

    one = staff_notice("s@x", FIRM, [synced("Vraag")], words=words)
    many = staff_notice("s@x", FIRM, [synced(f"V{n}") for n in range(23)], words=words)
    nameless = staff_notice("s@x", FIRM, [synced("", sender="")], words=words)

    assert one.subject == "Nieuwe e-mail van ann@client.example: Vraag"
    assert many.subject == "23 nieuwe e-mails van gesynchroniseerde contactpersonen"
    assert "… en nog 3." in many.text
    assert nameless.subject == "Nieuwe e-mail van (onbekende afzender): (geen onderwerp)"


def test_a_staff_members_language_wins_over_the_firms_in_the_sync_notice() -> None:
    settings = FirmSettings.model_validate(
        {
            "verified": True,
            "copy_client_emails_to": [],
            "auto_save_attachments": False,
            "notify_staff_on_synced_email": True,
            "default_notification_preferences": {},
            "never_sync": [],
            "language": "nl",
            "time_zone": "Europe/Amsterdam",
            "form_of_address": "informal",
        }
    )

    assert _firm_words(settings, None) == localizer(
        "nl", informal=True, time_zone_name="Europe/Amsterdam"
    )
    assert _firm_words(settings, "en").language == "en"


def test_the_mime_message_carries_content_language_and_keeps_its_list_headers() -> None:
    mail = client_mail("DocumentUploaded", localizer("nl"))

    message = Mailer("no-reply@mail.example").compose(mail)

    assert message["Content-Language"] == "nl"
    assert message["List-Unsubscribe"] == "<https://api.test/v1/unsubscribe?token=t1>"
    assert message["List-Id"] == "Meldingen van Smit & Co <notifications.frm-1.mail.example>"
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None


def test_a_mail_without_a_language_has_no_content_language() -> None:
    mail = Mail(to=["a@x.example"], subject="s", text="t", html="<p>t</p>")

    assert "Content-Language" not in Mailer("no-reply@mail.example").compose(mail)


# ------------------------------------------------- the reader's language, end to end


def notify_on(owner: Staff, account_id: str, address: str, language: str | None = None) -> str:
    contact = owner.contact(address)
    owner.link(account_id, contact["contact_id"])
    owner.toggle(account_id, contact["emails"][0]["email_id"], notify=True)
    if language:
        owner.contact_language(contact["contact_id"], language)
    return str(contact["contact_id"])


def notify(api: Api, owner: Staff, account_id: str, event_id: str) -> dict[str, Any]:
    event = load_event("notify", "Notification")
    event["detail-type"] = "DocumentUploaded"
    event["detail"] = {
        "firm_id": owner.firm_id,
        "account_id": account_id,
        "event_id": event_id,
        "title": "Jaarrekening 2025",
    }
    summary: dict[str, Any] = api.module("notify").lambda_handler(event, Context())
    return summary


def language_of(message: EmailMessage) -> str:
    return str(message["Content-Language"])


def test_a_dutch_firms_client_gets_the_notification_in_dutch(api: Api, owner: Staff) -> None:
    owner.settings(language="nl")
    account_id = owner.account()
    notify_on(owner, account_id, "ann@client.example")

    assert notify(api, owner, account_id, "e-1")["sent"] == 1

    (message,) = mail_to("ann@client.example")
    assert language_of(message) == "nl"
    assert message["Subject"] == "Nieuw document van Ledger & Co: Jaarrekening 2025"
    assert "Ledger & Co heeft een nieuw document met u gedeeld" in text_of(message)
    assert '<html lang="nl">' in html_of(message)


def test_the_contacts_language_wins_over_the_firms(api: Api, owner: Staff) -> None:
    owner.settings(language="nl", copy_client_emails_to=["office@ledger.example"])
    account_id = owner.account()
    notify_on(owner, account_id, "eve@client.example", language="en")
    notify_on(owner, account_id, "jan@client.example")

    assert notify(api, owner, account_id, "e-2")["sent"] == 2

    (english,) = mail_to("eve@client.example")
    (dutch,) = mail_to("jan@client.example")
    (copy,) = mail_to("office@ledger.example")
    assert language_of(english) == "en" and english["Subject"].startswith("New document")
    assert language_of(dutch) == "nl" and dutch["Subject"].startswith("Nieuw document")
    assert language_of(copy) == "nl" and copy["Subject"].startswith("Kopie: ")


def test_a_dutch_contact_at_an_english_firm_gets_dutch(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    notify_on(owner, account_id, "jan@client.example", language="nl")

    notify(api, owner, account_id, "e-3")

    (message,) = mail_to("jan@client.example")
    assert language_of(message) == "nl"
    assert "Account: Smith family" in text_of(message)


def test_the_languages_of_many_recipients_cost_one_batch_read(
    api: Api, owner: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = {"GetItem", "Query", "BatchGetItem"}
    calls = count_dynamodb_calls(monkeypatch)
    account_id = owner.account()
    notify_on(owner, account_id, "one@client.example", language="nl")
    calls.clear()
    notify(api, owner, account_id, "e-4")
    reads_for_one = {k: v for k, v in calls.items() if k in reads}
    for n in range(5):
        notify_on(owner, account_id, f"c{n}@client.example", language=["en", "nl"][n % 2])
    calls.clear()

    assert notify(api, owner, account_id, "e-5")["sent"] == 6

    assert reads_for_one["BatchGetItem"] == 1
    assert {k: v for k, v in calls.items() if k in reads} == reads_for_one
    assert language_of(mail_to("c1@client.example")[0]) == "nl"
    assert language_of(mail_to("c2@client.example")[0]) == "en"


def test_a_dutch_contact_gets_a_dutch_invitation_and_the_firm_an_english_copy(
    api: Api, owner: Staff
) -> None:
    owner.settings(language="en", copy_client_emails_to=["office@ledger.example"])
    account_id = owner.account()
    contact = owner.contact("jan@client.example")
    owner.link(account_id, contact["contact_id"])
    owner.contact_language(contact["contact_id"], "nl")

    owner.send_invitation(account_id, contact["emails"][0]["email_id"])

    (invited,) = mail_to("jan@client.example")
    (copy,) = mail_to("office@ledger.example")
    assert language_of(invited) == "nl"
    assert invited["Subject"] == "Ledger & Co nodigt u uit voor uw klantportaal"
    assert "verloopt op" in text_of(invited)
    assert token_in(invited)  # the link still works as a link
    assert language_of(copy) == "en" and copy["Subject"].startswith("Copy: ")


def test_a_dutch_firms_staff_invitation_is_dutch(api: Api, owner: Staff) -> None:
    owner.settings(language="nl")

    assert owner.invite_staff("piet@ledger.example").status == 201
    api.deliver_requested(owner.firm_id)

    (invited,) = mail_to("piet@ledger.example")
    assert language_of(invited) == "nl"
    assert invited["Subject"] == "Ledger & Co nodigt u uit voor het team"


def test_the_access_notice_follows_the_contacts_language(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    contact = owner.contact("jan@client.example")
    owner.link(account_id, contact["contact_id"])
    email_id = contact["emails"][0]["email_id"]
    owner.contact_language(contact["contact_id"], "nl")
    owner.activate(account_id, email_id)
    assert owner.toggle(account_id, email_id, login=False).status == 200
    owner.toggle(account_id, email_id, login=True)

    for event in outbox_events("AccessRestored"):
        sample = load_event("invite", "AccessRestored")
        sample["detail"] = event.detail
        assert api.module("invite").lambda_handler(sample, Context()) == {"outcome": "sent"}

    notice = mail_to("jan@client.example")[-1]
    assert language_of(notice) == "nl"
    assert notice["Subject"] == "Ledger & Co: u hebt weer toegang tot Smith family"


def test_a_dutch_firms_verification_email_is_dutch(api: Api) -> None:
    owner = api.new_firm("eigenaar@smit.example", "Smit & Co", verified=False)
    owner.settings(language="nl")  # before the link asked for at sign-up goes out

    assert api.deliver_verification(owner.firm_id) == {"outcome": "sent"}

    message = mail_to("eigenaar@smit.example")[-1]
    assert language_of(message) == "nl"
    assert message["Subject"] == "Bevestig uw e-mailadres voor Smit & Co"


def test_every_email_sent_through_the_functions_says_its_language(api: Api, owner: Staff) -> None:
    account_id = owner.account()
    notify_on(owner, account_id, "ann@client.example")
    notify(api, owner, account_id, "e-6")

    assert sent_mail()
    assert all(m["Content-Language"] in ("en", "nl") for m in sent_mail())
