"""One copy of each helper the tests and benchmarks share: servers, processes, databases,
builders of rows and networks, and the Slack-side look-ups of end-to-end tests."""
