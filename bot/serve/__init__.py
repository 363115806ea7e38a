"""Builds and runs the process (`process.serve`): the Bolt app, its HTTP server, the scheduled
jobs, start-up checks.

The only layer of the running bot that wires `handlers` to the runtime."""
