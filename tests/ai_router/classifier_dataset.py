"""A labelled set of requests for the classifier, generated deterministically from templates.

Each class mixes phrasings, languages (English, French, Spanish, some German and Italian),
system-prompt framings, task hints for requests whose text alone is ambiguous, media parts,
and sizes chosen for each complexity. The labels say what a person routing the request would
choose. Run ``uv run python tests/ai_router/classifier_dataset.py`` for the accuracy table.
"""

from __future__ import annotations

import base64
import itertools
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

TINY_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
    "hQGAhKmMIQAAAABJRU5ErkJggg=="
)
WAV_BYTES_PER_SECOND = 32_000


@dataclass(frozen=True)
class LabelledRequest:
    messages: list[dict[str, Any]]
    task: str
    complexity: str
    task_hint: str | None = None


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


def system(text: str) -> dict[str, Any]:
    return {"role": "system", "content": text}


def with_images(text: str, count: int) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    parts += [{"type": "image_url", "image_url": {"url": TINY_PNG}} for _ in range(count)]
    return {"role": "user", "content": parts}


@cache
def silent_audio(seconds: int) -> str:
    return base64.b64encode(bytes(seconds * WAV_BYTES_PER_SECOND)).decode()


def with_audio(text: str, seconds: int) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    parts.append(
        {"type": "input_audio", "input_audio": {"data": silent_audio(seconds), "format": "wav"}}
    )
    return {"role": "user", "content": parts}


FAN_MESSAGES = (
    "hey gorgeous, how was your weekend?",
    "how much for the beach video you posted?",
    "can we meet irl sometime? I'm in Miami next week",
    "thanks for the pics yesterday, you made my day",
    "do you do custom videos? I have an idea",
    "good night babe, talk tomorrow",
)
FAN_MESSAGES_FR = (
    "coucou ma belle, tu as passé un bon week-end ?",
    "c'est combien pour la vidéo de la plage ?",
    "merci pour les photos d'hier",
)
FAN_MESSAGES_ES = ("hola guapa, ¿qué tal tu día?", "¿cuánto cuesta el video nuevo?")
TOPICS = (
    "beach photoshoot",
    "new lingerie set",
    "gym routine",
    "cooking night",
    "Halloween costume",
    "morning coffee",
)
PRODUCTS = ("photo set", "PPV video", "monthly subscription", "bundle of 10 videos")
METRIC_LINES = (
    "revenue: 1240, new subscribers: 38, churn: 4%",
    "tips: 310, ppv sales: 22, messages sent: 1900",
    "revenue: 5400, refunds: 2, renewals: 71%",
)
LONG_PARAGRAPH = (
    "My audience is mostly 25 to 40, they love behind the scenes content, they reply more "
    "in the evening, they dislike hard selling, they buy bundles more than single items, "
    "and many of them came from TikTok last month after a video went viral. "
)
GENERAL_PROMPTS = (
    "Hello, who are you?",
    "Translate 'see you tomorrow' into Spanish.",
    "What time zone is Los Angeles in?",
    "Write a haiku about coffee.",
    "Tell me a joke about cats.",
    "What is the capital of Australia?",
    "Bonjour, comment vas-tu ?",
    "Give me a synonym for happy.",
    "How do I spell 'rendezvous'?",
    "Recommend a good book for the weekend.",
    "What's a healthy breakfast idea?",
    "Hola, ¿cómo estás?",
)


def reply_suggestions() -> list[LabelledRequest]:
    items: list[LabelledRequest] = []
    instructions = (
        "Suggest a reply to this fan message: '{message}'",
        "What should I say to a fan who wrote: {message}",
        "Help me respond to this subscriber: {message}",
        "Write 3 replies to this DM: {message}",
    )
    for template, message in itertools.product(instructions, FAN_MESSAGES[:4]):
        items.append(
            LabelledRequest([user(template.format(message=message))], "reply_suggestion", "low")
        )
    for message in FAN_MESSAGES_FR:
        items.append(
            LabelledRequest(
                [user(f"Que répondre à ce fan qui m'écrit : « {message} »")],
                "reply_suggestion",
                "low",
            )
        )
    for message in FAN_MESSAGES_ES:
        items.append(
            LabelledRequest(
                [user(f"¿Qué le digo a este fan? Me escribió: {message}")],
                "reply_suggestion",
                "low",
            )
        )
    for message in FAN_MESSAGES:
        items.append(
            LabelledRequest(
                [
                    system(
                        "You are the chatter assistant of a creator. Suggest a reply to the fan's last message."
                    ),
                    user(message),
                ],
                "reply_suggestion",
                "low",
            )
        )
    # The web app sends raw fan messages with a hint: the text alone says nothing of the task.
    for message in FAN_MESSAGES + FAN_MESSAGES_FR:
        items.append(
            LabelledRequest(
                [user(message)], "reply_suggestion", "low", task_hint="reply_suggestion"
            )
        )
    history: list[dict[str, Any]] = []
    for turn in range(14):
        history.append(
            user(
                f"{FAN_MESSAGES[turn % 6]} also I wanted to tell you about my day at work, it was long"
            )
        )
        history.append(
            {
                "role": "assistant",
                "content": "Aww tell me everything, I love hearing about your day!",
            }
        )
    for message in FAN_MESSAGES[:3]:
        items.append(
            LabelledRequest(
                [system("Suggest a reply to this fan."), *history, user(message)],
                "reply_suggestion",
                "medium",
            )
        )
    return items


def captions() -> list[LabelledRequest]:
    items: list[LabelledRequest] = []
    templates = (
        "Write an Instagram caption for my {topic} photo",
        "Give me 5 TikTok hashtags for a video about my {topic}",
        "Caption ideas for a reel about my {topic}",
        "Write a tweet announcing my {topic} set",
    )
    for template, topic in itertools.product(templates, TOPICS[:5]):
        items.append(LabelledRequest([user(template.format(topic=topic))], "caption", "low"))
    for topic in TOPICS[:3]:
        items.append(
            LabelledRequest(
                [user(f"Écris une légende Instagram pour mon {topic}")], "caption", "low"
            )
        )
        items.append(
            LabelledRequest(
                [user(f"Escribe un pie de foto para mi post de {topic}")], "caption", "low"
            )
        )
    for topic in TOPICS[:3]:
        items.append(
            LabelledRequest(
                [with_images(f"Write a caption for this {topic} picture", 1)], "caption", "low"
            )
        )
    for topic in TOPICS[:3]:
        items.append(
            LabelledRequest([user(f"{topic} vibes today")], "caption", "low", task_hint="caption")
        )
    brief = LONG_PARAGRAPH * 5
    for topic in TOPICS[:2]:
        items.append(
            LabelledRequest(
                [user(f"Write an Instagram caption for my {topic}. Brand notes: {brief}")],
                "caption",
                "medium",
            )
        )
    return items


def campaigns() -> list[LabelledRequest]:
    items: list[LabelledRequest] = []
    templates = (
        "Draft a mass message for a {percent}% discount on my {product}",
        "Write a promo message: my {product} is on sale this weekend, {percent}% off",
        "Create a campaign to win back expired subscribers with {percent}% off my {product}",
        "Black Friday: write the launch message for my {product} at {percent}% off",
    )
    for template, (percent, product) in itertools.product(
        templates, zip((20, 30, 50, 15), PRODUCTS, strict=True)
    ):
        items.append(
            LabelledRequest(
                [user(template.format(percent=percent, product=product))], "campaign", "low"
            )
        )
    for percent, product in zip((20, 40, 25), PRODUCTS, strict=False):
        items.append(
            LabelledRequest(
                [
                    user(
                        f"Rédige une campagne de promotion avec {percent}% de remise sur mon {product}"
                    )
                ],
                "campaign",
                "low",
            )
        )
        items.append(
            LabelledRequest(
                [user(f"Escribe una campaña con un descuento del {percent}% en mi {product}")],
                "campaign",
                "low",
            )
        )
    for product in PRODUCTS:
        items.append(
            LabelledRequest(
                [
                    user(
                        f"Newsletter for my fans about the {product}, limited time offer ends Sunday"
                    )
                ],
                "campaign",
                "low",
            )
        )
    for product in PRODUCTS[:3]:
        items.append(
            LabelledRequest(
                [
                    user(
                        f"Plan a detailed promo campaign for my {product} with a strategy for each "
                        f"segment. Audience: {LONG_PARAGRAPH * 4}"
                    )
                ],
                "campaign",
                "high",
            )
        )
    items.append(
        LabelledRequest(
            [user("my best fans, 48 hours only")], "campaign", "low", task_hint="campaign"
        )
    )
    items.append(
        LabelledRequest([user("Kampagne mit 20% Rabatt für meine Fans")], "campaign", "low")
    )
    return items


def flows() -> list[LabelledRequest]:
    items: list[LabelledRequest] = []
    templates = (
        "Create an automation: when a fan subscribes, send a welcome message, wait {days} days, then offer {percent}% off",
        "Set up a workflow that triggers when a fan's subscription is expiring in {days} days",
        "Build a flow: if a fan buys a PPV, thank them and wait {days} days before the next offer of {percent}% off",
        "Automate a follow up sequence for fans who have been inactive for {days} days",
    )
    for template, (days, percent) in itertools.product(
        templates, ((2, 10), (3, 20), (5, 15), (7, 25))
    ):
        items.append(
            LabelledRequest([user(template.format(days=days, percent=percent))], "flow", "low")
        )
    for days in (2, 3, 7):
        items.append(
            LabelledRequest(
                [
                    user(
                        f"Crée une automatisation : quand un fan s'abonne, attendre {days} jours puis envoyer une offre"
                    )
                ],
                "flow",
                "low",
            )
        )
        items.append(
            LabelledRequest(
                [
                    user(
                        f"Crea un flujo: cuando un fan compra, esperar {days} días y enviar un mensaje"
                    )
                ],
                "flow",
                "low",
            )
        )
    steps = "\n".join(
        f"{index}. step {index}: send message, wait a day, check purchase" for index in range(1, 7)
    )
    for name in ("welcome", "win-back", "upsell"):
        items.append(
            LabelledRequest(
                [user(f"Create the {name} automation with these steps:\n{steps}")], "flow", "medium"
            )
        )
    items.append(
        LabelledRequest(
            [user("new subscriber then 1 day then discount")], "flow", "low", task_hint="flow"
        )
    )
    items.append(
        LabelledRequest(
            [user("Automatisierung: wenn ein Fan abonniert, Nachricht senden")], "flow", "low"
        )
    )
    return items


def insight_summaries() -> list[LabelledRequest]:
    items: list[LabelledRequest] = []
    templates = (
        "Summarize my stats for last week: {metrics}",
        "Give me insights from this dashboard: {metrics}",
        "Write a short report on my performance this month: {metrics}",
        "What are the trends in my analytics? {metrics}",
    )
    for template, metrics in itertools.product(templates, METRIC_LINES):
        items.append(
            LabelledRequest([user(template.format(metrics=metrics))], "insight_summary", "low")
        )
    for metrics in METRIC_LINES:
        items.append(
            LabelledRequest(
                [user(f"Résume mes statistiques du mois : {metrics}")], "insight_summary", "low"
            )
        )
        items.append(
            LabelledRequest(
                [user(f"Hazme un resumen de mis métricas: {metrics}")], "insight_summary", "low"
            )
        )
    table = "\n".join(
        f"day {day}: revenue {100 + day * 7}, new fans {day % 9}, messages {300 + day}, churn {day % 5}%"
        for day in range(1, 31)
    )
    for period in ("this month", "last month", "this quarter"):
        items.append(
            LabelledRequest(
                [user(f"Summarize the KPIs for {period}:\n{table}")], "insight_summary", "medium"
            )
        )
    huge_table = "\n".join([table] * 6)
    for period in ("this year", "last year"):
        items.append(
            LabelledRequest(
                [user(f"Summarize the KPIs for {period}:\n{huge_table}")], "insight_summary", "high"
            )
        )
    items.append(
        LabelledRequest(
            [user("revenue 1200 vs 1000, fans 40 vs 52")],
            "insight_summary",
            "low",
            task_hint="insight_summary",
        )
    )
    items.append(
        LabelledRequest(
            [user("Zusammenfassung meiner Statistiken: Umsatz 900")], "insight_summary", "low"
        )
    )
    return items


def reasonings() -> list[LabelledRequest]:
    items: list[LabelledRequest] = []
    medium_prompts = (
        "Why did my revenue drop after I raised my subscription price from $9.99 to $14.99?",
        "Calculate the break even number of PPV sales if each costs $12 and production costs $300.",
        "Which is better for me: a $9.99 subscription with free content or a free page with PPV only?",
        "If 4% of fans churn each month, what is the expected lifetime of a fan?",
        "Solve this: 120 fans pay $10, 30 of them also buy $25 bundles. What is the average revenue per fan?",
        "What are the pros and cons of posting daily versus three times a week?",
        "Pourquoi mes abonnés partent-ils après le premier mois ?",
        "Calcule le revenu moyen par fan si 200 fans paient 12 euros.",
        "¿Por qué bajaron mis ventas de PPV este mes?",
        "Warum verliere ich Abonnenten nach einer Preiserhöhung?",
    )
    for prompt in medium_prompts:
        items.append(LabelledRequest([user(prompt)], "reasoning", "medium"))
    high_prompts = (
        "Explain why my churn doubled, step by step, and compare the tradeoffs of each fix.",
        "Prove that bundling increases revenue in my case and justify each assumption in detail.",
        "Compare three pricing strategies step by step and find the optimal one for 500 fans.",
        "Explique pourquoi mes revenus baissent, étape par étape, avec les avantages et inconvénients.",
        "Calcula paso a paso el precio óptimo y explica por qué, en detalle.",
        "Step by step, calculate the expected value of a $30 PPV sent to 1000 fans with a 3% open rate and compare it with a $10 one.",
    )
    for prompt in high_prompts:
        items.append(LabelledRequest([user(prompt)], "reasoning", "high"))
    context = LONG_PARAGRAPH * 3
    for question in (
        "Why do they buy less in summer?",
        "Which is better, more posts or more messages?",
        "Calculate how many fans I need for $5000 a month at $12 each.",
    ):
        items.append(LabelledRequest([user(f"{context}\n{question}")], "reasoning", "medium"))
    long_case = LONG_PARAGRAPH * 25
    for question in ("Why is my revenue flat?", "Calculate my optimal price."):
        items.append(LabelledRequest([user(f"{long_case}\n{question}")], "reasoning", "high"))
    for prompt in ("a fan pays 10 a month for 7 months", "price 15 vs 20, 300 fans, 5% churn"):
        items.append(LabelledRequest([user(prompt)], "reasoning", "medium", task_hint="reasoning"))
    for prompt in (
        "Why do fans unsubscribe after one month?",
        "Why is Sunday my best day for sales?",
        "Calculate my monthly revenue if 80 fans pay $15.",
        "Which is better: a 20% discount or a free bonus video?",
        "What is the probability that a fan renews twice if 70% renew each month?",
        "Why do my PPV messages sell better at night?",
        "Compute the average tip if 12 fans tipped $120 in total.",
        "Perché i miei fan non rinnovano l'abbonamento?",
        "¿Por qué mis fans no compran los PPV?",
        "Explain why posting at 9pm works better for me than 9am.",
        "Calculate the yearly revenue of 150 fans at $9.99 with 5% monthly churn.",
        "Pourquoi mes ventes baissent le lundi ?",
        "Which is better for growth: Reddit or TikTok, and why?",
    ):
        items.append(LabelledRequest([user(prompt)], "reasoning", "medium"))
    return items


def visions() -> list[LabelledRequest]:
    items: list[LabelledRequest] = []
    prompts = (
        "What's in this image?",
        "Is this photo safe to post on Instagram's rules?",
        "Describe this screenshot",
        "Does this picture have good lighting?",
        "Que vois-tu sur cette photo ?",
        "¿Qué hay en esta imagen?",
        "Read the text in this screenshot",
        "Is my face visible here?",
        "",
        "Rate this outfit from 1 to 10",
        "Which filter was used?",
        "Check this image for watermarks",
    )
    for prompt in prompts:
        items.append(LabelledRequest([with_images(prompt, 1)], "vision", "low"))
    for prompt in prompts[:10]:
        items.append(
            LabelledRequest([with_images(prompt or "Compare these photos", 2)], "vision", "medium")
        )
    for prompt in (
        "Which of these photos is best?",
        "Compare these photos",
        "Rank these images",
        "Any duplicates here?",
    ):
        items.append(LabelledRequest([with_images(prompt, 3)], "vision", "high"))
    for prompt in (
        "Describe this photo in detail and compare it with my usual style",
        "Step by step, check this image against each platform's rules",
        "Explain in detail what could be improved in this picture",
    ):
        items.append(LabelledRequest([with_images(prompt, 1)], "vision", "high"))
    for prompt in ("thoughts?", "is this ok", "hmm", "new one"):
        items.append(LabelledRequest([with_images(prompt, 1)], "vision", "low"))
    items.append(
        LabelledRequest([user("describe the attached file")], "vision", "low", task_hint="vision")
    )
    return items


def transcriptions() -> list[LabelledRequest]:
    items: list[LabelledRequest] = []
    prompts = (
        "Transcribe this voice note",
        "What does the fan say in this voice message?",
        "",
        "Transcris cette note vocale",
        "Transcribe este audio",
        "transcript please",
    )
    for prompt, seconds in itertools.product(prompts, (5, 12, 30, 45)):
        items.append(LabelledRequest([with_audio(prompt, seconds)], "transcription", "low"))
    for prompt, seconds in itertools.product(prompts[:4], (90, 180)):
        items.append(LabelledRequest([with_audio(prompt, seconds)], "transcription", "medium"))
    for prompt in prompts[:4]:
        items.append(LabelledRequest([with_audio(prompt, 320)], "transcription", "high"))
    return items


def generals() -> list[LabelledRequest]:
    items: list[LabelledRequest] = [
        LabelledRequest([user(prompt)], "general", "low") for prompt in GENERAL_PROMPTS
    ]
    follow_ups = (
        "And in French?",
        "Make it shorter.",
        "One more, please.",
        "Ok thanks, and another one?",
    )
    for prompt, follow_up in itertools.product(GENERAL_PROMPTS[:4], follow_ups):
        items.append(
            LabelledRequest(
                [
                    user(prompt),
                    {"role": "assistant", "content": "Sure, here it is."},
                    user(follow_up),
                ],
                "general",
                "low",
            )
        )
    essay = "The quick brown fox jumps over the lazy dog near the river bank. " * 40
    for instruction in (
        "Translate this text into French:",
        "Fix the grammar of this text:",
        "Make this text friendlier:",
    ):
        items.append(LabelledRequest([user(f"{instruction}\n{essay}")], "general", "medium"))
    for instruction in ("Translate this into German:", "Proofread this:"):
        items.append(LabelledRequest([user(f"{instruction}\n{essay * 5}")], "general", "high"))
    items.append(LabelledRequest([user("Write a short poem about the sea")], "general", "low"))
    return items


def natural_cases() -> list[LabelledRequest]:
    """Requests phrased the way people write them, written after the classifier and not used
    to tune it: they show where keyword routing falls short (see the report's second table)."""
    cases: list[tuple[Any, str, str]] = [
        (
            user("He says he's sad today because his dog died, what do I tell him?"),
            "reply_suggestion",
            "low",
        ),
        (user("fan asked if I'm single lol how do I handle that"), "reply_suggestion", "low"),
        (user("Need a flirty comeback to 'you look tired today'"), "reply_suggestion", "low"),
        (
            user("Un abonné me demande si je fais des lives, je lui dis quoi ?"),
            "reply_suggestion",
            "low",
        ),
        (user("Give me a sweet answer for a subscriber who tipped $50"), "reply_suggestion", "low"),
        (user("Need something short and catchy to go under my gym selfie on IG"), "caption", "low"),
        (user("3 title ideas for my Reddit post about cosplay"), "caption", "low"),
        (user("Write the text for my TikTok about my morning routine"), "caption", "low"),
        (user("Légende courte pour ma story du jour"), "caption", "low"),
        (user("hashtags for a pool day post"), "caption", "low"),
        (user("Write a message to all my fans announcing 24h half price"), "campaign", "low"),
        (user("Valentine's day special: message to my VIPs with a 30% coupon"), "campaign", "low"),
        (
            user(
                "Announce my new bundle to everyone who hasn't bought in 30 days, price drops to $19"
            ),
            "campaign",
            "low",
        ),
        (user("Offre spéciale Saint-Valentin pour mes abonnés, -40%"), "campaign", "low"),
        (user("Email blast for my new merch launch"), "campaign", "low"),
        (
            user("When someone tips more than $20, automatically send them a thank-you video"),
            "flow",
            "low",
        ),
        (user("Every time a fan renews, send a loyalty discount"), "flow", "low"),
        (
            user("Remind fans 3 days before their subscription ends, then again on the last day"),
            "flow",
            "low",
        ),
        (user("Set up a drip of 3 messages for new subscribers"), "flow", "low"),
        (user("Quand un fan achète un PPV, lui envoyer un merci automatiquement"), "flow", "low"),
        (user("How did I do this week compared to last week?"), "insight_summary", "low"),
        (
            user("Give me the highlights of my earnings in October: 4200 subs, 1300 tips, 900 PPV"),
            "insight_summary",
            "low",
        ),
        (
            user("TL;DR of this month's numbers please: 3100 revenue, 44 new fans"),
            "insight_summary",
            "low",
        ),
        (
            user("Which of my posts performed best last month? post A 1200 views, post B 800"),
            "insight_summary",
            "low",
        ),
        (
            user("Bilan de la semaine : 800 € de revenus, 12 nouveaux abonnés"),
            "insight_summary",
            "low",
        ),
        (
            user("Should I raise my price to $15? I have 300 fans and 5% churn."),
            "reasoning",
            "medium",
        ),
        (
            user("Is it worth paying a chatter agency 30% of revenue if they double my sales?"),
            "reasoning",
            "medium",
        ),
        (
            user("Help me figure out if bundles or single PPVs make more money for me"),
            "reasoning",
            "medium",
        ),
        (user("Why are my Reddit posts getting no traction?"), "reasoning", "medium"),
        (
            user("Estime combien je gagnerais avec 50 fans de plus à 10 € par mois"),
            "reasoning",
            "medium",
        ),
        (with_images("Is this caption-worthy or should I retake it?", 1), "vision", "low"),
        (with_images("Blur check please", 1), "vision", "low"),
        (with_images("What's the brand of this bag?", 1), "vision", "low"),
        (with_images("which thumbnail gets more clicks?", 2), "vision", "medium"),
        (with_images("Écris ce que tu vois", 1), "vision", "low"),
        (with_audio("", 20), "transcription", "low"),
        (with_audio("what's she saying", 70), "transcription", "medium"),
        (with_audio("résume ce message vocal", 15), "transcription", "low"),
        (with_audio("translate this voice note to English", 40), "transcription", "low"),
        (with_audio("summarize the call", 200), "transcription", "medium"),
        (user("What's the weather like in Paris in May?"), "general", "low"),
        (user("Explain what OnlyFans is to my mom"), "general", "low"),
        (user("Write a birthday message for my sister"), "general", "low"),
        (user("Convert 50 euros to dollars"), "general", "low"),
        (user("Give me a recipe for banana bread"), "general", "low"),
    ]
    return [LabelledRequest([message], task, complexity) for message, task, complexity in cases]


def templated_requests() -> list[LabelledRequest]:
    return [
        *reply_suggestions(),
        *captions(),
        *campaigns(),
        *flows(),
        *insight_summaries(),
        *reasonings(),
        *visions(),
        *transcriptions(),
        *generals(),
    ]


def labelled_requests() -> list[LabelledRequest]:
    return [*templated_requests(), *natural_cases()]


def accuracy_report(
    items: list[LabelledRequest] | None = None,
) -> dict[str, dict[str, float | int]]:
    """Per task class: count, task accuracy and complexity accuracy of the classifier."""
    from ai_router.classifier import classify

    totals: Counter[str] = Counter()
    task_hits: Counter[str] = Counter()
    complexity_hits: Counter[str] = Counter()
    for item in labelled_requests() if items is None else items:
        result = classify(item.messages, task_hint=item.task_hint)
        totals[item.task] += 1
        task_hits[item.task] += result.task == item.task
        complexity_hits[item.task] += result.complexity == item.complexity
    return {
        task: {
            "count": totals[task],
            "task_accuracy": round(task_hits[task] / totals[task], 3),
            "complexity_accuracy": round(complexity_hits[task] / totals[task], 3),
        }
        for task in sorted(totals)
    }


def print_report(title: str, report: dict[str, dict[str, float | int]]) -> None:
    print(title)
    print(f"{'class':<18}{'count':>6}{'task':>8}{'complexity':>12}")
    for task, row in report.items():
        print(
            f"{task:<18}{row['count']:>6}{row['task_accuracy']:>8.3f}{row['complexity_accuracy']:>12.3f}"
        )
    count = sum(int(row["count"]) for row in report.values())
    task_hits = sum(float(row["task_accuracy"]) * int(row["count"]) for row in report.values())
    complexity_hits = sum(
        float(row["complexity_accuracy"]) * int(row["count"]) for row in report.values()
    )
    print(f"{'all':<18}{count:>6}{task_hits / count:>8.3f}{complexity_hits / count:>12.3f}\n")


if __name__ == "__main__":
    print_report("all labelled requests", accuracy_report())
    print_report("templated requests", accuracy_report(templated_requests()))
    print_report("natural requests (held out)", accuracy_report(natural_cases()))
