"""Tools that work without a live workspace: the fake Slack, the sandbox that drives the real app
against it, and the builder of the shipped vocabulary."""
