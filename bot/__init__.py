"""Rex's product, Slack-free at its core: a `.py` file directly under `bot/` (or a package named
for its concern, `digest/`, `replies/`) is a rule of the product; a package named by a role
holds that role: `matching` and `i18n` (pure engines), `runtime` and `serve` (the running
process), `cli` and `offline` (tools). README, "Project structure", has the layers."""
