"""`python -m bot` is `rex`."""

import sys

from bot.cli.main import main

sys.exit(main())
