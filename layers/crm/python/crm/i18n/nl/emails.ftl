## De e-mails naast de meldingen: uitnodigingen, het toegangsbericht, de eigen e-mails
## van het kantoor en het bericht aan medewerkers over gesynchroniseerde e-mail. Datums
## komen ingevuld binnen ($expires: "8 december 2026, 14:00", in de tijdzone van het kantoor).
## $form: formal (u) of informal (je), de keuze van het kantoor.

email-greeting =
    { $form ->
        [informal] Hallo,
       *[formal] Goedendag,
    }
email-paste-link =
    { $form ->
        [informal] Of kopieer deze link naar je browser:
       *[formal] Of kopieer deze link naar uw browser:
    }
email-copy-subject = Kopie: { $subject }

invitation-email =
    .subject =
        { $form ->
            [informal] { $firm } nodigt je uit voor je klantportaal
           *[formal] { $firm } nodigt u uit voor uw klantportaal
        }
    .purpose =
        { $form ->
            [informal]
                { $count ->
                    [0] { $firm } heeft je uitgenodigd voor je klantportaal.
                   *[other] { $firm } heeft je uitgenodigd voor het klantportaal van { $accounts }.
                }
           *[formal]
                { $count ->
                    [0] { $firm } heeft u uitgenodigd voor uw klantportaal.
                   *[other] { $firm } heeft u uitgenodigd voor het klantportaal van { $accounts }.
                }
        }
    .how = Open deze link en kies een wachtwoord van minstens { $minimum } tekens om de uitnodiging te accepteren.
    .existing =
        { $form ->
            [informal] Gebruik je het klantportaal al? Vul dan op die pagina je huidige wachtwoord in: de link voegt deze toegang toe aan je account.
           *[formal] Gebruikt u het klantportaal al? Vul dan op die pagina uw huidige wachtwoord in: de link voegt deze toegang toe aan uw account.
        }
    .button = Uitnodiging accepteren
    .expiry =
        { $form ->
            [informal] De link werkt één keer en verloopt op { $expires }. Verwachtte je deze uitnodiging niet? Dan kun je deze e-mail negeren.
           *[formal] De link werkt één keer en verloopt op { $expires }. Verwachtte u deze uitnodiging niet? Dan kunt u deze e-mail negeren.
        }

staff-invitation-email =
    .subject =
        { $form ->
            [informal] { $firm } nodigt je uit voor het team
           *[formal] { $firm } nodigt u uit voor het team
        }
    .purpose =
        { $form ->
            [informal] { $firm } heeft je uitgenodigd om als medewerker deel uit te maken van het team.
           *[formal] { $firm } heeft u uitgenodigd om als medewerker deel uit te maken van het team.
        }

invitation-copy =
    .subject = Kopie: { $firm } heeft { $address } uitgenodigd voor het klantportaal
    .intro =
        { $count ->
            [0] Een kopie van de uitnodiging voor het klantportaal die { $firm } naar { $address } heeft gestuurd.
           *[other] Een kopie van de uitnodiging voor het klantportaal ({ $accounts }) die { $firm } naar { $address } heeft gestuurd.
        }
    .link = De activatielink staat alleen in de e-mail aan de genodigde zelf. De link verloopt op { $expires }.

staff-elsewhere-notice =
    .reason =
        { $form ->
            [informal] Je e-mailadres heeft al een medewerkerslogin bij een ander kantoor (of een openstaande uitnodiging van een ander kantoor). Een e-mailadres kan maar bij één kantoor horen, dus deze uitnodiging kan niet worden geaccepteerd.
           *[formal] Uw e-mailadres heeft al een medewerkerslogin bij een ander kantoor (of een openstaande uitnodiging van een ander kantoor). Een e-mailadres kan maar bij één kantoor horen, dus deze uitnodiging kan niet worden geaccepteerd.
        }
    .advice =
        { $form ->
            [informal] Wil je bij { $firm } aan de slag? Vraag het kantoor dan om een ander e-mailadres van je uit te nodigen.
           *[formal] Wilt u bij { $firm } aan de slag? Vraag het kantoor dan om een ander e-mailadres van u uit te nodigen.
        }
    .sign-in =
        { $form ->
            [informal] Wil je je bestaande login gebruiken? Log dan hier in:
           *[formal] Wilt u uw bestaande login gebruiken? Log dan hier in:
        }
    .button = Inloggen

access-restored-email =
    .subject =
        { $form ->
            [informal] { $firm }: je hebt weer toegang tot { $account }
           *[formal] { $firm }: u hebt weer toegang tot { $account }
        }
    .said =
        { $form ->
            [informal] { $firm } heeft je in het klantportaal weer toegang gegeven tot { $account }. Log in met je huidige wachtwoord: je hoeft niets te activeren.
           *[formal] { $firm } heeft u in het klantportaal weer toegang gegeven tot { $account }. Log in met uw huidige wachtwoord: u hoeft niets te activeren.
        }
    .open = Naar het klantportaal
    .copy-note = Een kopie van het bericht dat naar { $address } is gestuurd.

firm-verification-email =
    .subject =
        { $form ->
            [informal] Bevestig je e-mailadres voor { $firm }
           *[formal] Bevestig uw e-mailadres voor { $firm }
        }
    .ask =
        { $form ->
            [informal] Bevestig dat { $address } het e-mailadres is van de eigenaar van { $firm }. Zolang je dat niet hebt gedaan, kan { $firm } alleen e-mails naar jou sturen.
           *[formal] Bevestig dat { $address } het e-mailadres is van de eigenaar van { $firm }. Zolang u dat niet hebt gedaan, kan { $firm } alleen e-mails naar u sturen.
        }
    .how = Open deze link en klik op de knop om te bevestigen:
    .button = Mijn e-mailadres bevestigen
    .expiry =
        { $form ->
            [informal] De link werkt één keer en verloopt op { $expires }. Heb je dit kantoor niet aangemaakt? Dan kun je deze e-mail negeren: er wordt niets namens dit kantoor verstuurd.
           *[formal] De link werkt één keer en verloopt op { $expires }. Hebt u dit kantoor niet aangemaakt? Dan kunt u deze e-mail negeren: er wordt niets namens dit kantoor verstuurd.
        }

firm-signup-notice =
    .subject = Iemand probeerde een kantoor aan te maken met uw e-mailadres
    .what = Iemand heeft zojuist geprobeerd een nieuw kantoor aan te maken met dit e-mailadres. Dit adres heeft al een medewerkerslogin (of een openstaande uitnodiging van een kantoor). Er is dus geen kantoor aangemaakt en er is niets veranderd.
    .if-you = Was u het zelf? Log dan in met uw bestaande login. Een e-mailadres kan maar bij één kantoor horen. Gebruik een ander e-mailadres om nog een kantoor te starten.
    .button = Inloggen
    .if-not = Was u het niet? Dan kunt u deze e-mail negeren.

synced-mail-notice =
    .subject-one = Nieuwe e-mail van { $sender }: { $subject }
    .subject =
        { $count ->
            [one] Eén nieuwe e-mail van gesynchroniseerde contactpersonen
           *[other] { $count } nieuwe e-mails van gesynchroniseerde contactpersonen
        }
    .intro = Nieuwe e-mail van gesynchroniseerde contactpersonen, te vinden op het tabblad E-mail van het account en in Inbox+:
    .more = … en nog { $more }.
    .unknown-sender = (onbekende afzender)
    .no-subject = (geen onderwerp)

## Personal note on an invitation

invitation-note =
    .heading = Een persoonlijk bericht van { $firm }:

## New device sign-in

# de gegevens van de melding over een nieuw apparaat, ook op de pagina "dit was ik niet":
# $browser en $system zijn productnamen (Chrome, Windows); $city, $country, $address voor
# zover het verzoek ze noemde; $time in de tijdzone van de lezer, $zone de naam daarvan
new-device =
    .device = { $browser } op { $system }
    .unknown-browser = een onbekende browser
    .unknown-system = een onbekend systeem
    .place-city = { $city }, { $country }
    .place-country = { $country }
    .place-address = IP-adres { $address }
    .place-unknown = onbekend
    .time = { $time } ({ $zone })
    .device-label = Apparaat
    .place-label = Plaats
    .time-label = Tijdstip
# een verplichte beveiligingsmelding (geen afmeldlink): $firm
new-device-email =
    .subject = { $firm }: ingelogd vanaf een nieuw apparaat
    .said =
        { $form ->
            [informal] Er is ingelogd op het klantportaal van { $firm } met je e-mailadres en wachtwoord, vanaf een apparaat dat je nog niet eerder had gebruikt.
           *[formal] Er is ingelogd op het klantportaal van { $firm } met uw e-mailadres en wachtwoord, vanaf een apparaat dat u nog niet eerder had gebruikt.
        }
    .if-you =
        { $form ->
            [informal] Was jij dit? Dan hoef je niets te doen.
           *[formal] Was u dit? Dan hoeft u niets te doen.
        }
    .if-not-you =
        { $form ->
            [informal] Was jij het niet? Beëindig dan nu alle sessies: iedereen die met je e-mailadres is ingelogd, wordt meteen uitgelogd.
           *[formal] Was u het niet? Beëindig dan nu alle sessies: iedereen die met uw e-mailadres is ingelogd, wordt meteen uitgelogd.
        }
    .button = Dit was ik niet

## Password reset

# een verplichte beveiligingsmail (geen afmeldlink): $firm; $minutes hoe lang de link werkt
password-reset-email =
    .subject = { $firm }: kies een nieuw wachtwoord
    .said =
        { $form ->
            [informal] Er is een nieuw wachtwoord aangevraagd voor het klantportaal van { $firm } met je e-mailadres.
           *[formal] Er is een nieuw wachtwoord aangevraagd voor het klantportaal van { $firm } met uw e-mailadres.
        }
    .how = Kies een nieuw wachtwoord met de knop hieronder. De link werkt één keer, { $minutes } minuten lang.
    .button = Nieuw wachtwoord kiezen
    .if-not-you =
        { $form ->
            [informal] Heb je dit niet aangevraagd? Dan kun je deze e-mail negeren: je wachtwoord blijft zoals het is.
           *[formal] Heeft u dit niet aangevraagd? Dan kunt u deze e-mail negeren: uw wachtwoord blijft zoals het is.
        }
