"""Reference data derived from libraries (pycountry, babel): countries and Czech districts."""
