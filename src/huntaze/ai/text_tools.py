"""On-demand changes to a message being written: rewrite, shorter, change tone, translate.

Each is one metered router call (feature `composer_<action>`). The router's offline `local`
provider does not rewrite or translate: when it is the one that answered, `shorter` and `tone`
are done by fixed rules (filler words and repeats dropped; emoji, slang and punctuation
adjusted), and `rewrite` and `translate` fail with a message saying an AI provider is needed,
rather than returning a text that was not rewritten."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from huntaze.ai.client import chat_complete
from huntaze.core.errors import UpstreamUnavailable, ValidationFailed

ACTIONS = ("rewrite", "shorter", "tone", "translate")
TONES = ("playful", "sweet", "neutral")
LANGUAGES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
}
MAX_TEXT_LENGTH = 2000
SHORT_TARGET_LENGTH = 160
LOCAL_PROVIDER = "local"
METHOD_MODEL = "model"
METHOD_RULES = "rules"
TASK_OF_ACTION = {
    "rewrite": "reply_suggestion",
    "shorter": "reply_suggestion",
    "tone": "reply_suggestion",
    "translate": "general",
}

_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\u2764\ufe0f\u200d]+"
)
_FILLERS = re.compile(
    r"\b(?:really|just|very|actually|basically|literally|totally|honestly|so much|"
    r"kind of|sort of|i think|you know|like,)\s*",
    re.IGNORECASE,
)
_REPEATED_PUNCTUATION = re.compile(r"([!?.])\1+")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_SLANG = {
    "u": "you", "ur": "your", "r": "are", "gonna": "going to", "wanna": "want to",
    "gotta": "got to", "ya": "you", "thx": "thanks", "pls": "please", "plz": "please",
    "bc": "because", "cuz": "because", "tho": "though", "idk": "I don't know", "rn": "right now",
    "i": "I", "im": "I'm",
}  # fmt: skip
_SLANG_WORD = re.compile(r"\b(" + "|".join(_SLANG) + r")\b", re.IGNORECASE)
_LAUGHS = re.compile(r"\s*\b(?:lol|lmao|haha+|hehe+)\b\s*", re.IGNORECASE)
_TONE_EMOJI = {"playful": "😜", "sweet": "🥰"}


@dataclass(frozen=True, slots=True)
class TextChange:
    text: str
    model: str
    method: str  # "model" or "rules"


def _instruction(action: str, *, tone: str, language: str) -> str:
    keep = (
        "Keep the meaning, the language, the first person and the emojis. Answer with the "
        "new message only, without quotes or comments."
    )
    if action == "rewrite":
        return f"Rewrite this message from a creator to a fan so it reads better. {keep}"
    if action == "shorter":
        return f"Make this message from a creator to a fan about half as long. {keep}"
    if action == "tone":
        return f"Rewrite this message from a creator to a fan in a {tone} tone. {keep}"
    return (
        f"Translate this message from a creator to a fan into {LANGUAGES[language]}. Keep the "
        "emojis and the tone. Answer with the translation only, without quotes or comments."
    )


def _check(*, action: str, text: str, tone: str, language: str) -> str:
    if action not in ACTIONS:
        raise ValidationFailed.on_field("action", _("action is one of: %s.") % ", ".join(ACTIONS))
    text = text.strip()
    if not text:
        raise ValidationFailed.on_field(
            "text", _("Write a message first: there is no text to change.")
        )
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationFailed.on_field(
            "text",
            _("The text is too long to change: at most %(max)d characters (it has %(count)d).")
            % {"max": MAX_TEXT_LENGTH, "count": len(text)},
        )
    if action == "tone" and tone not in TONES:
        raise ValidationFailed.on_field("tone", _("tone is one of: %s.") % ", ".join(TONES))
    if action == "translate" and language not in LANGUAGES:
        raise ValidationFailed.on_field(
            "language", _("language is one of: %s.") % ", ".join(LANGUAGES)
        )
    return text


def _unquoted(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'“”":
        text = text[1:-1].strip()
    return text


def composer_text_change(
    *, creator_id: int, action: str, text: str, tone: str = "", language: str = ""
) -> TextChange:
    """`text` rewritten, shortened, in another tone or translated. Raises ValidationFailed on
    the field at fault, UpstreamUnavailable when no provider can do it."""
    text = _check(action=action, text=text, tone=tone, language=language)
    completion = chat_complete(
        creator_id=creator_id,
        feature=f"composer_{action}",
        task=TASK_OF_ACTION[action],
        messages=[
            {"role": "system", "content": _instruction(action, tone=tone, language=language)},
            {"role": "user", "content": text},
        ],
        max_tokens=700,
    )
    if completion.provider != LOCAL_PROVIDER:
        return TextChange(
            text=_unquoted(completion.texts[0]), model=completion.model, method="model"
        )
    if action == "shorter":
        return TextChange(text=text_shorter(text), model=completion.model, method=METHOD_RULES)
    if action == "tone":
        return TextChange(text=text_in_tone(text, tone), model=completion.model, method="rules")
    if action == "translate":
        message = _(
            "Translation needs an AI provider: only the offline engine is set up, and it does "
            "not translate. Set GEMINI_API_KEY, OPENAI_API_KEY or the Azure AI keys."
        )
    else:
        message = _(
            "Rewriting needs an AI provider: only the offline engine is set up, and it does "
            "not rewrite. Set GEMINI_API_KEY, OPENAI_API_KEY or the Azure AI keys."
        )
    raise UpstreamUnavailable(message)


# Offline rules --------------------------------------------------------------------------------


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" +([,.!?])", r"\1", text)
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def text_shorter(text: str) -> str:
    """Fillers, laughs, repeated punctuation and repeated emojis dropped; then whole sentences
    kept up to about 160 characters (at least the first)."""
    short = _FILLERS.sub("", text)
    short = _LAUGHS.sub(" ", short)
    short = _REPEATED_PUNCTUATION.sub(r"\1", short)
    short = _EMOJI.sub(lambda match: match.group(0)[:1], short)
    short = _tidy(short)
    if len(short) > SHORT_TARGET_LENGTH:
        kept = ""
        for sentence in _SENTENCE.findall(short):
            if kept and len(kept) + len(sentence) > SHORT_TARGET_LENGTH:
                break
            kept += sentence
        short = _tidy(kept)
    return _capitalised(short) if short else text


def text_in_tone(text: str, tone: str) -> str:
    """neutral: no emojis, slang or laughs, calm punctuation. playful and sweet: the neutral
    text's exclamation, with the tone's emoji at the end."""
    neutral = _EMOJI.sub("", text)
    neutral = _LAUGHS.sub(" ", neutral)
    neutral = _SLANG_WORD.sub(lambda match: _SLANG[match.group(1).casefold()], neutral)
    neutral = _REPEATED_PUNCTUATION.sub(r"\1", neutral)
    neutral = _capitalised(_tidy(neutral))
    if tone == "neutral":
        neutral = neutral.replace("!", ".")
        return neutral if neutral.endswith((".", "?")) else neutral + "."
    lively = neutral.rstrip(".")
    if not lively.endswith(("!", "?")):
        lively += "!"
    return f"{lively} {_TONE_EMOJI[tone]}"
