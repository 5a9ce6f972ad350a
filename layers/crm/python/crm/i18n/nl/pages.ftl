## De pagina's die de API zelf serveert (crm.http.pages). Klanten lezen "u", tenzij het
## kantoor "je" heeft gekozen ($form). De bevestigingspagina is voor de eigenaar: "u".

# /activate: $firm, $accounts, $email (vet), $minimum (tekens), $expires (datum en tijd
# in de tijdzone van het kantoor)
activate-page =
    .title =
        { $form ->
            [informal] Accepteer je uitnodiging
           *[formal] Accepteer uw uitnodiging
        }
    .heading =
        { $form ->
            [informal] Accepteer je uitnodiging
           *[formal] Accepteer uw uitnodiging
        }
    .staff =
        { $form ->
            [informal] { $firm } nodigt je uit voor het team.
           *[formal] { $firm } nodigt u uit voor het team.
        }
    .client =
        { $form ->
            [informal] { $firm } nodigt je uit voor het klantportaal van { $accounts }.
           *[formal] { $firm } nodigt u uit voor het klantportaal van { $accounts }.
        }
    .client-no-accounts =
        { $form ->
            [informal] { $firm } nodigt je uit voor het klantportaal.
           *[formal] { $firm } nodigt u uit voor het klantportaal.
        }
    .login =
        { $form ->
            [informal] Je logt in met { $email }.
           *[formal] U logt in met { $email }.
        }
    .expires = Deze uitnodiging is geldig tot { $expires }.
    .existing-rule =
        { $form ->
            [informal] Je gebruikt het klantportaal al met dit e-mailadres. Vul je huidige wachtwoord in. De nieuwe toegang wordt aan je account toegevoegd.
           *[formal] U gebruikt het klantportaal al met dit e-mailadres. Vul uw huidige wachtwoord in. De nieuwe toegang wordt aan uw account toegevoegd.
        }
    .current-password =
        { $form ->
            [informal] Je huidige wachtwoord
           *[formal] Uw huidige wachtwoord
        }
    .new-rule =
        { $form ->
            [informal] Je wachtwoord moet minstens { $minimum } tekens lang zijn. Alle tekens tellen mee: een paar woorden die je goed onthoudt, vormen een sterk wachtwoord.
           *[formal] Uw wachtwoord moet minstens { $minimum } tekens lang zijn. Alle tekens tellen mee: een paar woorden die u goed onthoudt, vormen een sterk wachtwoord.
        }
    .choose-password = Kies een wachtwoord
    .repeat-password = Herhaal het wachtwoord
    .button = Accepteren en doorgaan
    .done-heading =
        { $form ->
            [informal] Je account is actief
           *[formal] Uw account is actief
        }
    .done-text =
        { $form ->
            [informal] Log in met { $email } en je wachtwoord.
           *[formal] Log in met { $email } en uw wachtwoord.
        }
    .go-workspace =
        { $form ->
            [informal] Naar je werkomgeving
           *[formal] Naar uw werkomgeving
        }
    .go-portal = Naar het klantportaal

# wat het script van de activatiepagina zegt terwijl het werkt
activate-script =
    .enter-password =
        { $form ->
            [informal] Vul je wachtwoord in.
           *[formal] Vul uw wachtwoord in.
        }
    .too-short = Het wachtwoord is te kort: gebruik minstens { $minimum } tekens.
    .not-same = De wachtwoorden komen niet overeen.
    .activating =
        { $form ->
            [informal] Je account wordt geactiveerd…
           *[formal] Uw account wordt geactiveerd…
        }
    .signing-in =
        { $form ->
            [informal] Je wordt ingelogd…
           *[formal] U wordt ingelogd…
        }
    .failed = Er is iets misgegaan. Probeer het opnieuw.
    .connection = De verbinding is mislukt. Probeer het opnieuw.

activate-unusable =
    .title = Uitnodigingslink ongeldig
    .heading = Deze link kan niet worden gebruikt
    .text =
        { $form ->
            [informal] De uitnodiging is misschien verlopen, al gebruikt of vervangen door een nieuwere. Vraag het kantoor om je een nieuwe uitnodiging te sturen.
           *[formal] De uitnodiging is misschien verlopen, al gebruikt of vervangen door een nieuwere. Vraag het kantoor om u een nieuwe uitnodiging te sturen.
        }

# /verify: $firm
verify-page =
    .title = Bevestig uw e-mailadres
    .heading = Bevestig uw e-mailadres
    .text = Bevestig dat u de eigenaar bent van { $firm } en dat dit uw e-mailadres is. Zolang u dat niet doet, kan { $firm } alleen e-mails naar u sturen.
    .button = Mijn e-mailadres bevestigen
    .noscript = Deze pagina heeft JavaScript nodig om uw e-mailadres te bevestigen.
    .done-heading = E-mailadres bevestigd
    .done-text = { $firm } kan nu uw team en uw klanten uitnodigen.
    .go-workspace = Naar uw werkomgeving

verify-unusable =
    .title = Bevestigingslink ongeldig
    .heading = Deze link kan niet worden gebruikt
    .text = De link is misschien verlopen, al gebruikt of vervangen door een nieuwere. Log in en vraag een nieuwe bevestigingsmail aan in de kantoorinstellingen.

# de afmeldpagina: $label (vet; wat de klant uitzet, uit notification-category),
# $account, $address
unsubscribe-page =
    .title = Afmelden
    .heading = Afmelden
    .question =
        { $form ->
            [informal] Wil je geen e-mails meer ontvangen over { $label } voor { $account } op { $address }?
           *[formal] Wilt u geen e-mails meer ontvangen over { $label } voor { $account } op { $address }?
        }
    .button = Afmelden
    .done-title = Afgemeld
    .done-heading =
        { $form ->
            [informal] Je bent afgemeld
           *[formal] U bent afgemeld
        }
    .done-text = { $address } ontvangt geen e-mails meer over { $label } voor { $account }.

# de pagina van de activatielink in de banner: $address
activation-request-page =
    .title =
        { $form ->
            [informal] Activeer je account
           *[formal] Activeer uw account
        }
    .heading =
        { $form ->
            [informal] Activeer je account voor het klantportaal
           *[formal] Activeer uw account voor het klantportaal
        }
    .text =
        { $form ->
            [informal] We sturen je per e-mail een nieuwe uitnodigingslink om je wachtwoord in te stellen.
           *[formal] We sturen u per e-mail een nieuwe uitnodigingslink om uw wachtwoord in te stellen.
        }
    .button = Stuur mij de activatielink
    .result-heading = Activatie
    .sent =
        { $form ->
            [informal] We hebben een nieuwe uitnodiging gestuurd naar { $address }. Open die om je wachtwoord in te stellen.
           *[formal] We hebben een nieuwe uitnodiging gestuurd naar { $address }. Open die om uw wachtwoord in te stellen.
        }
    .recently_sent =
        { $form ->
            [informal] Er is een paar minuten geleden een uitnodiging naar { $address } gestuurd. Kijk in je inbox en ook in je spammap.
           *[formal] Er is een paar minuten geleden een uitnodiging naar { $address } gestuurd. Kijk in uw inbox en ook in uw spammap.
        }
    .active =
        { $form ->
            [informal] Je account is al actief. Log in op het klantportaal.
           *[formal] Uw account is al actief. Log in op het klantportaal.
        }
    .unavailable =
        { $form ->
            [informal] Toegang tot het klantportaal is niet beschikbaar voor dit e-mailadres. Neem contact op met je kantoor.
           *[formal] Toegang tot het klantportaal is niet beschikbaar voor dit e-mailadres. Neem contact op met uw kantoor.
        }

# elke ondertekende link uit een e-mail die niet te lezen is
link-invalid =
    .title = Ongeldige link
    .heading = Deze link is ongeldig
    .text = De link is misschien onvolledig. Kopieer de hele link uit de e-mail.

## Verplichte soorten en vergrendelde categorieën (issue 14)
# onder de afmeldvraag van een categorie met soorten die altijd worden verstuurd
unsubscribe-required =
    .invoices_and_payments =
        { $form ->
            [informal] Bevestigingen van betalingen die je hebt gedaan blijf je ontvangen: die worden altijd verstuurd.
           *[formal] Bevestigingen van betalingen die u hebt gedaan blijft u ontvangen: die worden altijd verstuurd.
        }
# de pagina van een afmeldlink waarvan het kantoor de categorie heeft vergrendeld: $label
# (vet), $account, $address
unsubscribe-locked =
    .title =
        { $form ->
            [informal] Beheerd door je accountant
           *[formal] Beheerd door uw accountant
        }
    .heading = Deze e-mails kunnen hier niet worden uitgezet
    .text =
        { $form ->
            [informal] Je accountant beheert de e-mails over { $label } voor { $account } aan { $address }. Er is niets gewijzigd. Neem contact op met je accountant als je er minder wilt ontvangen.
           *[formal] Uw accountant beheert de e-mails over { $label } voor { $account } aan { $address }. Er is niets gewijzigd. Neem contact op met uw accountant als u er minder wilt ontvangen.
        }

## This was not me

# de pagina van de link in de melding over een nieuw apparaat: $device (vet), $place, $time
not-me-page =
    .title =
        { $form ->
            [informal] Was jij dit niet?
           *[formal] Was u dit niet?
        }
    .heading =
        { $form ->
            [informal] Heb je niet zelf ingelogd?
           *[formal] Hebt u niet zelf ingelogd?
        }
    .what =
        { $form ->
            [informal] Op { $time } is er ingelogd op je klantportaal vanaf { $device } ({ $place }).
           *[formal] Op { $time } is er ingelogd op uw klantportaal vanaf { $device } ({ $place }).
        }
    .explain =
        { $form ->
            [informal] Was jij het niet? Beëindig dan alle sessies: wie met je e-mailadres is ingelogd, wordt meteen uitgelogd, op elk apparaat, en jij ook.
           *[formal] Was u het niet? Beëindig dan alle sessies: wie met uw e-mailadres is ingelogd, wordt meteen uitgelogd, op elk apparaat, en u ook.
        }
    .button = Alle sessies beëindigen
not-me-done =
    .title = Alle sessies beëindigd
    .heading = Iedereen is uitgelogd
    .text =
        { $form ->
            [informal] Alle sessies met je e-mailadres zijn beëindigd, op elk apparaat. Log opnieuw in om verder te gaan.
           *[formal] Alle sessies met uw e-mailadres zijn beëindigd, op elk apparaat. Log opnieuw in om verder te gaan.
        }
    .password =
        { $form ->
            [informal] Iemand kent mogelijk je wachtwoord. Neem contact op met { $firm } om je account te beveiligen, en gebruik dat wachtwoord nergens anders.
           *[formal] Iemand kent mogelijk uw wachtwoord. Neem contact op met { $firm } om uw account te beveiligen, en gebruik dat wachtwoord nergens anders.
        }
# $days: hoe lang de link werkte; $firm
not-me-expired =
    .title = Link verlopen
    .heading = Deze link is verlopen
    .text =
        { $form ->
            [informal] De link was { $days } dagen geldig na het versturen van de e-mail. Denk je nog steeds dat iemand anders je account gebruikt? Neem dan contact op met { $firm }.
           *[formal] De link was { $days } dagen geldig na het versturen van de e-mail. Denkt u nog steeds dat iemand anders uw account gebruikt? Neem dan contact op met { $firm }.
        }
