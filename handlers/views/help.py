"""Help, as `/rex help` and the DM answer show it."""

from bot.i18n.messages import t
from handlers.views.kit import Block, section


def help_blocks(lang: str, *, is_admin: bool, prefix: str | None = None) -> list[Block]:
    blocks = [section(prefix)] if prefix else []
    blocks.append(section(t("help", lang)))
    if is_admin:
        blocks.append(section(t("help.admin", lang)))
    return blocks
