# De audit trail in woorden (crm/access/summaries.py): één zin per regel, voor de
# medewerker die het tabblad Activiteit leest. $has_person is "yes" als de wijziging een
# contactpersoon noemt (naam in $person), anders "no".

audit-former-staff = een voormalige medewerker
audit-a-contact = Een contactpersoon
audit-toggle = { $toggle } { $on ->
        [yes] aangezet
       *[no] uitgezet
    }
audit-invitation-part = uitnodiging verstuurd
audit-category = e-mails over { $category } { $on ->
        [yes] aangezet
       *[no] uitgezet
    }
audit-access-part = toegang gewijzigd
audit-changes = { $changes }{ $has_address ->
        [yes] { " " }voor { $address }
       *[no] {""}
    }{ $has_person ->
        [yes] { " " }({ $person }).
       *[no] .
    }
audit-unsubscribed = { $address } heeft e-mails over { $categories } uitgezet via een afmeldlink.
audit-invitation-sent = Uitnodiging verstuurd naar { $address }.
audit-invitation-revoked = De uitnodiging aan { $address } is ingetrokken.
audit-invitation-accepted = { $address } heeft de uitnodiging geaccepteerd en kan het klantportaal openen.
audit-access-restored = Toegang tot het klantportaal hersteld voor { $address }{ $has_person ->
        [yes] { " " }({ $person })
       *[no] {""}
    }: inloggen gaat met het huidige wachtwoord.
audit-account-created = Account { $name } aangemaakt.
audit-contact-created = { $count ->
        [0] Contactpersoon aangemaakt zonder e-mailadres.
       *[other] Contactpersoon aangemaakt met { $emails }.
    }
audit-contact-linked = { $person } gekoppeld aan het account.
audit-contact-unlinked = { $person } ontkoppeld van het account.
audit-email-added = Adres { $address } toegevoegd{ $has_person ->
        [yes] { " " }bij { $person }.
       *[no] .
    }
audit-email-removed = Adres { $address } verwijderd{ $has_person ->
        [yes] { " " }bij { $person }.
       *[no] .
    }
audit-email-changed = Adres{ $has_person ->
        [yes] { " " }van { $person }
       *[no] {""}
    } gewijzigd van { $from } in { $to }.
audit-contact-changed = { $has_person ->
        [yes] { $person }: { $changes }.
       *[no] { $changes }.
    }
audit-first-name = voornaam gewijzigd van '{ $from }' in '{ $to }'
audit-last-name = achternaam gewijzigd van '{ $from }' in '{ $to }'
audit-language = taal ingesteld op { $language ->
        [en] Engels
        [nl] Nederlands
       *[other] de taal van het kantoor
    }
audit-contact-unchanged = contactpersoon ongewijzigd
audit-contacts-imported = { $created ->
        [one] Eén contactpersoon geïmporteerd
       *[other] { $created } contactpersonen geïmporteerd
    }, { $rejected_rows ->
        [0] geen rijen geweigerd.
        [one] één rij geweigerd.
       *[other] { $rejected_rows } rijen geweigerd.
    }
audit-email-field-created = E-mailveld { $label } toegevoegd.
audit-firm-created = Kantoor aangemaakt.
audit-firm-verified = Het adres van de eigenaar, { $address }, is bevestigd.
audit-verification-requested = Bevestigingsmail verstuurd naar { $address }.
audit-mailbox-connected = Mailbox { $username } op { $imap_host } gekoppeld.
audit-settings-changed = Instellingen van het kantoor gewijzigd: { $names }.
audit-nothing = niets
audit-role = { $role ->
        [owner] eigenaar
        [admin] beheerder
        [employee] medewerker
       *[other] { $role }
    }
audit-staff-invited = { $email } uitgenodigd als { $role }.
audit-staff-joined = Een medewerker heeft de uitnodiging geaccepteerd.
audit-staff-role = nu { $role }
audit-staff-rights = { $may ->
        [yes] mag accounts beheren
       *[no] mag geen accounts meer beheren
    }
audit-staff-changed = { $email }: { $changes }.
audit-staff-unchanged = ongewijzigd
audit-a-staff-member = Een medewerker
# twee of meer delen van één zin: "LOGIN aangezet, NOTIFY aangezet"
audit-list-separator = ,{ " " }
audit-and = { $first } en { $second }
