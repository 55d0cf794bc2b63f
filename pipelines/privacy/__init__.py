"""Direct identifiers: the detector (identifiers), the name lists (names) and how the loader treats
the export's free-text fields (free_text)."""
