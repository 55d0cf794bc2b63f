"""Disclosure control (disclosure.md): the cell key method for interactive figures and the audited
suppression of the fixed publications."""
