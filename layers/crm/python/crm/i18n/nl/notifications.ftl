## De meldingsmails (crm.notifications.mail). Eén bericht per soort, de onderdelen als
## attributen. Een zin kan varianten hebben, genoemd naar de feiten die ze gebruiken, in
## deze volgorde: -number, -amount, -due (`lead-amount-due`); de code neemt de variant
## die de meeste feiten van de gebeurtenis gebruikt.
## Plaatshouders: $firm, $title, $account, $item, $number, $amount, $due.
## $form: formal (u) of informal (je), de keuze van het kantoor.

notification-email =
    .account = Account: { $account }
    .due-line = Uiterste datum: { $due }.
    .open-link = { $button }: { $url }
    .activate-banner =
        { $form ->
            [informal] Je account voor het klantportaal is nog niet geactiveerd.
           *[formal] Uw account voor het klantportaal is nog niet geactiveerd.
        }
    .activate-link =
        { $form ->
            [informal] Activeer je account
           *[formal] Activeer uw account
        }
    .activate-after = om alles op één plek te zien.
    .activate-text =
        { $form ->
            [informal] Activeer je account voor het klantportaal om alles op één plek te zien: { $url }
           *[formal] Activeer uw account voor het klantportaal om alles op één plek te zien: { $url }
        }
    .footer =
        { $form ->
            [informal] Je ontvangt deze e-mail als contactpersoon van { $account } bij { $firm }.
           *[formal] U ontvangt deze e-mail als contactpersoon van { $account } bij { $firm }.
        }
    .unsubscribe-text =
        { $form ->
            [informal] Wil je geen e-mails meer over { $label } voor { $account }? Meld je af: { $url }
           *[formal] Wilt u geen e-mails meer over { $label } voor { $account }? Meld u af: { $url }
        }
    .unsubscribe-link = Afmelden
    .unsubscribe-after = voor e-mails over { $label } voor { $account }.
    .required-footer =
        { $form ->
            [informal] { $firm } stuurt deze e-mail altijd, wat je e-mailvoorkeuren ook zijn.
           *[formal] { $firm } stuurt deze e-mail altijd, wat uw e-mailvoorkeuren ook zijn.
        }
    .list-name = Meldingen van { $firm }
    .copy-subject = Kopie: { $subject }
    .copy-intro = Een kopie van de melding die { $firm } heeft gestuurd over { $account }.
    .copy-sent-to = Verstuurd naar: { $recipients }
    .copy-link = Link

# wat een klant uitzet met de afmeldlink: "e-mails over { $label }"
notification-category =
    .documents_uploads = nieuwe documenten
    .documents_signatures = verzoeken om ondertekening
    .documents_approvals = verzoeken om goedkeuring
    .chats_and_tasks = chats en klanttaken
    .proposals = voorstellen
    .organizers = vragenlijsten
    .invoices_and_payments = facturen en betalingen

notification-document-uploaded =
    .subject = Nieuw document van { $firm }: { $title }
    .heading = Nieuw document
    .lead =
        { $form ->
            [informal] { $firm } heeft een nieuw document met je gedeeld: { $title }.
           *[formal] { $firm } heeft een nieuw document met u gedeeld: { $title }.
        }
    .action =
        { $form ->
            [informal] Je kunt het bekijken en downloaden in je klantportaal.
           *[formal] U kunt het bekijken en downloaden in uw klantportaal.
        }
    .button = Document bekijken

notification-signature-requested =
    .subject = Ondertekening gevraagd door { $firm }: { $title }
    .heading = Ondertekening gevraagd
    .lead =
        { $form ->
            [informal] { $firm } vraagt je om { $title } te ondertekenen.
           *[formal] { $firm } vraagt u om { $title } te ondertekenen.
        }
    .lead-due =
        { $form ->
            [informal] { $firm } vraagt je om { $title } uiterlijk { $due } te ondertekenen.
           *[formal] { $firm } vraagt u om { $title } uiterlijk { $due } te ondertekenen.
        }
    .action =
        { $form ->
            [informal] Bekijk het document en onderteken het in je klantportaal.
           *[formal] Bekijk het document en onderteken het in uw klantportaal.
        }
    .button = Bekijken en ondertekenen

notification-signature-reminder =
    .subject = Herinnering van { $firm }: { $title } ondertekenen
    .heading = Herinnering: ondertekening nodig
    .lead =
        { $form ->
            [informal] Een herinnering van { $firm }: { $title } wacht nog op je handtekening.
           *[formal] Een herinnering van { $firm }: { $title } wacht nog op uw handtekening.
        }
    .lead-due =
        { $form ->
            [informal] Een herinnering van { $firm }: { $title } wacht nog op je handtekening (uiterlijk { $due }).
           *[formal] Een herinnering van { $firm }: { $title } wacht nog op uw handtekening (uiterlijk { $due }).
        }
    .action =
        { $form ->
            [informal] Bekijk het document en onderteken het in je klantportaal.
           *[formal] Bekijk het document en onderteken het in uw klantportaal.
        }
    .button = Bekijken en ondertekenen

notification-approval-requested =
    .subject = Goedkeuring gevraagd door { $firm }: { $title }
    .heading = Goedkeuring gevraagd
    .lead =
        { $form ->
            [informal] { $firm } vraagt je om { $title } goed te keuren.
           *[formal] { $firm } vraagt u om { $title } goed te keuren.
        }
    .lead-due =
        { $form ->
            [informal] { $firm } vraagt je om { $title } uiterlijk { $due } goed te keuren.
           *[formal] { $firm } vraagt u om { $title } uiterlijk { $due } goed te keuren.
        }
    .action =
        { $form ->
            [informal] Bekijk het document en keur het goed in je klantportaal.
           *[formal] Bekijk het document en keur het goed in uw klantportaal.
        }
    .button = Bekijken en goedkeuren

notification-approval-reminder =
    .subject = Herinnering van { $firm }: { $title } goedkeuren
    .heading = Herinnering: goedkeuring nodig
    .lead =
        { $form ->
            [informal] Een herinnering van { $firm }: { $title } wacht nog op je goedkeuring.
           *[formal] Een herinnering van { $firm }: { $title } wacht nog op uw goedkeuring.
        }
    .lead-due =
        { $form ->
            [informal] Een herinnering van { $firm }: { $title } wacht nog op je goedkeuring (uiterlijk { $due }).
           *[formal] Een herinnering van { $firm }: { $title } wacht nog op uw goedkeuring (uiterlijk { $due }).
        }
    .action =
        { $form ->
            [informal] Bekijk het document en keur het goed in je klantportaal.
           *[formal] Bekijk het document en keur het goed in uw klantportaal.
        }
    .button = Bekijken en goedkeuren

notification-chat-message-posted =
    .subject = Nieuw bericht van { $firm }: { $title }
    .heading = Nieuw bericht
    .lead =
        { $form ->
            [informal] { $firm } heeft je een bericht gestuurd: { $title }.
           *[formal] { $firm } heeft u een bericht gestuurd: { $title }.
        }
    .action =
        { $form ->
            [informal] Lees het bericht en reageer in je klantportaal.
           *[formal] Lees het bericht en reageer in uw klantportaal.
        }
    .button = Bericht lezen

notification-chat-comment-posted =
    .subject = Nieuwe opmerking van { $firm }: { $title }
    .heading = Nieuwe opmerking
    .lead =
        { $form ->
            [informal] { $firm } heeft een opmerking voor je geplaatst: { $title }.
           *[formal] { $firm } heeft een opmerking voor u geplaatst: { $title }.
        }
    .action =
        { $form ->
            [informal] Lees de opmerking en reageer in je klantportaal.
           *[formal] Lees de opmerking en reageer in uw klantportaal.
        }
    .button = Opmerking lezen

notification-client-task-created =
    .subject = Nieuwe taak van { $firm }: { $title }
    .heading = Nieuwe taak
    .lead =
        { $form ->
            [informal] { $firm } heeft een taak voor je: { $title }.
           *[formal] { $firm } heeft een taak voor u: { $title }.
        }
    .lead-due =
        { $form ->
            [informal] { $firm } heeft een taak voor je: { $title }, uiterlijk { $due }.
           *[formal] { $firm } heeft een taak voor u: { $title }, uiterlijk { $due }.
        }
    .action =
        { $form ->
            [informal] Open de taak in je klantportaal om te zien wat er nodig is. Markeer de taak daarna als afgerond.
           *[formal] Open de taak in uw klantportaal om te zien wat er nodig is. Markeer de taak daarna als afgerond.
        }
    .button = Taak openen

notification-proposal-sent =
    .subject = Voorstel van { $firm }: { $title }
    .heading = Nieuw voorstel
    .lead =
        { $form ->
            [informal] { $firm } heeft je een voorstel gestuurd: { $title }.
           *[formal] { $firm } heeft u een voorstel gestuurd: { $title }.
        }
    .lead-due =
        { $form ->
            [informal] { $firm } heeft je een voorstel gestuurd: { $title }. Het voorstel is geldig tot { $due }.
           *[formal] { $firm } heeft u een voorstel gestuurd: { $title }. Het voorstel is geldig tot { $due }.
        }
    .action =
        { $form ->
            [informal] Bekijk het voorstel en accepteer het in je klantportaal.
           *[formal] Bekijk het voorstel en accepteer het in uw klantportaal.
        }
    .button = Voorstel bekijken

notification-proposal-reminder =
    .subject = Herinnering van { $firm }: voorstel { $title }
    .heading = Herinnering: voorstel wacht op antwoord
    .lead =
        { $form ->
            [informal] Een herinnering van { $firm }: het voorstel { $title } wacht nog op je antwoord.
           *[formal] Een herinnering van { $firm }: het voorstel { $title } wacht nog op uw antwoord.
        }
    .lead-due =
        { $form ->
            [informal] Een herinnering van { $firm }: het voorstel { $title } wacht nog op je antwoord (geldig tot { $due }).
           *[formal] Een herinnering van { $firm }: het voorstel { $title } wacht nog op uw antwoord (geldig tot { $due }).
        }
    .action =
        { $form ->
            [informal] Bekijk het voorstel en accepteer het in je klantportaal.
           *[formal] Bekijk het voorstel en accepteer het in uw klantportaal.
        }
    .button = Voorstel bekijken

notification-organizer-sent =
    .subject = Vragenlijst van { $firm }: { $title }
    .heading = Vragenlijst om in te vullen
    .lead =
        { $form ->
            [informal] { $firm } heeft je een vragenlijst gestuurd om in te vullen: { $title }.
           *[formal] { $firm } heeft u een vragenlijst gestuurd om in te vullen: { $title }.
        }
    .lead-due =
        { $form ->
            [informal] { $firm } heeft je een vragenlijst gestuurd om uiterlijk { $due } in te vullen: { $title }.
           *[formal] { $firm } heeft u een vragenlijst gestuurd om uiterlijk { $due } in te vullen: { $title }.
        }
    .action =
        { $form ->
            [informal] Beantwoord de vragen in je klantportaal en upload wat er gevraagd wordt.
           *[formal] Beantwoord de vragen in uw klantportaal en upload wat er gevraagd wordt.
        }
    .button = Vragenlijst invullen

notification-organizer-reminder =
    .subject = Herinnering van { $firm }: vragenlijst { $title }
    .heading = Herinnering: vragenlijst invullen
    .lead =
        { $form ->
            [informal] Een herinnering van { $firm }: de vragenlijst { $title } wacht nog op je antwoorden.
           *[formal] Een herinnering van { $firm }: de vragenlijst { $title } wacht nog op uw antwoorden.
        }
    .lead-due =
        { $form ->
            [informal] Een herinnering van { $firm }: de vragenlijst { $title } wacht nog op je antwoorden (uiterlijk { $due }).
           *[formal] Een herinnering van { $firm }: de vragenlijst { $title } wacht nog op uw antwoorden (uiterlijk { $due }).
        }
    .action =
        { $form ->
            [informal] Beantwoord de vragen in je klantportaal en upload wat er gevraagd wordt.
           *[formal] Beantwoord de vragen in uw klantportaal en upload wat er gevraagd wordt.
        }
    .button = Vragenlijst invullen

notification-invoice-issued =
    .subject = Nieuwe factuur van { $firm }: { $title }
    .subject-number = Factuur { $number } van { $firm }
    .heading = Nieuwe factuur
    .item = factuur ‘{ $title }’
    .item-number = factuur { $number }
    .lead =
        { $form ->
            [informal] { $firm } heeft je { $item } gestuurd.
           *[formal] { $firm } heeft u { $item } gestuurd.
        }
    .lead-amount =
        { $form ->
            [informal] { $firm } heeft je { $item } van { $amount } gestuurd.
           *[formal] { $firm } heeft u { $item } van { $amount } gestuurd.
        }
    .lead-due =
        { $form ->
            [informal] { $firm } heeft je { $item } gestuurd, te betalen uiterlijk { $due }.
           *[formal] { $firm } heeft u { $item } gestuurd, te betalen uiterlijk { $due }.
        }
    .lead-amount-due =
        { $form ->
            [informal] { $firm } heeft je { $item } van { $amount } gestuurd, te betalen uiterlijk { $due }.
           *[formal] { $firm } heeft u { $item } van { $amount } gestuurd, te betalen uiterlijk { $due }.
        }
    .action =
        { $form ->
            [informal] Bekijk en betaal de factuur in je klantportaal.
           *[formal] Bekijk en betaal de factuur in uw klantportaal.
        }
    .button = Factuur bekijken

notification-invoice-reminder =
    .subject = Herinnering van { $firm }: { $title }
    .subject-number = Herinnering: factuur { $number } van { $firm }
    .heading = Betalingsherinnering
    .item = factuur ‘{ $title }’
    .item-number = factuur { $number }
    .lead = Een herinnering van { $firm }: { $item } staat nog open.
    .lead-amount = Een herinnering van { $firm }: { $item } van { $amount } staat nog open.
    .lead-due = Een herinnering van { $firm }: { $item } staat nog open (te betalen uiterlijk { $due }).
    .lead-amount-due = Een herinnering van { $firm }: { $item } van { $amount } staat nog open (te betalen uiterlijk { $due }).
    .action =
        { $form ->
            [informal] Bekijk en betaal de factuur in je klantportaal.
           *[formal] Bekijk en betaal de factuur in uw klantportaal.
        }
    .button = Factuur bekijken

notification-payment-confirmed =
    .subject = Betaling ontvangen door { $firm }: { $title }
    .subject-number = Betaling voor factuur { $number } ontvangen door { $firm }
    .heading = Betaling ontvangen
    .lead =
        { $form ->
            [informal] { $firm } heeft je betaling ontvangen: { $title }. Dank je wel.
           *[formal] { $firm } heeft uw betaling ontvangen: { $title }. Dank u wel.
        }
    .lead-amount =
        { $form ->
            [informal] { $firm } heeft je betaling van { $amount } ontvangen: { $title }. Dank je wel.
           *[formal] { $firm } heeft uw betaling van { $amount } ontvangen: { $title }. Dank u wel.
        }
    .lead-number =
        { $form ->
            [informal] { $firm } heeft je betaling voor factuur { $number } ontvangen. Dank je wel.
           *[formal] { $firm } heeft uw betaling voor factuur { $number } ontvangen. Dank u wel.
        }
    .lead-number-amount =
        { $form ->
            [informal] { $firm } heeft je betaling van { $amount } voor factuur { $number } ontvangen. Dank je wel.
           *[formal] { $firm } heeft uw betaling van { $amount } voor factuur { $number } ontvangen. Dank u wel.
        }
    .action =
        { $form ->
            [informal] Je hoeft niets meer te doen. De betaling staat in je klantportaal.
           *[formal] U hoeft niets meer te doen. De betaling staat in uw klantportaal.
        }
    .button = Betaling bekijken

notification-refund-issued =
    .subject = Terugbetaling van { $firm }: { $title }
    .subject-number = Terugbetaling voor factuur { $number } van { $firm }
    .heading = Bedrag terugbetaald
    .lead =
        { $form ->
            [informal] { $firm } heeft je een bedrag terugbetaald: { $title }.
           *[formal] { $firm } heeft u een bedrag terugbetaald: { $title }.
        }
    .lead-amount =
        { $form ->
            [informal] { $firm } heeft je { $amount } terugbetaald: { $title }.
           *[formal] { $firm } heeft u { $amount } terugbetaald: { $title }.
        }
    .lead-number =
        { $form ->
            [informal] { $firm } heeft je een bedrag terugbetaald voor factuur { $number }.
           *[formal] { $firm } heeft u een bedrag terugbetaald voor factuur { $number }.
        }
    .lead-number-amount =
        { $form ->
            [informal] { $firm } heeft je { $amount } terugbetaald voor factuur { $number }.
           *[formal] { $firm } heeft u { $amount } terugbetaald voor factuur { $number }.
        }
    .action =
        { $form ->
            [informal] Bekijk de details in je klantportaal. Het kan een paar dagen duren voordat de terugbetaling op je rekening staat.
           *[formal] Bekijk de details in uw klantportaal. Het kan een paar dagen duren voordat de terugbetaling op uw rekening staat.
        }
    .button = Terugbetaling bekijken

## Vergrendelde categorieën (issue 14): de voettekst van een e-mail uit een categorie die het
## kantoor heeft vergrendeld, in plaats van een afmeldlink. $firm, $account.
locked-category-footer =
    { $form ->
        [informal] { $firm } beheert deze e-mails voor { $account }: neem contact op met { $firm } als je er minder wilt ontvangen.
       *[formal] { $firm } beheert deze e-mails voor { $account }: neem contact op met { $firm } als u er minder wilt ontvangen.
    }

## Samenvattingen (issue 14): één e-mail met wat er gebeurde terwijl meldingen wachtten op
## een samenvatting per uur of per dag, of op het einde van de stille uren
## (crm.notifications.digest_mail). $firm, $count (aantal), $date (de dag van de lezer),
## $label (een categorie, zoals hierboven).
digest-email =
    .subject =
        { $count ->
            [one] { $firm }: één nieuw bericht voor { $form ->
                [informal] jou
               *[formal] u
            }
           *[other] { $firm }: { $count } nieuwe berichten voor { $form ->
                [informal] jou
               *[formal] u
            }
        }
    .heading-daily =
        { $form ->
            [informal] Je dagelijkse samenvatting van { $date }
           *[formal] Uw dagelijkse samenvatting van { $date }
        }
    .heading-hourly =
        { $form ->
            [informal] Je samenvatting van het afgelopen uur
           *[formal] Uw samenvatting van het afgelopen uur
        }
    .heading-quiet =
        { $form ->
            [informal] Tijdens je stille uren
           *[formal] Tijdens uw stille uren
        }
    .intro =
        { $count ->
            [one] Er is bij { $firm } één ding gebeurd waarover { $form ->
                [informal] je
               *[formal] u
            } in een samenvatting wilde horen.
           *[other] Er zijn bij { $firm } { $count } dingen gebeurd waarover { $form ->
                [informal] je
               *[formal] u
            } in een samenvatting wilde horen.
        }
    .category = Over { $label }
    .footer =
        { $form ->
            [informal] Je ontvangt deze samenvatting als contactpersoon bij { $firm }; hoe vaak die komt, is per soort e-mail ingesteld.
           *[formal] U ontvangt deze samenvatting als contactpersoon bij { $firm }; hoe vaak die komt, is per soort e-mail ingesteld.
        }
