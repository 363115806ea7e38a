"""Catalogues and formats: every text a person reads; numbers, dates and lists in their language."""
