"""Classifier: accuracy per class on the labelled set, features, hints, determinism."""

from __future__ import annotations

import pytest
from classifier_dataset import (
    accuracy_report,
    labelled_requests,
    natural_cases,
    with_audio,
    with_images,
)

from ai_router.classifier import classify
from ai_router.schemas import TASKS

MINIMUM_TASK_ACCURACY = 0.9
MINIMUM_COMPLEXITY_ACCURACY = 0.9


@pytest.fixture(scope="module")
def report() -> dict[str, dict[str, float | int]]:
    result = accuracy_report()
    for task, row in result.items():
        print(
            f"{task:<18} n={row['count']:<4} task={row['task_accuracy']:.3f} complexity={row['complexity_accuracy']:.3f}"
        )
    return result


def test_the_labelled_set_has_at_least_300_requests_covering_every_task() -> None:
    # When
    items = labelled_requests()
    # Then
    assert len(items) >= 300
    assert {item.task for item in items} == set(TASKS)
    assert {item.complexity for item in items} == {"low", "medium", "high"}


@pytest.mark.parametrize("task", TASKS)
def test_task_accuracy_per_class(report: dict[str, dict[str, float | int]], task: str) -> None:
    # Then
    assert report[task]["count"] >= 25
    assert report[task]["task_accuracy"] >= MINIMUM_TASK_ACCURACY


@pytest.mark.parametrize("task", TASKS)
def test_complexity_accuracy_per_class(
    report: dict[str, dict[str, float | int]], task: str
) -> None:
    # Then
    assert report[task]["complexity_accuracy"] >= MINIMUM_COMPLEXITY_ACCURACY


def test_natural_phrasings_stay_above_half_right() -> None:
    # When
    natural = accuracy_report(natural_cases())
    # Then the held-out phrasings are harder for keyword routing, and reported as such
    correct = sum(float(row["task_accuracy"]) * int(row["count"]) for row in natural.values())
    assert correct / len(natural_cases()) >= 0.5


def test_the_same_request_always_gets_the_same_answer() -> None:
    # Given
    messages = [{"role": "user", "content": "Why did my revenue drop? Explain step by step."}]
    # When
    first, second = classify(messages), classify(messages)
    # Then
    assert first == second
    assert (first.task, first.complexity, first.decided_by) == ("reasoning", "medium", "keywords")


def test_a_task_hint_wins_over_keywords() -> None:
    # When
    result = classify(
        [{"role": "user", "content": "Write an Instagram caption"}], task_hint="campaign"
    )
    # Then
    assert (result.task, result.decided_by) == ("campaign", "hint")
    assert result.reasons[0] == "task hint 'campaign'"


def test_a_complexity_hint_wins_over_size() -> None:
    # When
    result = classify([{"role": "user", "content": "hi"}], complexity_hint="high")
    # Then
    assert result.complexity == "high"


def test_audio_parts_mean_transcription_sized_by_duration() -> None:
    # When
    result = classify([with_audio("", 90)])
    # Then
    assert (result.task, result.complexity, result.decided_by) == (
        "transcription",
        "medium",
        "audio",
    )
    assert result.features["audio_seconds"] == 90.0
    assert result.reasons == ("the request carries audio", "90 s of audio")


def test_images_mean_vision_unless_a_caption_is_asked() -> None:
    # When
    vision = classify([with_images("What's in this picture?", 1)])
    caption = classify([with_images("Write a caption for this", 1)])
    # Then
    assert (vision.task, vision.decided_by) == ("vision", "image")
    assert (caption.task, caption.decided_by) == ("caption", "image_and_keywords")


def test_features_show_what_decided() -> None:
    # When
    result = classify(
        [
            {"role": "system", "content": "You help a creator."},
            {"role": "user", "content": "Rédige une campagne avec 20% de remise"},
        ]
    )
    # Then
    assert result.task == "campaign"
    assert result.language == "fr"
    assert result.features["keyword_matches"] == {"campaign": ["campagne", "remise"]}
    assert result.features["keyword_scores"] == {"campaign": 2}
    assert result.features["message_count"] == 2


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Can you write me a caption for this post", "en"),
        ("Peux-tu écrire une légende pour ma photo", "fr"),
        ("¿Puedes escribir un mensaje para mis fans?", "es"),
        ("Kannst du bitte eine Nachricht schreiben", "de"),
        ("12345", "unknown"),
    ],
)
def test_language_is_detected_from_common_words(text: str, language: str) -> None:
    # When / Then
    assert classify([{"role": "user", "content": text}]).language == language
