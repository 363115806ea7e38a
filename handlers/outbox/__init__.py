"""The outbox's sender: the sweep claims the rows Rex owes (written by `bot.outbox`) and
sends each once, paced, with a sender per kind grouped by whom it concerns."""
