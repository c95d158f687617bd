"""The official openai SDK, pointed at the router with base_url, works unchanged."""

from __future__ import annotations

import openai
import pytest
from router_testing import FakeProviders, StartRouter

MESSAGES = [{"role": "user", "content": "Hello, who are you?"}]


def test_plain_completion_through_the_router_reaches_openai(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given a router with only OpenAI configured
    router = start_router(fakes.environment("openai"))
    # When
    with router.client() as client:
        response = client.chat.completions.with_raw_response.create(
            model="auto", messages=MESSAGES, temperature=0.2
        )
    completion = response.parse()
    # Then
    assert completion.object == "chat.completion"
    assert completion.model == "gpt-4o-mini"
    assert completion.choices[0].message.content == "Hello from the fake OpenAI."
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (11, 7)
    # 11 tokens at $0.15/M + 7 at $0.60/M = 5.85 micro-dollars, rounded up
    assert completion.usage.model_extra == {
        "cost_usd": 0.000006,
        "deployment": "openai-gpt-4o-mini",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "latency_ms": completion.usage.model_extra["latency_ms"],
        "fallback_path": ["openai-gpt-4o-mini"],
        "is_estimated": False,
    }
    assert response.headers["x-router-cost-usd"] == "0.000006"
    assert response.headers["x-router-deployment"] == "openai-gpt-4o-mini"
    [sent] = fakes.openai.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer fake-openai-key"
    assert sent.body == {"model": "gpt-4o-mini", "messages": MESSAGES, "temperature": 0.2, "n": 1}


def test_streamed_completion_ends_with_usage_and_done(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("openai"))
    # When
    with router.client() as client:
        chunks = list(client.chat.completions.create(model="auto", messages=MESSAGES, stream=True))
    # Then
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text == "Hello from the fake OpenAI."
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-2].choices[0].finish_reason == "stop"
    last = chunks[-1]
    assert last.choices == []
    assert last.usage is not None
    assert (last.usage.prompt_tokens, last.usage.completion_tokens) == (11, 7)
    assert last.usage.model_extra["cost_usd"] == 0.000006
    assert len({chunk.id for chunk in chunks}) == 1
    [sent] = fakes.openai.requests
    assert sent.body["stream"] is True
    assert sent.body["stream_options"] == {"include_usage": True}


def test_raw_stream_is_server_sent_events_ending_in_done(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("openai"))
    # When
    with (
        router.client() as client,
        client.chat.completions.with_streaming_response.create(
            model="auto", messages=MESSAGES, stream=True
        ) as response,
    ):
        lines = [line for line in response.iter_lines() if line]
    # Then
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["x-router-deployment"] == "openai-gpt-4o-mini"
    assert lines[-1] == "data: [DONE]"
    assert all(line.startswith("data: ") for line in lines)


def test_client_with_default_retries_works_unchanged(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("openai"))
    # When
    with openai.OpenAI(base_url=f"{router.url}/v1", api_key="test-service-key") as client:
        completion = client.chat.completions.create(model="auto", messages=MESSAGES)
        models = client.models.list()
    # Then
    assert completion.choices[0].message.content == "Hello from the fake OpenAI."
    assert [model.id for model in models][:2] == ["auto", "huntaze-reply-suggestion"]


async def test_async_client_streams_local_suggestions_with_context(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given a router with no provider key at all
    router = start_router({})
    # When
    async with openai.AsyncOpenAI(
        base_url=f"{router.url}/v1", api_key="test-service-key", max_retries=0
    ) as client:
        stream = await client.chat.completions.create(
            model="auto",
            messages=[{"role": "user", "content": "thanks for the pics yesterday!"}],
            stream=True,
            extra_body={"task": "reply_suggestion", "context": {"fan": {"name": "Leo"}, "n": 2}},
        )
        chunks = [chunk async for chunk in stream]
    # Then
    texts = ["", ""]
    for chunk in chunks:
        for choice in chunk.choices:
            texts[choice.index] += choice.delta.content or ""
    assert {chunk.model for chunk in chunks} == {"local/retrieval-v1"}
    assert texts[0] != texts[1]
    assert all("Leo" in text for text in texts)
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.model_extra["deployment"] == "local"


def test_context_is_rendered_for_remote_models_and_router_fields_are_not_forwarded(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("openai"))
    context = {
        "fan": {"name": "Leo", "lifetime_value_usd": 240},
        "persona": "playful, short answers",
        "examples": [{"input": "hi", "output": "hey you!"}],
    }
    # When
    with router.client() as client:
        client.chat.completions.create(
            model="auto",
            messages=[{"role": "user", "content": "hi there"}],
            extra_body={"task": "reply_suggestion", "context": context},
            extra_headers={"X-Tenant-Id": "creator-1"},
        )
    # Then
    [sent] = fakes.openai.requests
    assert "task" not in sent.body
    assert "context" not in sent.body
    system_message = sent.body["messages"][0]
    assert system_message["role"] == "system"
    assert system_message["content"].splitlines() == [
        'Persona: {"description": "playful, short answers"}',
        'Fan: {"name": "Leo", "lifetime_value_usd": 240}',
        "Examples of how the creator answers:",
        "- Fan: hi",
        "  Creator: hey you!",
        "Write one reply the creator could send to the fan's last message, in the fan's "
        "language, matching the persona and the examples' tone.",
    ]
    assert sent.body["messages"][1:] == [{"role": "user", "content": "hi there"}]


@pytest.mark.parametrize(
    ("model", "api_key", "exception", "status", "code"),
    [
        ("gpt-17", "test-service-key", openai.NotFoundError, 404, "model_not_found"),
        ("auto", "wrong-key", openai.AuthenticationError, 401, "invalid_api_key"),
    ],
)
def test_router_errors_become_the_sdk_exceptions(
    fakes: FakeProviders,
    start_router: StartRouter,
    model: str,
    api_key: str,
    exception: type[openai.APIStatusError],
    status: int,
    code: str,
) -> None:
    # Given
    router = start_router(fakes.environment("openai"))
    # When
    with router.client(api_key=api_key) as client, pytest.raises(exception) as raised:
        client.chat.completions.create(model=model, messages=MESSAGES)
    # Then
    assert raised.value.status_code == status
    assert raised.value.code == code
    assert fakes.openai.requests == []
