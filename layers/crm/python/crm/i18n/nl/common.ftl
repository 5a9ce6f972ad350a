# Woorden die meerdere onderdelen delen. Elke taal heeft dezelfde ids.

product-portal = Klantportaal

# de antwoorden van "Wachtwoord vergeten?" (POST /v1/portal/password-reset en de link)
password-reset-answer =
    .requested = Als er een portaalaccount met dit adres bestaat, hebben we er een link naartoe gestuurd om een nieuw wachtwoord te kiezen. De link werkt één uur.
    .done =
        { $form ->
            [informal] Je wachtwoord is gewijzigd en alle sessies zijn beëindigd. Log in met je nieuwe wachtwoord.
           *[formal] Uw wachtwoord is gewijzigd en alle sessies zijn beëindigd. Log in met uw nieuwe wachtwoord.
        }
