#!/usr/bin/env sh
# Install Rex and its runtime dependencies into the Python environment on PATH: the
# Dockerfile's install step, kept here so CI runs exactly it on a plain machine (no image
# can be built there). Then check that the installed command starts.
set -eu
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
python3 -m pip install --quiet .
rex --help >/dev/null
python3 -c "import bot.serve.app, bot.serve.jobs, bot.runtime.metrics, storage.db"
echo "rex installed: $(command -v rex)"
