"""Each provider adapter against a fake speaking that provider's wire format."""

from __future__ import annotations

import base64

import openai
import pytest
from router_fakes import Reply
from router_testing import FakeProviders, StartRouter

from ai_router.providers.base import parse_retry_after

CONVERSATION = [
    {"role": "system", "content": "You write short answers."},
    {"role": "user", "content": "Hi!"},
    {"role": "assistant", "content": "Hello, how can I help?"},
    {"role": "user", "content": "Tell me a joke."},
]


def test_gemini_speaks_generate_content(fakes: FakeProviders, start_router: StartRouter) -> None:
    # Given only Gemini configured
    router = start_router(fakes.environment("gemini"))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(
            model="auto", messages=CONVERSATION, temperature=0.5, max_tokens=64, n=2, stop="END"
        )
    # Then
    assert completion.model == "gemini-2.0-flash-exp"
    assert [choice.message.content for choice in completion.choices] == [
        "Hello from the fake Gemini.",
        "Hello from the fake Gemini.",
    ]
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (11, 7)
    assert completion.usage.model_extra["cost_usd"] == 0.000004  # 1.1 + 2.8 micro-USD
    [sent] = fakes.gemini.requests
    assert sent.path == "/v1beta/models/gemini-2.0-flash-exp:generateContent"
    assert sent.headers["x-goog-api-key"] == "fake-gemini-key"
    assert sent.body == {
        "contents": [
            {"role": "user", "parts": [{"text": "Hi!"}]},
            {"role": "model", "parts": [{"text": "Hello, how can I help?"}]},
            {"role": "user", "parts": [{"text": "Tell me a joke."}]},
        ],
        "systemInstruction": {"parts": [{"text": "You write short answers."}]},
        "generationConfig": {
            "temperature": 0.5,
            "maxOutputTokens": 64,
            "stopSequences": ["END"],
            "candidateCount": 2,
        },
    }


def test_gemini_streams_server_sent_events(fakes: FakeProviders, start_router: StartRouter) -> None:
    # Given
    router = start_router(fakes.environment("gemini"))
    # When
    with router.client() as client:
        chunks = list(
            client.chat.completions.create(model="auto", messages=CONVERSATION, stream=True)
        )
    # Then
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text == "Hello from the fake Gemini."
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [chunk.choices[0].finish_reason for chunk in chunks if chunk.choices][-1] == "stop"
    assert chunks[-1].usage is not None
    assert (chunks[-1].usage.prompt_tokens, chunks[-1].usage.completion_tokens) == (11, 7)
    [sent] = fakes.gemini.requests
    assert sent.path == "/v1beta/models/gemini-2.0-flash-exp:streamGenerateContent"
    assert sent.query == {"alt": "sse"}


def test_gemini_images_become_inline_data(fakes: FakeProviders, start_router: StartRouter) -> None:
    # Given
    router = start_router(fakes.environment("gemini"))
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    # When
    with router.client() as client:
        client.chat.completions.create(
            model="auto",
            messages=[
                {"role": "user", "content": [{"type": "text", "text": "What is this?"}, image]}
            ],
        )
    # Then
    [sent] = fakes.gemini.requests
    assert sent.body["contents"] == [
        {
            "role": "user",
            "parts": [
                {"text": "What is this?"},
                {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
            ],
        }
    ]


def test_gemini_errors_are_mapped_like_any_provider(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given a rate limit then a bad request
    router = start_router(fakes.environment("gemini"))
    fakes.gemini.enqueue(
        Reply(status=429, headers={"retry-after": "0"}),
        Reply(
            status=400,
            error_body={
                "error": {
                    "code": 400,
                    "message": "Invalid JSON payload",
                    "status": "INVALID_ARGUMENT",
                }
            },
        ),
    )
    # When
    with router.client() as client, pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="auto", messages=CONVERSATION)
    # Then
    assert raised.value.body["message"] == "gemini-flash rejected the request: Invalid JSON payload"
    assert len(fakes.gemini.requests) == 2


def test_azure_ai_foundry_gets_its_endpoint_key_and_api_version(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given Azure AI Foundry configured (DeepSeek-V3 follows Gemini, which is absent)
    router = start_router(fakes.environment("azure"))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=CONVERSATION)
    # Then
    assert completion.model == "DeepSeek-V3"
    assert completion.choices[0].message.content == "Hello from the fake Azure AI Foundry."
    [sent] = fakes.azure.requests
    assert sent.path == "/models/chat/completions"
    assert sent.query == {"api-version": "2024-05-01-preview"}
    assert sent.headers["api-key"] == "fake-azure-key"
    assert sent.body["model"] == "DeepSeek-V3"


def test_azure_reasoning_goes_to_the_deepseek_r1_deployment(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("azure"))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(
            model="huntaze-reasoning",
            messages=[
                {"role": "user", "content": "Why did my revenue drop? Explain step by step."}
            ],
        )
    # Then
    assert completion.model == "DeepSeek-R1"
    assert completion.usage is not None
    assert completion.usage.model_extra["deployment"] == "azure-deepseek-r1"


def test_azure_openai_uses_the_deployment_path(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given only Azure OpenAI configured
    router = start_router(fakes.environment("azure_openai"))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=CONVERSATION)
    # Then
    assert completion.choices[0].message.content == "Hello from the fake Azure AI Foundry."
    [sent] = fakes.azure.requests
    assert sent.path == "/openai/deployments/gpt-4o-mini/chat/completions"
    assert sent.query == {"api-version": "2024-10-21"}
    assert sent.headers["api-key"] == "fake-azure-openai-key"


def test_deepseek_platform_api(fakes: FakeProviders, start_router: StartRouter) -> None:
    # Given
    router = start_router(fakes.environment("deepseek"))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=CONVERSATION)
    # Then
    assert completion.model == "deepseek-chat"
    [sent] = fakes.deepseek.requests
    assert sent.path == "/chat/completions"
    assert sent.headers["authorization"] == "Bearer fake-deepseek-key"


def test_any_openai_compatible_base_url_without_a_key(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given a self-hosted server (Ollama, vLLM, llama.cpp) and nothing else
    router = start_router(fakes.environment("compatible"))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=CONVERSATION)
    # Then
    assert completion.model == "llama3.2"
    assert completion.choices[0].message.content == "Hello from the fake Ollama."
    assert completion.usage is not None
    assert completion.usage.model_extra["cost_usd"] == 0.0
    [sent] = fakes.compatible.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer not-needed"


def test_azure_speech_transcribes_audio_parts(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("speech"))
    audio = bytes(range(256)) * 10
    message = {
        "role": "user",
        "content": [
            {"type": "text", "text": "Transcribe this voice note"},
            {
                "type": "input_audio",
                "input_audio": {"data": base64.b64encode(audio).decode(), "format": "wav"},
            },
        ],
    }
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=[message])
    # Then
    assert completion.model == "azure-speech-to-text"
    assert completion.choices[0].message.content == "see you tonight at eight"
    assert completion.usage is not None
    assert completion.usage.model_extra["cost_usd"] == 0.000834  # 3 s at $1/hour, rounded up
    [sent] = fakes.speech.requests
    assert sent.path == "/speech/recognition/conversation/cognitiveservices/v1"
    assert sent.query == {"language": "en-US", "format": "simple"}
    assert sent.headers["ocp-apim-subscription-key"] == "fake-speech-key"
    assert sent.headers["content-type"] == "audio/wav; codecs=audio/pcm; samplerate=16000"
    assert sent.body == audio


@pytest.mark.parametrize(
    ("headers", "expected_s"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after-ms": "150"}, 0.15),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_in_seconds_milliseconds_or_a_date(
    headers: dict[str, str], expected_s: float | None
) -> None:
    # When / Then
    assert parse_retry_after(headers) == expected_s
