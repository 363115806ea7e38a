"""Catalogues and formats: every text a person reads, and numbers, dates and lists in their language."""
