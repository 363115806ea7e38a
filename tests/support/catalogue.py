"""The catalogues as flat {key: text} maps, for tests that read every text: a plural's
first form under `key.one`, its last (the general plural) under `key.other`."""

from functools import cache

from bot.i18n.messages import LANGUAGES, texts


@cache
def flat(lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, text in texts(lang).items():
        if isinstance(text, tuple):
            found[f"{key}.one"], found[f"{key}.other"] = text[0], text[-1]
        else:
            found[key] = text
    return found


CATALOGUES = {lang: flat(lang) for lang in LANGUAGES}
