"""Reply suggestions without a model: retrieval over the creator's own examples and knowledge
items first, then replies written for the fan message's intent, in the fan's language."""

from __future__ import annotations

import re
import zlib

from ai_router.local_engine.retrieval import RetrievalIndex
from ai_router.schemas import RequestContext
from ai_router.text import normalize, word_set, words

EXAMPLE_MINIMUM_SCORE = 0.08
KNOWLEDGE_MINIMUM_SCORE = 0.12
PLACEHOLDER_PATTERN = re.compile(r"(\s?)\{(fan_name|name|creator)\}")
FIRST_SENTENCE_PATTERN = re.compile(r"^(.+?[.!?])(\s|$)", re.DOTALL)
EMOJIS = ("😊", "😘", "💕", "🔥", "✨")

# Words (accent-free) that reveal what the fan wants; the first intent that matches wins.
INTENT_KEYWORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "meet",
        word_set(
            "meet meeting date address number whatsapp snapchat snap telegram irl "
            "rencontrer rencontre numero adresse quedar direccion treffen nummer "
            "incontrarci"
        ),
    ),
    (
        "price",
        word_set(
            "price prices cost costs much ppv unlock pay paid tip tips combien prix "
            "payer debloquer cuanto precio pagar kostet preis quanto prezzo"
        ),
    ),
    (
        "custom",
        word_set(
            "custom request personalized personalised special perso personnalise "
            "personnalisee personalizado personalizada wunsch personalizzato"
        ),
    ),
    (
        "thanks",
        word_set("thank thanks thx merci gracias danke grazie obrigado obrigada"),
    ),
    (
        "compliment",
        word_set(
            "beautiful gorgeous pretty cute stunning amazing love hot sexy belle beau "
            "magnifique jolie canon adore hermosa guapa preciosa linda schon wunderschon "
            "bellissima bella"
        ),
    ),
    (
        "goodbye",
        word_set(
            "bye goodbye goodnight night later ciao bisous nuit revoir adios noches "
            "tschuss gute notte"
        ),
    ),
    (
        "greeting",
        word_set(
            "hi hello hey hiya morning bonjour salut coucou hola buenas hallo moin ciao "
            "buongiorno ola oi"
        ),
    ),
)

REPLIES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "greeting": (
            "Hey {name}! So happy to see you here, how's your day going?",
            "Hi {name}, you just made my day. What are you up to?",
            "Hello {name}! I was hoping you'd drop by. Tell me something fun.",
            "Hey you! Welcome back {name}, I missed our chats.",
        ),
        "compliment": (
            "Aww {name}, you're too sweet! That honestly made me smile.",
            "Thank you {name}, coming from you that means a lot!",
            "You always know what to say, {name}. I'm blushing!",
            "Stop it {name}, you're making me shy. Thank you!",
        ),
        "price": (
            "Great question {name}! I'll send you the details in a private message right now.",
            "I have something special for you {name}. Want me to send it over with the price?",
            "For you {name}, I can put together a little bundle. Shall I send it?",
            "It's all in my latest unlock, {name}. I think you'll love it!",
        ),
        "custom": (
            "I love custom ideas {name}! Tell me exactly what you have in mind.",
            "Ooh, a special request! Share the details {name} and I'll tell you what I can do.",
            "Customs are my favourite, {name}. What would make it perfect for you?",
            "Let's make it happen {name}. Describe it and I'll send you a quote.",
        ),
        "meet": (
            "That's sweet {name}, but I keep everything here on the platform. Let's keep chatting!",
            "I keep my private life private {name}, but I'm all yours right here.",
            "I don't share personal contact details {name}, but I'm always happy to chat here!",
            "Here is the best place to reach me {name}. I read every message!",
        ),
        "thanks": (
            "You're so welcome {name}! Thank you for being here.",
            "Anytime {name}! You're one of my favourites.",
            "My pleasure {name}, I really appreciate your support.",
            "No, thank YOU {name}! It means a lot.",
        ),
        "goodbye": (
            "Sweet dreams {name}! Talk tomorrow?",
            "Bye for now {name}, come back soon!",
            "Sleep well {name}, I'll be thinking of our chat.",
            "Take care {name}! I'll have something new for you next time.",
        ),
        "general": (
            "I love hearing from you {name}! Tell me more.",
            "That's so interesting {name}, what made you think of it?",
            "Haha you're fun {name}! What else is on your mind?",
            "You always make my day better {name}.",
            "Good question {name}! Let me think about it and get back to you.",
            "I'm so glad you wrote {name}. How has your week been?",
        ),
    },
    "fr": {
        "greeting": (
            "Coucou {name} ! Trop contente de te voir, ta journée se passe bien ?",
            "Salut {name}, tu viens d'illuminer ma journée. Tu fais quoi de beau ?",
            "Bonjour {name} ! J'espérais que tu passes. Raconte-moi un truc sympa.",
            "Hey {name} ! Contente de te revoir, nos discussions me manquaient.",
        ),
        "compliment": (
            "Oh {name}, tu es trop mignon ! Ça m'a fait sourire.",
            "Merci {name}, venant de toi ça me touche vraiment !",
            "Tu sais toujours quoi dire {name}, je rougis !",
            "Arrête {name}, tu vas me rendre timide. Merci !",
        ),
        "price": (
            "Bonne question {name} ! Je t'envoie tous les détails en privé tout de suite.",
            "J'ai quelque chose de spécial pour toi {name}. Je te l'envoie avec le prix ?",
            "Pour toi {name}, je peux préparer un petit pack. Je te l'envoie ?",
            "Tout est dans mon dernier contenu {name}, je pense que tu vas adorer !",
        ),
        "custom": (
            "J'adore les demandes perso {name} ! Dis-moi exactement ce que tu imagines.",
            "Une demande spéciale ! Donne-moi les détails {name} et je te dis ce que je peux faire.",
            "Les contenus perso, c'est mon truc {name}. Qu'est-ce qui le rendrait parfait ?",
            "On peut le faire {name}. Décris-le-moi et je t'envoie un tarif.",
        ),
        "meet": (
            "C'est adorable {name}, mais tout se passe ici sur la plateforme. On continue à discuter ?",
            "Je garde ma vie privée pour moi {name}, mais ici je suis toute à toi.",
            "Je ne partage pas mes coordonnées {name}, mais je suis toujours là pour discuter ici !",
            "C'est ici le meilleur endroit pour me parler {name}. Je lis tous tes messages !",
        ),
        "thanks": (
            "Avec plaisir {name} ! Merci d'être là.",
            "Quand tu veux {name} ! Tu fais partie de mes préférés.",
            "Tout le plaisir est pour moi {name}, merci pour ton soutien.",
            "Non, c'est moi qui te remercie {name} !",
        ),
        "goodbye": (
            "Fais de beaux rêves {name} ! On se parle demain ?",
            "À bientôt {name}, reviens vite !",
            "Dors bien {name}, je penserai à notre discussion.",
            "Prends soin de toi {name} ! J'aurai du nouveau pour toi la prochaine fois.",
        ),
        "general": (
            "J'adore avoir de tes nouvelles {name} ! Raconte-moi tout.",
            "C'est intéressant {name}, qu'est-ce qui t'a fait penser à ça ?",
            "Haha tu es drôle {name} ! Quoi d'autre ?",
            "Tu rends toujours ma journée meilleure {name}.",
            "Bonne question {name} ! Je réfléchis et je te réponds.",
            "Contente que tu m'écrives {name}. Ta semaine s'est bien passée ?",
        ),
    },
    "es": {
        "greeting": (
            "¡Hola {name}! Qué alegría verte, ¿qué tal tu día?",
            "Hola {name}, me acabas de alegrar el día. ¿Qué haces?",
            "¡Hey {name}! Esperaba que pasaras. Cuéntame algo divertido.",
            "¡Bienvenido de nuevo {name}! Echaba de menos nuestras charlas.",
        ),
        "compliment": (
            "Ay {name}, ¡qué lindo eres! Me sacaste una sonrisa.",
            "Gracias {name}, viniendo de ti significa mucho.",
            "Siempre sabes qué decir {name}. ¡Me sonrojo!",
            "Para {name}, me vas a poner tímida. ¡Gracias!",
        ),
        "price": (
            "¡Buena pregunta {name}! Te mando los detalles por privado ahora mismo.",
            "Tengo algo especial para ti {name}. ¿Te lo envío con el precio?",
            "Para ti {name} puedo preparar un pack. ¿Te lo mando?",
            "Está todo en mi último contenido {name}, ¡te va a encantar!",
        ),
        "custom": (
            "¡Me encantan las ideas personalizadas {name}! Cuéntame qué tienes en mente.",
            "¡Una petición especial! Dame los detalles {name} y te digo qué puedo hacer.",
            "Los contenidos personalizados son mis favoritos {name}. ¿Qué lo haría perfecto?",
            "Hagámoslo {name}. Descríbemelo y te paso un precio.",
        ),
        "meet": (
            "Qué lindo {name}, pero mantengo todo aquí en la plataforma. ¡Sigamos charlando!",
            "Mi vida privada es privada {name}, pero aquí soy toda tuya.",
            "No comparto mis datos personales {name}, ¡pero siempre estoy aquí para charlar!",
            "Aquí es el mejor sitio para hablar conmigo {name}. ¡Leo todos tus mensajes!",
        ),
        "thanks": (
            "¡De nada {name}! Gracias por estar aquí.",
            "¡Cuando quieras {name}! Eres de mis favoritos.",
            "Un placer {name}, de verdad aprecio tu apoyo.",
            "¡Gracias a ti {name}! Significa mucho.",
        ),
        "goodbye": (
            "¡Dulces sueños {name}! ¿Hablamos mañana?",
            "¡Hasta pronto {name}, vuelve pronto!",
            "Descansa {name}, pensaré en nuestra charla.",
            "¡Cuídate {name}! La próxima vez tendré algo nuevo para ti.",
        ),
        "general": (
            "¡Me encanta saber de ti {name}! Cuéntame más.",
            "Qué interesante {name}, ¿qué te hizo pensar en eso?",
            "¡Jaja qué divertido eres {name}! ¿Qué más?",
            "Siempre me alegras el día {name}.",
            "¡Buena pregunta {name}! Lo pienso y te respondo.",
            "Me alegra que me escribas {name}. ¿Qué tal tu semana?",
        ),
    },
}


def detect_intent(message: str) -> str:
    tokens = set(words(message))
    for intent, keywords in INTENT_KEYWORDS:
        if tokens & keywords:
            return intent
    return "general"


def _fill(template: str, *, fan_name: str, creator_name: str) -> str:
    values = {"fan_name": fan_name, "name": fan_name, "creator": creator_name}

    def replace(match: re.Match[str]) -> str:
        value = values[match.group(2)]
        # Without a name, "Hey {name}!" must read "Hey!", not "Hey !".
        return f"{match.group(1)}{value}" if value else ""

    text = PLACEHOLDER_PATTERN.sub(replace, template)
    return re.sub(r",(?=[.!?])", "", text).strip()


def _first_sentence(text: str) -> str:
    match = FIRST_SENTENCE_PATTERN.match(text.strip())
    return (match.group(1) if match else text.strip())[:280]


def suggest_replies(
    *, fan_message: str, context: RequestContext, language: str, count: int
) -> list[str]:
    """``count`` distinct suggestions, the creator's closest examples first."""
    fan_name = str(context.fan.get("name") or context.fan.get("display_name") or "")
    creator_name = str(context.persona.get("name") or "")
    is_emoji_wanted = bool(context.persona.get("emoji"))
    fan_language = str(context.fan.get("language") or language)
    templates = REPLIES.get(fan_language, REPLIES["en"])
    suggestions: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        filled = _fill(text, fan_name=fan_name, creator_name=creator_name)
        if is_emoji_wanted:
            filled = f"{filled} {EMOJIS[len(suggestions) % len(EMOJIS)]}"
        key = normalize(filled)
        if filled and key not in seen and len(suggestions) < count:
            seen.add(key)
            suggestions.append(filled)

    if context.examples:
        index = RetrievalIndex.build([example.input for example in context.examples])
        for position, _score in index.rank(
            fan_message, limit=count * 2, minimum_score=EXAMPLE_MINIMUM_SCORE
        ):
            add(context.examples[position].output)
    if context.knowledge and len(suggestions) < count:
        documents = [f"{item.title} {item.text}" for item in context.knowledge]
        index = RetrievalIndex.build(documents)
        for position, _score in index.rank(
            fan_message, limit=2, minimum_score=KNOWLEDGE_MINIMUM_SCORE
        ):
            lead = "Bonne question" if fan_language == "fr" else "Good question"
            add(f"{lead} {{name}}! {_first_sentence(context.knowledge[position].text)}")
    intent = detect_intent(fan_message)
    intent_templates = templates[intent]
    offset = zlib.crc32(normalize(fan_message).encode()) % len(intent_templates)
    ordered: list[str] = [
        *intent_templates[offset:],
        *intent_templates[:offset],
        *(template for template in templates["general"] if template not in intent_templates),
    ]
    for template in ordered:
        add(template)
    number = 1
    while len(suggestions) < count:
        add(f"{ordered[number % len(ordered)]} ({number + 1})")
        number += 1
    return suggestions
