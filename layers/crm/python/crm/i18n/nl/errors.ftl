# De `message` van de fouten van de API (crm.http.problems). De `code` ernaast blijft
# Engels en verandert nooit met de taal.

## error-<code>: de zin bij een foutcode, gelezen als een fout zonder eigen zin is
## opgeworpen.

error-bad_request = Het verzoek is ongeldig.
error-validation_failed = Sommige velden zijn ongeldig.
error-unauthorized = Log eerst in: voor dit verzoek is een geldig token nodig.
error-invalid_credentials = Het e-mailadres of het wachtwoord is niet juist.
error-forbidden = { $form ->
    [informal] Hiervoor heb je geen rechten.
   *[formal] Hiervoor hebt u geen rechten.
}
error-not_found = { $form ->
    [informal] Dit bestaat niet, of je hebt er geen toegang toe.
   *[formal] Dit bestaat niet, of u hebt er geen toegang toe.
}
error-conflict = Dit botst met de huidige gegevens. Laad ze opnieuw en probeer het nog eens.
error-already_exists = Dit bestaat al.
error-rate_limited = Te veel pogingen. Wacht even en probeer het opnieuw.
error-firm_not_verified = Bevestig eerst het e-mailadres van de eigenaar. Tot die tijd kan het kantoor alleen e-mails naar de eigenaar sturen. Vraag de bevestigingsmail opnieuw aan in de kantoorinstellingen.
error-sending_quota_reached = Het kantoor heeft vandaag het maximumaantal e-mails verstuurd. Probeer het na middernacht (UTC) opnieuw.
error-verification_recently_sent = { $form ->
    [informal] Er is een paar minuten geleden een bevestigingsmail verstuurd. Kijk in je inbox (ook in de spammap) of probeer het later opnieuw.
   *[formal] Er is een paar minuten geleden een bevestigingsmail verstuurd. Kijk in uw inbox (ook in de spammap) of probeer het later opnieuw.
}
error-mailbox_unreachable = De mailserver is niet bereikbaar. Controleer de servernaam, de poort en de beveiliging.
error-mailbox_login_refused = De mailserver heeft het inloggen geweigerd. Controleer de gebruikersnaam en het wachtwoord.
error-send_unavailable = De e-mail kan nu niet worden verstuurd. Probeer het later opnieuw.
error-active = Deze gebruiker heeft het account al geactiveerd.
error-already_verified = Het e-mailadres van het kantoor is al bevestigd.
error-concurrent_change = Iemand anders heeft dit op hetzelfde moment gewijzigd. Laad de gegevens opnieuw en probeer het nog eens.
error-duplicate_address = Dit contact heeft dit e-mailadres al.
error-invitation_not_found = Deze uitnodigingslink kan niet worden gebruikt.
error-link_not_found = Deze link is ongeldig.
error-login_off = { $form ->
    [informal] Zet LOGIN aan voordat je een uitnodiging verstuurt.
   *[formal] Zet LOGIN aan voordat u een uitnodiging verstuurt.
}
error-message_not_found = Dit bericht bestaat niet.
error-no_access = { $form ->
    [informal] Je hebt geen toegang tot dit account.
   *[formal] U hebt geen toegang tot dit account.
}
error-no_mailbox = Er is geen mailbox gekoppeld.
error-no_recipient = Dit bericht heeft geen adres om op te antwoorden.
error-owner_role_fixed = De rol van de eigenaar kan niet worden gewijzigd: een kantoor heeft altijd een eigenaar.
error-verification_not_found = Deze bevestigingslink kan niet worden gebruikt. Log in en vraag een nieuwe aan.
error-unsupported_media_type = Deze route verwacht een JSON-body: stuur die met Content-Type: application/json.
error-internal_error = Er is aan onze kant iets misgegaan.

## error-status-<status>: voor een code zonder eigen zin hierboven.

error-status-400 = Het verzoek is ongeldig.
error-status-401 = Log eerst in.
error-status-403 = { $form ->
    [informal] Hiervoor heb je geen rechten.
   *[formal] Hiervoor hebt u geen rechten.
}
error-status-404 = Dit bestaat niet.
error-status-409 = Dit botst met de huidige gegevens. Laad ze opnieuw en probeer het nog eens.
error-status-415 = Dit type inhoud wordt hier niet ondersteund.
error-status-422 = Sommige velden zijn ongeldig.
error-status-429 = Te veel verzoeken. Wacht even en probeer het opnieuw.
error-status-500 = Er is aan onze kant iets misgegaan.
error-status-503 = Dit kan nu even niet. Probeer het later opnieuw.

## De fouten die de API geeft voordat een route het verzoek leest.

error-not-an-object = De body van het verzoek moet een JSON-object zijn.
error-too-deep = De body van het verzoek is te diep genest.
error-not-unicode = De body van het verzoek is geen geldige UTF-8-tekst.
error-json-only = Deze route verwacht een JSON-body: stuur die met Content-Type: application/json.
error-nothing-here = Op dit adres is niets te vinden.
error-internal = Er is aan onze kant iets misgegaan.
error-fields = Sommige velden zijn ongeldig.

## Kantoren, medewerkers en het klantportaal.

error-firm-not-found = Dit kantoor bestaat niet.
error-staff-not-found = Deze medewerker bestaat niet.
error-staff-taken = Dit e-mailadres hoort al bij een medewerker.
error-owner-only = Alleen de eigenaar van het kantoor kan het e-mailadres van het kantoor bevestigen.
error-staff-changed = Iemand anders heeft deze medewerker op hetzelfde moment gewijzigd.
error-verification-asked-twice = De bevestigingsmail is op hetzelfde moment al aangevraagd.
error-portal-token = Dit token hoort niet bij een gebruiker van het klantportaal.
error-no-document = Dit document bestaat niet.

## field-*: de melding bij één veld van een ongeldig verzoek.
## $limit: een aantal tekens of items; $choices: de toegestane waarden, als lijst met
## "of"; $kind: text, number, boolean, list of object.

field-missing = Dit veld is verplicht.
field-unknown = Dit veld is onbekend.
field-too-short = { $limit ->
    [one] Minimaal één teken.
   *[other] Minimaal { $limit } tekens.
}
field-too-long = { $limit ->
    [one] Maximaal één teken.
   *[other] Maximaal { $limit } tekens.
}
field-too-few = { $limit ->
    [one] Minimaal één item.
   *[other] Minimaal { $limit } items.
}
field-too-many = { $limit ->
    [one] Maximaal één item.
   *[other] Maximaal { $limit } items.
}
field-not-email = Dit is geen geldig e-mailadres.
field-single-line = Moet één regel tekst zijn, zonder stuurtekens (regeleinden, tabs, NUL, ...).
field-not-one-of = Moet { $choices } zijn.
field-null = null is hier geen waarde: laat het veld weg om de huidige waarde te houden.
field-time-zone = Dit is geen tijdzone. Gebruik een IANA-naam, zoals Europe/Amsterdam.
field-wrong-type = { $kind ->
    [text] Moet tekst zijn.
    [number] Moet een geheel getal zijn.
    [boolean] Moet true of false zijn.
    [list] Moet een lijst zijn.
   *[object] Moet een JSON-object zijn.
}
field-plain-text = Moet platte tekst zijn, zonder stuurtekens.
field-clock-time = Schrijf een tijdstip als UU:MM, bijvoorbeeld 22:00.
field-quiet-hours = Stille uren moeten op verschillende tijden beginnen en eindigen.
field-not-domain = Dit is geen domein. Schrijf een adres als naam@bank.example en een domein als @bank.example.
field-domain-without-at = Een domein staat met @ ervoor: @{ $domain }.
field-not-address-or-domain = Dit is geen e-mailadres en geen domein. Schrijf een adres als naam@bank.example en een domein als @bank.example.
field-phone = Dit is geen telefoonnummer: alleen cijfers, spaties en + ( ) . / -.
field-postal-address = Een adres bestaat alleen uit tekst en regeleinden, zonder andere stuurtekens.
field-website = Dit is geen websiteadres: schrijf het als https://example.com.
field-host = Dit is geen geldige servernaam of geldig IP-adres.
field-invalid = Deze waarde is ongeldig.

## Sign-in from a new device

error-session_ended = Deze sessie is beëindigd. Log opnieuw in.

## Password reset

error-gone = Dit kan niet meer worden gebruikt.
error-link_used = Deze link is al gebruikt. Vraag een nieuwe aan als dat nog nodig is.
error-link_expired = Deze link is verlopen: een link om het wachtwoord opnieuw in te stellen werkt één uur. Vraag een nieuwe aan.
error-status-410 = Dit kan niet meer worden gebruikt.

## Bulk invitations

error-bulk_in_progress = Dezelfde uitnodigingen worden al door een ander verzoek verstuurd.

## Contactpersonen importeren uit CSV: het hele bestand geweigerd, of één rij gemeld met
## het nummer dat een spreadsheet toont. $column is de naam van de kolom in de kopregel.

import-unreadable = Deze CSV kan niet worden gelezen (een aanhalingsteken dat niet sluit, of een te grote cel).
import-empty = De CSV is leeg; de eerste rij moet de kopregel zijn.
import-too-many-rows = Er kunnen maximaal { $limit } rijen tegelijk worden geïmporteerd.
import-header-lacks = In de kopregel ontbreekt: { $columns }.
import-unknown-columns = Deze kolommen zijn geen e-mailvelden van het kantoor: { $columns }.
import-row-too-many-cells = Deze rij heeft meer cellen dan de kopregel.
import-row-not-email = Geen geldig e-mailadres: { $address }.
import-row-required = { $column } is verplicht.
import-row-field = { $column }: { $problem }
