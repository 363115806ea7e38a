"""Benchmarks and quality reports, run by hand or from tests (not shipped with the bot)."""
