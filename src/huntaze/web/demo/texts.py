"""The words of the demo: the creators, their team, and short lines in the fans' and the
creators' voices. Placeholders: {creator} (the creator's first name), {pet} (how the creator
calls a fan)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CreatorProfile:
    name: str
    slug: str
    onlyfans_username: str
    timezone: str
    tone: str
    persona: str
    niche: str
    subscription_price_cents: int  # 0: a free page, revenue from tips and pay-per-view
    fansly_share: float  # the part of the fans met on Fansly
    weight: float  # the creator's share of the agency's fans
    pets: tuple[str, ...]


CREATORS: tuple[CreatorProfile, ...] = (
    CreatorProfile(
        name="Luna Rivers",
        slug="demo-luna-rivers",
        onlyfans_username="lunarivers",
        timezone="America/Los_Angeles",
        tone="playful",
        persona="Fitness and beach lifestyle, teasing and funny, lots of emojis.",
        niche="fitness",
        subscription_price_cents=999,
        fansly_share=0.15,
        weight=0.34,
        pets=("babe", "cutie", "handsome"),
    ),
    CreatorProfile(
        name="Mia Sol",
        slug="demo-mia-sol",
        onlyfans_username="miasol",
        timezone="Europe/Madrid",
        tone="warm",
        persona="Cosplay and gaming, sweet and attentive, remembers every detail.",
        niche="cosplay",
        subscription_price_cents=1499,
        fansly_share=0.0,
        weight=0.26,
        pets=("love", "sweetie", "hun"),
    ),
    CreatorProfile(
        name="Ava Stone",
        slug="demo-ava-stone",
        onlyfans_username="avastonefree",
        timezone="America/New_York",
        tone="flirty",
        persona="Free page; lingerie and pay-per-view sets, bold and direct.",
        niche="lingerie",
        subscription_price_cents=0,
        fansly_share=0.10,
        weight=0.20,
        pets=("baby", "darling", "trouble"),
    ),
    CreatorProfile(
        name="Zoe Vale",
        slug="demo-zoe-vale",
        onlyfans_username="zoevale",
        timezone="Europe/London",
        tone="sweet",
        persona="Travel and yoga, calm and caring, asks about the fan's day.",
        niche="yoga",
        subscription_price_cents=1299,
        fansly_share=0.0,
        weight=0.12,
        pets=("dear", "lovely", "sunshine"),
    ),
    CreatorProfile(
        name="Nina Blake",
        slug="demo-nina-blake",
        onlyfans_username="ninablake",
        timezone="Australia/Sydney",
        tone="confident",
        persona="Alternative model, tattoos and music, witty and a bit sarcastic.",
        niche="alternative",
        subscription_price_cents=799,
        fansly_share=0.05,
        weight=0.08,
        pets=("rockstar", "sweetheart", "you"),
    ),
)

TEAM_FIRST_NAMES = (
    "Camille", "Jordan", "Priya", "Mateo", "Sofia", "Liam", "Chloe", "Noah", "Yara", "Ethan",
    "Ines", "Lucas", "Maya", "Omar", "Elena", "Hugo", "Zara", "Leo", "Nora", "Sam",
)  # fmt: skip

FAN_FIRST_NAMES = (
    "Mike", "Chris", "Dave", "Tom", "Alex", "Ryan", "Jake", "Matt", "Ben", "Josh", "Dan",
    "Kevin", "Steve", "Mark", "Paul", "Nick", "Sam", "Luke", "Adam", "Eric", "Tony", "Brian",
    "Jason", "Kyle", "Sean", "Greg", "Carlos", "Marco", "Pierre", "Hans", "Lars", "Raj",
    "Ken", "Leo", "Oscar", "Felix", "Ivan", "Diego", "Tyler", "Aaron",
)  # fmt: skip

USERNAME_WORDS = (
    "wolf", "rider", "king", "gamer", "night", "storm", "blue", "fox", "ace", "rock", "jet",
    "lucky", "coast", "surf", "chill", "iron", "sky", "zen", "fire", "max", "ghost", "rebel",
    "tiger", "eagle", "shadow", "hawk", "cruise", "dream", "pixel", "neon",
)  # fmt: skip

FAN_TIMEZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "Europe/London", "Europe/Berlin", "Europe/Paris", "Australia/Sydney", "America/Toronto", "",
)  # fmt: skip

# The fan's voice (inbound).
FAN_LINES = (
    "hey {creator} 😘",
    "hi gorgeous, how was your day?",
    "good morning beautiful ☀️",
    "you look amazing in your last post",
    "any new content coming this week?",
    "how much for something custom?",
    "just got home from work, thinking about you",
    "omg that last set 🔥🔥",
    "do you ever do video calls?",
    "what are you up to tonight?",
    "I tipped you earlier, did you see it?",
    "can you send the set from yesterday?",
    "you're my favourite creator honestly",
    "happy friday {creator}!",
    "missed your messages",
    "lol you're too funny",
    "where was that beach pic taken?",
    "are you going live soon?",
    "I renewed my sub just for you",
    "what's your favourite movie?",
    "sorry I was busy this week",
    "that outfit though 😍",
    "do you have anything with the red dress?",
    "haha ok you got me",
    "goodnight {creator} 💤",
    "can I ask you something personal?",
    "how's the weather where you are?",
    "I'd love a shoutout",
    "you never answered my last message 😢",
    "thanks for the voice note!",
    "is the bundle still on sale?",
    "just unlocked it, worth every penny",
)

# The creator's voice (outbound), written by the team.
CREATOR_LINES = (
    "hey {pet}! how's your day going? 💕",
    "aww you're sweet, thank you 🥰",
    "I just posted something special for you 😏",
    "haha stop it, you're making me blush",
    "I'm filming a new set this weekend, any requests?",
    "custom videos start at $50 {pet}, tell me what you'd like",
    "good morning {pet} ☀️ coffee first, then gym",
    "I saw your tip, you spoil me! 😘",
    "I'm so glad you liked it",
    "what are YOU up to tonight?",
    "missed you too {pet}",
    "I don't do calls but I can send you a voice note 🎤",
    "check your inbox, I left you a little surprise",
    "going live on Sunday at 8pm, don't miss it",
    "that was at a tiny beach in Portugal 🌊",
    "lol you always make me laugh",
    "sorry for the late reply, crazy day!",
    "thank you for renewing, it means a lot 💖",
    "the red dress set is in the vault, want me to send it?",
    "sweet dreams {pet} 💤",
    "of course, ask me anything",
    "sunny and hot here, perfect pool day",
    "I'll give you a shoutout on my story today",
    "you're one of my favourites, you know that right?",
    "the bundle is 30% off until Sunday 😉",
    "tell me more about you {pet}",
)

WELCOME_LINES = (
    "Welcome {pet}! 💕 So happy you're here. Tell me what you like and I'll make sure you get it.",
    "Hey {pet}, thanks for subscribing! 🥰 Check your inbox every day, I send surprises.",
    "Hi there! Welcome to my page 😘 What made you subscribe?",
    "Welcome, {pet}! I read every message myself, so say hi anytime 💌",
)

PPV_TITLES = (
    "Beach sunset set", "Red dress teaser", "Morning routine", "Behind the scenes", "Gym session",
    "Bathtub set", "Cosplay night", "Lingerie try-on", "Hotel weekend", "Yoga flow", "Rooftop shoot",
    "Rainy day in bed", "Poolside", "Birthday special", "Neon lights", "Holiday bundle",
)  # fmt: skip

PPV_CAPTIONS = (
    "You've never seen this one before 🔥 unlock it {pet}",
    "Made this just for my favourites 😏",
    "12 photos + 1 video, only for a few hours 💕",
    "I was so nervous filming this… tell me what you think",
    "My most requested set, finally here 🥵",
    "A little gift for my VIPs, unlock to see 😘",
)

PPV_PRICES_CENTS = (500, 800, 1000, 1200, 1500, 2000, 2500, 3500, 5000)

SCRIPTS = (
    ("welcome", "Welcome", "Welcome {pet}! 💕 So happy you're here. What do you like to see?"),
    ("thanks-tip", "Thanks for the tip", "I saw your tip, you spoil me! 😘 thank you {pet}"),
    ("custom", "Custom price", "custom videos start at $50 {pet}, tell me what you'd like"),
    ("goodnight", "Good night", "sweet dreams {pet} 💤 talk tomorrow"),
)

# Knowledge base: pairs (a fan's message, a reply the team liked).
REPLY_EXAMPLES = (
    ("how much for something custom?", "custom videos start at $50 {pet}, what would you like? 😏"),
    ("do you ever do video calls?", "I don't do calls but I can send you a voice note 🎤"),
    ("I renewed my sub just for you", "that means so much {pet} 💖 I've got something for you"),
    ("any new content coming this week?", "a new set drops on Friday, you'll get it first 😘"),
    ("you never answered my last message 😢", "sorry {pet}! crazy day, I'm all yours now 💕"),
    ("what's your favourite movie?", "anything with a good twist! yours? 🍿"),
    ("is the bundle still on sale?", "until Sunday {pet}, 30% off 😉 want me to send it?"),
    ("can you send the set from yesterday?", "sending it now, tell me your favourite pic 😏"),
    ("I tipped you earlier, did you see it?", "I did!! you spoil me {pet} 🥰 thank you"),
    ("are you going live soon?", "Sunday 8pm! I'll save you a front row seat 😘"),
    ("where was that beach pic taken?", "a tiny beach in Portugal 🌊 have you been?"),
    ("good morning beautiful ☀️", "good morning {pet} ☀️ coffee first, then gym"),
)

CAMPAIGNS = (
    # name, channel, goal, status, audience ("expired", "spenders", "new", ""), message
    (
        "Win-back: expired subscribers",
        "onlyfans_dm",
        "reactivation",
        "completed",
        "expired",
        "I miss you {pet} 💔 come back this week and get 50% off your first month",
    ),
    (
        "Weekend PPV drop",
        "onlyfans_dm",
        "revenue",
        "completed",
        "spenders",
        "New set this weekend, VIPs first 😏",
    ),
    (
        "Summer teaser reels",
        "instagram",
        "new_subscribers",
        "active",
        "",
        "Summer is here ☀️ link in bio for the full set",
    ),
    (
        "Welcome series",
        "onlyfans_dm",
        "engagement",
        "active",
        "new",
        "Welcome {pet}! Here is what you can expect on my page 💕",
    ),
    (
        "Holiday bundle",
        "onlyfans_dm",
        "revenue",
        "scheduled",
        "spenders",
        "My holiday bundle is coming: 40 photos and 3 videos 🎁",
    ),
    ("Reddit launch", "reddit", "new_subscribers", "draft", "", "First time posting here 👋"),
)

CONTENT_IDEAS = (
    # title, type, platform, text
    ("Morning routine reel", "reel", "instagram", "My 5am routine, part 1 ☀️ #fitness"),
    ("Gym outfit check", "video", "tiktok", "Which one? 1, 2 or 3? #ootd"),
    ("Ask me anything", "post", "reddit", "AMA: ask me anything about the creator life"),
    ("Weekend teaser", "post", "x", "Something special drops this weekend 😏 link in bio"),
    ("Behind the scenes", "story", "instagram", "BTS from yesterday's shoot 📸"),
    ("Travel vlog", "video", "tiktok", "48 hours in Lisbon 🇵🇹"),
)
