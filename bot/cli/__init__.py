"""The `rex` commands: run, migrate, match, export, demo."""
