"""The message catalogue: every text a person reads, by key, in gettext files.

Each language is `bot/i18n/locales/<lang>/LC_MESSAGES/rex.po` (msgid: the key, msgstr:
the text), read with Babel at start; plural forms come from CLDR through the file's
`Plural-Forms` header (French: 0 and 1 are singular). Adding a language is adding its
`.po` file. Every key is a literal at its call (`t("key")`, `tn("key", n)`, or `N_("key")`
where a key is chosen before the call), so `pybabel extract -k t -k tn -k N_` lists them
all. Placeholders use `str.format` names; values that come from people must be escaped
by the caller (see `handlers.views.kit.escape`) before they are passed in.
"""

from __future__ import annotations

import gettext
import io
from importlib import resources
from typing import Final

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DEFAULT_LANGUAGE: Final = "en"
DOMAIN: Final = "rex"


def read_catalogues() -> dict[str, Catalog]:
    """Every language's `.po` file, as Babel reads it."""
    found: dict[str, Catalog] = {}
    root = resources.files("bot").joinpath("i18n", "locales")
    for folder in sorted(root.iterdir(), key=lambda f: f.name):
        po = folder.joinpath("LC_MESSAGES", f"{DOMAIN}.po")
        if po.is_file():
            found[folder.name] = read_po(io.BytesIO(po.read_bytes()), locale=folder.name)
    return found


def _load() -> dict[str, gettext.GNUTranslations]:
    """Every language's catalogue, compiled in memory; each falls back on English."""
    found: dict[str, gettext.GNUTranslations] = {}
    for lang, catalog in read_catalogues().items():
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        found[lang] = gettext.GNUTranslations(compiled)
    for lang, translations in found.items():
        if lang != DEFAULT_LANGUAGE:
            translations.add_fallback(found[DEFAULT_LANGUAGE])
    return found


CATALOGUES: Final = _load()
LANGUAGES: Final = tuple(CATALOGUES)  # the languages Rex writes in


def N_(key: str) -> str:
    """Mark a key chosen before the call that reads it, so the extractor finds it."""
    return key


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text for `key` in `lang` (English when that language lacks it), filled in."""
    catalogue = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANGUAGE])
    template = catalogue.gettext(key)
    return template.format(**params) if params else template


def tn(key: str, count: int, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The plural form of `key` for `count` in `lang`'s grammar, filled in."""
    catalogue = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANGUAGE])
    return catalogue.ngettext(key, key, count).format(count=count, **params)


def texts(lang: str) -> dict[str, str | tuple[str, ...]]:
    """Every text of `lang`'s catalogue by key: a tuple of forms for a plural."""
    catalog = read_catalogues()[lang]
    found: dict[str, str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string
        found[key] = string if isinstance(string, str) else tuple(string or ())
    return found
