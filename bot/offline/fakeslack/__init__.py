"""Offline Slack: a fake Web API server and a driver sending signed requests to the bot.

Used by the test suite and by the offline demo sandbox (`bot.offline`), and depends on the
standard library only.
"""

from bot.offline.fakeslack.driver import Response, SlackDriver
from bot.offline.fakeslack.models import Call, HookPost, StoredFile
from bot.offline.fakeslack.server import FakeSlack

__all__ = ["Call", "FakeSlack", "HookPost", "Response", "SlackDriver", "StoredFile"]
