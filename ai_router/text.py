"""Text helpers shared by the classifier, the router and the local engine: no network, no models."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

WORD_PATTERN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
CHARACTERS_PER_TOKEN = 4
TOKENS_PER_MESSAGE = 4
TOKENS_PER_IMAGE = 765
AUDIO_TOKENS_PER_SECOND = 32
WAV_BYTES_PER_SECOND = 32_000


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string, for long vocabularies."""
    return frozenset(text.split())


STOPWORDS_BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": word_set(
        "the and you your is are to of for with this that what have can my me it i be "
        "do how please would will on in about from we our a an at as or but so if by just "
        "all some any its it's was were been has had should could them they their"
    ),
    "fr": word_set(
        "le la les et tu toi ton ta tes vous votre est sont un une des pour avec ce cette "
        "que qui quoi mon ma mes je moi nous dans sur pas merci bonjour salut peux"
    ),
    "es": word_set(
        "el la los las y tu eres es son un una unos para con este esta que mi yo nosotros "
        "en por hola gracias como puedes quiero"
    ),
    "de": word_set(
        "der die das und du dein ist sind ein eine fur mit dieser diese was mein ich wir "
        "nicht hallo danke wie kannst bitte"
    ),
    "it": word_set(
        "il lo la gli le e tu sei sono un una per con questo questa che mio io noi non "
        "ciao grazie come puoi voglio"
    ),
    "pt": word_set(
        "o a os as e voce seu sua um uma para com este esta que meu eu nos nao ola "
        "obrigado obrigada como pode quero"
    ),
}


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Lower case without accents: ``"Légende"`` becomes ``"legende"``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def words(text: str) -> list[str]:
    return WORD_PATTERN.findall(normalize(text))


def estimate_text_tokens(text: str) -> int:
    if not text:
        return 0
    return max(1, math.ceil(len(text) / CHARACTERS_PER_TOKEN))


def _languages_by_word() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for language, stopwords in STOPWORDS_BY_LANGUAGE.items():
        for word in stopwords:
            found.setdefault(word, []).append(language)
    return {word: tuple(languages) for word, languages in found.items()}


LANGUAGES_BY_WORD = _languages_by_word()


def detect_language(text: str) -> str:
    """The language whose common words appear most often, or ``"unknown"``."""
    return detect_language_of_words(words(text))


def detect_language_of_words(tokens: Sequence[str]) -> str:
    """:func:`detect_language` for text already split by :func:`words`; ties go to the
    language listed first."""
    counts: dict[str, int] = {}
    for token in tokens:
        for language in LANGUAGES_BY_WORD.get(token, ()):
            counts[language] = counts.get(language, 0) + 1
    best_language = "unknown"
    best_count = 0
    for language in STOPWORDS_BY_LANGUAGE:
        count = counts.get(language, 0)
        if count > best_count:
            best_language, best_count = language, count
    return best_language


def content_parts(content: Any) -> list[dict[str, Any]]:
    """A message's content as a list of typed parts, whatever form the caller used."""
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    if isinstance(content, list):
        return [part for part in content if isinstance(part, dict)]
    return []


def content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(
        str(part.get("text", ""))
        for part in content_parts(content)
        if part.get("type") == "text" and part.get("text")
    )


def audio_seconds(part: dict[str, Any]) -> float:
    """Duration of an ``input_audio`` part, from its base64 size (16 kHz, 16-bit mono WAV)."""
    audio = part.get("input_audio") or {}
    data = audio.get("data", "") if isinstance(audio, dict) else ""
    byte_count = len(data) * 3 // 4 if isinstance(data, str) else 0
    return byte_count / WAV_BYTES_PER_SECOND


def estimate_message_tokens(messages: Sequence[dict[str, Any]]) -> int:
    total = 0
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for part in content_parts(message.get("content")):
            part_type = part.get("type")
            if part_type == "text":
                total += estimate_text_tokens(str(part.get("text", "")))
            elif part_type == "image_url":
                total += TOKENS_PER_IMAGE
            elif part_type == "input_audio":
                total += math.ceil(audio_seconds(part) * AUDIO_TOKENS_PER_SECOND)
    return total


def last_user_text(messages: Sequence[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return content_text(message.get("content"))
    return ""


def system_text(messages: Sequence[dict[str, Any]]) -> str:
    return "\n".join(
        content_text(message.get("content"))
        for message in messages
        if message.get("role") in {"system", "developer"}
    )


def join_nonempty(parts: Iterable[str], separator: str = " ") -> str:
    return separator.join(part for part in parts if part)
