# Woorden die meerdere onderdelen delen. Elke taal heeft dezelfde ids.

product-portal = Klantportaal
