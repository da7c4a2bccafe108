"""One catalogue of user-facing report and summary texts per language.

:data:`LANGUAGES` lists the languages; :func:`texts` returns a :class:`Texts` that looks a key
up and fills its ``{placeholders}``. Both catalogues must have the same keys (a test checks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tsg.common.errors import InputError
from tsg.report.i18n import en, fields, nl, replay

__all__ = ["DEFAULT_LANGUAGE", "ENGLISH", "LANGUAGES", "Texts", "catalogue", "texts"]

#: Language code -> catalogue (key -> text with ``{placeholders}``).
LANGUAGES: dict[str, Mapping[str, str]] = {
    "en": {**en.TEXTS, **fields.ENGLISH, **replay.ENGLISH},
    "nl": {**nl.TEXTS, **fields.DUTCH, **replay.DUTCH},
}
DEFAULT_LANGUAGE = "en"


def catalogue(lang: str) -> Mapping[str, str]:
    """Return the catalogue of a language.

    Raises
    ------
    InputError
        The language is not one of :data:`LANGUAGES`.
    """
    if lang not in LANGUAGES:
        raise InputError(f"unknown report language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return LANGUAGES[lang]


@dataclass(frozen=True)
class Texts:
    """The texts of one language.

    Attributes
    ----------
    lang
        Language code (``en`` or ``nl``).
    """

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        """Return the text of ``key`` with its placeholders filled (English when missing)."""
        text = LANGUAGES[self.lang].get(key) or LANGUAGES[DEFAULT_LANGUAGE][key]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        """Tell whether the catalogues have ``key``."""
        return key in LANGUAGES[DEFAULT_LANGUAGE]

    def term(self, kind: str, value: object) -> str:
        """Word of an enumerated value (``term("level", "high")``; the value when unknown)."""
        key = f"{kind}.{value}"
        return self(key) if key in LANGUAGES[DEFAULT_LANGUAGE] else str(value).replace("_", " ")

    def rule(self, rule: str) -> str:
        """Readable name of an allocation rule (the rule id when the catalogue has none)."""
        key = f"rule.{rule}"
        return self(key) if key in LANGUAGES[DEFAULT_LANGUAGE] else rule.replace("_", " ")


#: The English texts (default of helpers that render without a report context).
ENGLISH = Texts(DEFAULT_LANGUAGE)


def texts(lang: str | None) -> Texts:
    """Return the texts of ``lang`` (``None``: English); unknown codes raise InputError."""
    code = lang or DEFAULT_LANGUAGE
    catalogue(code)
    return Texts(code)
