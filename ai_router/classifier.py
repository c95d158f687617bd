"""Request classifier: task type and complexity from the request alone.

Deterministic, offline and cheap (a few tens of microseconds for a chat message). The order of
evidence is: an explicit task hint, audio parts, image parts, keyword scores over the system
prompt and the last user message (English, French, Spanish, German, Italian, Portuguese), then
``general``. Complexity starts from the prompt size (or the media size) and rises with
reasoning markers, many constraints or many questions. :class:`Classification` carries the
features that decided, so ``POST /v1/route`` can show its work.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ai_router.text import (
    AUDIO_TOKENS_PER_SECOND,
    TOKENS_PER_IMAGE,
    TOKENS_PER_MESSAGE,
    audio_seconds,
    content_parts,
    detect_language_of_words,
    estimate_text_tokens,
    words,
)


def keywords(text: str) -> tuple[str, ...]:
    """Keywords written as one ``|``-separated string, to keep the tables readable."""
    return tuple(keyword.strip() for keyword in text.split("|") if keyword.strip())


# Accent-free lower-case words or phrases. A phrase weighs 2, a word 1, a weak keyword 1.
TASK_KEYWORDS: dict[str, tuple[str, ...]] = {
    "reply_suggestion": keywords(
        "reply|replies|respond|answer him|answer her|answer this fan|fan message|fan wrote|"
        "fan says|fan asked|this fan|subscriber|dm|dms|what should i say|what do i say|"
        "suggest a reply|chatter|repondre|reponse|reponses|reponds|ce fan|cet abonne|abonne|"
        "que dois je dire|que repondre|responder|respuesta|respuestas|este fan|suscriptor|"
        "que le digo|antworten|antwort|dieser fan|rispondere|risposta|questo fan|responder ao fa"
    ),
    "caption": keywords(
        "caption|captions|hashtag|hashtags|tiktok|instagram|reel|reels|story|stories|tweet|"
        "reddit title|post title|bio|legende|legendes|pie de foto|descripcion para|"
        "bildunterschrift|didascalia|legenda|write a post|ecris un post|publication|publicacion"
    ),
    "campaign": keywords(
        "campaign|campaigns|promo|promotion|promotional|discount|sale|coupon|mass message|"
        "newsletter|email blast|black friday|launch|limited time|offer ends|campagne|remise|"
        "reduction|soldes|message de masse|campana|descuento|oferta|rebajas|kampagne|rabatt|"
        "angebot|campagna|sconto|offerta|campanha|desconto"
    ),
    "flow": keywords(
        "automation|automations|automate|automated|workflow|flow|trigger|triggers|when a fan|"
        "if a fan|when someone|sequence|drip|follow up|welcome sequence|automatisation|"
        "automatiser|declencheur|scenario|quand un fan|si un fan|automatizacion|automatizar|"
        "flujo|disparador|cuando un fan|automatisierung|ablauf|wenn ein fan|automazione|"
        "quando un fan|automacao|fluxo"
    ),
    "insight_summary": keywords(
        "summarize|summarise|summary|insight|insights|analytics|metrics|kpi|kpis|dashboard|"
        "report|stats|statistics|performance|trends|this week|last week|last month|this month|"
        "resume|resumer|synthese|chiffres|statistiques|tendances|resumen|resumir|estadisticas|"
        "metricas|zusammenfassung|zusammenfassen|statistiken|riassunto|riassumi|statistiche|"
        "resumo"
    ),
    "reasoning": keywords(
        "why|explain why|prove|proof|calculate|compute|solve|step by step|reason|reasoning|"
        "logic|deduce|trade off|tradeoff|tradeoffs|optimal|optimize|probability|equation|"
        "which is better|pros and cons|break even|expected|expected value|how many|estimate|"
        "average|pourquoi|explique pourquoi|demontre|calcule|etape par etape|"
        "avantages et inconvenients|por que|explica por que|calcula|paso a paso|"
        "ventajas y desventajas|warum|berechne|schritt fur schritt|perche|calcola|"
        "passo dopo passo|passo a passo"
    ),
    "vision": keywords(
        "image|photo|picture|screenshot|describe this|what is in this|whats in this|ocr|"
        "in the image|in this photo|cette image|cette photo|esta imagen|esta foto|dieses bild|"
        "questa immagine"
    ),
    "transcription": keywords(
        "transcribe|transcription|transcript|voice note|voice message|speech to text|audio|"
        "transcrire|transcris|note vocale|transcribir|transcripcion|nota de voz|"
        "transkribieren|sprachnachricht|trascrivi|transcrever"
    ),
}
# Phrases too common to weigh like a specific phrase.
WEAK_KEYWORDS = frozenset(keywords("this week|last week|last month|this month|follow up"))

# Ties go to the earlier task.
TASK_PRIORITY = (
    "transcription",
    "vision",
    "flow",
    "campaign",
    "caption",
    "insight_summary",
    "reasoning",
    "reply_suggestion",
    "general",
)

REASONING_MARKERS = keywords(
    "step by step|explain why|prove|trade off|tradeoff|pros and cons|compare|optimal|optimize|"
    "justify|in detail|detailed|thorough|etape par etape|avantages et inconvenients|en detail|"
    "detaille|justifie|paso a paso|ventajas y desventajas|en detalle|schritt fur schritt|"
    "ausfuhrlich|passo dopo passo|dettagliato|multiple scenarios|scenarios|forecast|strategy|"
    "strategie|estrategia"
)

SENTENCE_PATTERN = re.compile(r"(?<=[.!?])\s+|\n+")
LIST_ITEM_PATTERN = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*\u2022])\s", re.MULTILINE)
MEDIUM_PROMPT_TOKENS = 250
HIGH_PROMPT_TOKENS = 1500
MEDIUM_AUDIO_SECONDS = 60.0
HIGH_AUDIO_SECONDS = 300.0
COMPLEXITY_LEVELS = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class Classification:
    task: str
    complexity: str
    language: str
    decided_by: str
    features: dict[str, Any] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "complexity": self.complexity,
            "language": self.language,
            "decided_by": self.decided_by,
            "features": self.features,
            "reasons": list(self.reasons),
        }


def _compile_keywords() -> tuple[
    dict[str, tuple[str, ...]], dict[str, tuple[tuple[str, int, str, int], ...]]
]:
    """Words to their tasks, and phrases indexed by first word as (task, position, padded
    phrase, weight), so scoring walks the request's words once."""
    tasks_by_word: dict[str, list[str]] = {}
    phrases_by_first_word: dict[str, list[tuple[str, int, str, int]]] = {}
    for task, task_keywords in TASK_KEYWORDS.items():
        for position, keyword in enumerate(task_keywords):
            if " " in keyword:
                weight = 1 if keyword in WEAK_KEYWORDS else 2
                phrases_by_first_word.setdefault(keyword.split()[0], []).append(
                    (task, position, f" {keyword} ", weight)
                )
            else:
                tasks_by_word.setdefault(keyword, []).append(task)
    return (
        {word: tuple(tasks) for word, tasks in tasks_by_word.items()},
        {word: tuple(phrases) for word, phrases in phrases_by_first_word.items()},
    )


def _markers_by_first_word() -> dict[str, tuple[str, ...]]:
    """Padded reasoning markers by their first word: only the request's words are looked up."""
    found: dict[str, list[str]] = {}
    for marker in dict.fromkeys(REASONING_MARKERS):
        found.setdefault(marker.split()[0], []).append(f" {marker} ")
    return {word: tuple(markers) for word, markers in found.items()}


TASKS_BY_WORD, PHRASES_BY_FIRST_WORD = _compile_keywords()
MARKERS_BY_FIRST_WORD = _markers_by_first_word()


def _keyword_scores(
    tokens: list[str], ask_tokens: list[str]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Scores over the whole text, plus a bonus for the ask (the user's last sentence)."""
    scores: dict[str, int] = {}
    found_words: dict[str, list[str]] = {}
    found_phrases: dict[str, list[tuple[int, str]]] = {}
    for weight_tokens, is_bonus in ((tokens, False), (ask_tokens, True)):
        token_set = set(weight_tokens)
        padded = f" {' '.join(weight_tokens)} "
        for token in token_set:
            for task in TASKS_BY_WORD.get(token, ()):
                scores[task] = scores.get(task, 0) + 1
                if not is_bonus:
                    found_words.setdefault(task, []).append(token)
            for task, position, phrase, weight in PHRASES_BY_FIRST_WORD.get(token, ()):
                if phrase in padded:
                    scores[task] = scores.get(task, 0) + weight
                    if not is_bonus:
                        found_phrases.setdefault(task, []).append((position, phrase.strip()))
    matches = {
        task: sorted(found_words.get(task, []))
        + [phrase for _, phrase in sorted(found_phrases.get(task, []))]
        for task in scores
        if task in found_words or task in found_phrases
    }
    return scores, matches


@dataclass(slots=True)
class _MessageScan:
    """What the classifier reads from the messages, gathered in one pass."""

    user_text: str = ""
    instructions: str = ""
    image_count: int = 0
    audio_count: int = 0
    audio_seconds: float = 0.0
    prompt_tokens: int = 0  # as ``estimate_message_tokens``
    text_tokens: int = 0  # the text alone


def _scan_messages(messages: Sequence[dict[str, Any]]) -> _MessageScan:
    scan = _MessageScan()
    system_texts: list[str] = []
    for message in messages:
        content = message.get("content")
        scan.prompt_tokens += TOKENS_PER_MESSAGE
        if isinstance(content, str):
            text = content
            scan.prompt_tokens += estimate_text_tokens(content)
        else:
            texts: list[str] = []
            for part in content_parts(content):
                part_type = part.get("type")
                if part_type == "text":
                    scan.prompt_tokens += estimate_text_tokens(str(part.get("text", "")))
                    if part.get("text"):
                        texts.append(str(part["text"]))
                elif part_type == "image_url":
                    scan.prompt_tokens += TOKENS_PER_IMAGE
                    scan.image_count += 1
                elif part_type == "input_audio":
                    seconds = audio_seconds(part)
                    scan.prompt_tokens += math.ceil(seconds * AUDIO_TOKENS_PER_SECOND)
                    scan.audio_count += 1
                    scan.audio_seconds += seconds
            text = "\n".join(texts)
        scan.text_tokens += estimate_text_tokens(text)
        role = message.get("role")
        if role == "user":
            scan.user_text = text
        elif role in {"system", "developer"}:
            system_texts.append(text)
    scan.instructions = "\n".join(system_texts)
    return scan


def _count_markers(user_tokens: list[str]) -> int:
    padded_user = f" {' '.join(user_tokens)} "
    return sum(
        1
        for token in set(user_tokens)
        for marker in MARKERS_BY_FIRST_WORD.get(token, ())
        if marker in padded_user
    )


def _raise(level: str, steps: int) -> str:
    index = min(COMPLEXITY_LEVELS.index(level) + steps, len(COMPLEXITY_LEVELS) - 1)
    return COMPLEXITY_LEVELS[index]


def _decide_task(
    *,
    hint: str | None,
    image_count: int,
    has_audio: bool,
    scores: dict[str, int],
) -> tuple[str, str, str]:
    if hint:
        return hint, "hint", f"task hint '{hint}'"
    if has_audio:
        return "transcription", "audio", "the request carries audio"
    text_scores = {task: score for task, score in scores.items() if task not in {"vision"}}
    if image_count:
        if text_scores.get("caption", 0) >= 1:
            return "caption", "image_and_keywords", "an image with a caption request"
        return "vision", "image", f"{image_count} image part(s)"
    text_scores.pop("transcription", None)
    if not text_scores:
        return "general", "default", "no task keyword matched"
    best, best_score = "general", 0
    for task in TASK_PRIORITY:  # the highest score; ties go to the earlier task
        score = text_scores.get(task, 0)
        if score > best_score:
            best, best_score = task, score
    return best, "keywords", f"keywords for '{best}' scored {text_scores[best]}"


def _decide_complexity(
    *,
    task: str,
    hint: str | None,
    text_tokens: int,
    image_count: int,
    total_audio_seconds: float,
    marker_count: int,
    list_item_count: int,
    question_count: int,
) -> tuple[str, list[str]]:
    if hint:
        return hint, [f"complexity hint '{hint}'"]
    reasons: list[str] = []
    if task == "transcription" and total_audio_seconds:
        if total_audio_seconds > HIGH_AUDIO_SECONDS:
            return "high", [f"{total_audio_seconds:.0f} s of audio"]
        if total_audio_seconds > MEDIUM_AUDIO_SECONDS:
            return "medium", [f"{total_audio_seconds:.0f} s of audio"]
        return "low", [f"{total_audio_seconds:.0f} s of audio"]
    if text_tokens > HIGH_PROMPT_TOKENS:
        level = "high"
        reasons.append(f"{text_tokens} text tokens > {HIGH_PROMPT_TOKENS}")
    elif text_tokens > MEDIUM_PROMPT_TOKENS:
        level = "medium"
        reasons.append(f"{text_tokens} text tokens > {MEDIUM_PROMPT_TOKENS}")
    else:
        level = "low"
        reasons.append(f"{text_tokens} text tokens")
    if image_count >= 2:
        level = _raise(level, image_count - 1)
        reasons.append(f"{image_count} images")
    if marker_count:
        level = _raise(level, min(marker_count, 2))
        reasons.append(f"{marker_count} reasoning marker(s)")
    if list_item_count >= 4 or question_count >= 3:
        level = _raise(level, 1)
        reasons.append(f"{list_item_count} listed constraints, {question_count} questions")
    if task == "reasoning" and level == "low":
        level = "medium"
        reasons.append("reasoning starts at medium")
    return level, reasons


def classify(
    messages: Sequence[dict[str, Any]],
    *,
    task_hint: str | None = None,
    complexity_hint: str | None = None,
) -> Classification:
    scan = _scan_messages(messages)
    user_text, instructions = scan.user_text, scan.instructions
    user_tokens = words(user_text)
    tokens = [*words(instructions), *user_tokens] if instructions else user_tokens
    sentences = [sentence for sentence in SENTENCE_PATTERN.split(user_text) if sentence.strip()]
    ask_tokens = words(sentences[-1]) if len(sentences) > 1 else []
    scores, matches = _keyword_scores(tokens, ask_tokens)
    image_count, total_audio_seconds = scan.image_count, scan.audio_seconds
    has_audio = total_audio_seconds > 0 or scan.audio_count > 0
    task, decided_by, task_reason = _decide_task(
        hint=task_hint, image_count=image_count, has_audio=has_audio, scores=scores
    )
    marker_count = _count_markers(user_tokens)
    list_item_count = len(LIST_ITEM_PATTERN.findall(user_text))
    question_count = user_text.count("?")
    prompt_tokens, text_tokens = scan.prompt_tokens, scan.text_tokens
    complexity, complexity_reasons = _decide_complexity(
        task=task,
        hint=complexity_hint,
        text_tokens=text_tokens,
        image_count=image_count,
        total_audio_seconds=total_audio_seconds,
        marker_count=marker_count,
        list_item_count=list_item_count,
        question_count=question_count,
    )
    language = detect_language_of_words(user_tokens if user_text else words(instructions))
    features: dict[str, Any] = {
        "task_hint": task_hint,
        "complexity_hint": complexity_hint,
        "image_count": image_count,
        "audio_seconds": round(total_audio_seconds, 2),
        "has_audio": has_audio,
        "prompt_tokens": prompt_tokens,
        "text_tokens": text_tokens,
        "message_count": len(messages),
        "keyword_scores": scores,
        "keyword_matches": matches,
        "reasoning_markers": marker_count,
        "list_items": list_item_count,
        "questions": question_count,
    }
    return Classification(
        task=task,
        complexity=complexity,
        language=language,
        decided_by=decided_by,
        features=features,
        reasons=(task_reason, *complexity_reasons),
    )
