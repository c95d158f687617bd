"""The AI router client: in-process by default, over HTTP when AI_ROUTER_URL is set; every
call metered in usage_logs and monthly_charges; failures are UpstreamUnavailable."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from huntaze.ai.client import chat_complete
from huntaze.billing.models import MonthlyCharge, UsageLog
from huntaze.billing.selectors import monthly_charge_get, usage_log_list
from huntaze.billing.services import billing_month
from huntaze.core.errors import UpstreamUnavailable

pytestmark = pytest.mark.django_db

MESSAGES = [{"role": "user", "content": "hi, how are you?"}]


class FakeRouter:
    """A loopback server speaking the chat-completions protocol, recording what it got."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                fake.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                if fake.status != 200:
                    body = {"error": {"message": "all providers failed", "type": "server_error"}}
                else:
                    body = {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "created": 1,
                        "model": "gpt-4o-mini",
                        "choices": [
                            {
                                "index": i,
                                "message": {"role": "assistant", "content": f"answer {i}"},
                                "finish_reason": "stop",
                            }
                            for i in range(fake.requests[-1]["body"].get("n", 1))
                        ],
                        "usage": {
                            "prompt_tokens": 120,
                            "completion_tokens": 30,
                            "total_tokens": 150,
                            "cost_usd": 0.000036,
                            "deployment": "openai-gpt-4o-mini",
                            "provider": "openai",
                            "model": "gpt-4o-mini",
                        },
                    }
                data = json.dumps(body).encode()
                self.send_response(fake.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("x-request-id", "req-42")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_router(settings) -> Iterator[FakeRouter]:
    router = FakeRouter()
    settings.AI_ROUTER_URL = router.url
    settings.AI_ROUTER_KEY = "router-secret"
    settings.AI_ROUTER_MAX_RETRIES = 0
    yield router
    router.close()


def test_over_http_it_sends_the_key_the_tenant_and_the_extensions(fake_router, creator_a):
    # When
    result = chat_complete(
        creator_id=creator_a.id,
        feature="caption",
        model="huntaze-caption",
        task="caption",
        messages=MESSAGES,
        context={"platform": "instagram"},
        choice_count=2,
    )
    # Then the request follows the protocol with the router's extensions
    [sent] = fake_router.requests
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["authorization"] == "Bearer router-secret"
    assert sent["headers"]["x-tenant-id"] == str(creator_a.id)
    assert sent["body"]["model"] == "huntaze-caption"
    assert sent["body"]["n"] == 2
    assert sent["body"]["task"] == "caption"
    assert sent["body"]["context"] == {"platform": "instagram"}
    assert sent["body"]["messages"] == MESSAGES
    # And the answer and its cost are read from the usage fields
    assert result.texts == ("answer 0", "answer 1")
    assert (result.model, result.provider, result.deployment) == (
        "gpt-4o-mini",
        "openai",
        "openai-gpt-4o-mini",
    )
    assert (result.tokens_input, result.tokens_output) == (120, 30)
    assert result.cost_usd == Decimal("0.000036")
    assert result.request_id == "req-42"
    [log] = usage_log_list(creator_id=creator_a.id)
    assert (log.feature, log.model, log.agent_id) == (
        "caption",
        "gpt-4o-mini",
        "openai-gpt-4o-mini",
    )
    assert (log.tokens_input, log.tokens_output, log.cost_usd) == (120, 30, Decimal("0.000036"))


def test_calls_add_up_in_the_month(fake_router, creator_a):
    for _ in range(3):
        chat_complete(creator_id=creator_a.id, feature="assistant", messages=MESSAGES)
    [charge] = MonthlyCharge.all_creators.filter(creator=creator_a)
    summary = monthly_charge_get(creator_id=creator_a.id, month=charge.month)
    assert summary is not None
    assert (summary.total_tokens_input, summary.total_tokens_output) == (360, 90)
    assert summary.total_cost_usd == Decimal("0.000108")
    assert UsageLog.all_creators.filter(creator=creator_a).count() == 3


def test_a_router_error_is_upstream_unavailable_and_not_metered(fake_router, creator_a):
    fake_router.status = 503
    with pytest.raises(UpstreamUnavailable, match="503: all providers failed"):
        chat_complete(creator_id=creator_a.id, feature="assistant", messages=MESSAGES)
    assert not UsageLog.all_creators.exists()
    assert not MonthlyCharge.all_creators.exists()


def test_a_closed_port_is_upstream_unavailable(settings, creator_a):
    settings.AI_ROUTER_URL = "http://127.0.0.1:9"
    settings.AI_ROUTER_MAX_RETRIES = 0
    with pytest.raises(UpstreamUnavailable, match="could not be reached"):
        chat_complete(creator_id=creator_a.id, feature="assistant", messages=MESSAGES)


def test_embedded_default_calls_the_router_in_process(settings, creator_a):
    settings.AI_ROUTER_URL = ""
    result = chat_complete(
        creator_id=creator_a.id,
        feature="reply_suggestion",
        model="huntaze-reply-suggestion",
        messages=[{"role": "user", "content": "thank you so much"}],
        context={"fan": {"name": "Ana"}},
        choice_count=3,
    )
    assert len(result.texts) == 3
    assert all("Ana" in text for text in result.texts)
    assert (result.model, result.provider) == ("local/retrieval-v1", "local")
    assert UsageLog.all_creators.filter(creator=creator_a).count() == 1


def test_the_billing_month_is_the_creators(creator_a):
    from datetime import UTC, datetime

    moment = datetime(2025, 3, 31, 23, 30, tzinfo=UTC)
    assert billing_month(creator_timezone="UTC", moment=moment) == "2025-03"
    assert billing_month(creator_timezone="Europe/Paris", moment=moment) == "2025-04"
    assert billing_month(creator_timezone="Not/AZone", moment=moment) == "2025-03"
