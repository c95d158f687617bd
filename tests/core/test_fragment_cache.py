"""`{% include_cached %}`: a static fragment rendered once per language, on each use in debug."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.test import override_settings
from django.utils import translation

from huntaze.core.templatetags.fragment_cache import fragment_cache_clear

pytestmark = pytest.mark.usefixtures("language_reset")

FRAGMENT = "tests/_fragment.html"


@pytest.fixture(autouse=True)
def _forget_fragments():
    fragment_cache_clear()
    yield
    fragment_cache_clear()


def engine_with(sources: dict[str, str], *, debug: bool = False) -> Engine:
    """An engine reading `sources` (a dict read again on each load: edits show up)."""
    return Engine(
        loaders=[("django.template.loaders.locmem.Loader", sources)],
        libraries={
            "fragment_cache": "huntaze.core.templatetags.fragment_cache",
            "i18n": "django.templatetags.i18n",
        },
        debug=debug,
    )


def page(engine: Engine, language: str, **context: object) -> str:
    with translation.override(language):
        return engine.from_string(
            '{% load fragment_cache %}<form id="{{ id }}">'
            f'{{% include_cached "{FRAGMENT}" %}}</form>'
        ).render(Context(context))


def test_a_fragment_is_rendered_once_per_language():
    # Given a fragment with a translated text
    sources = {FRAGMENT: '{% load i18n %}<button>{% translate "Send" %}</button>'}
    engine = engine_with(sources)

    # When pages use it in English and French, then the fragment is edited
    first = {language: page(engine, language, id=1) for language in ("en", "fr")}
    sources[FRAGMENT] = "<button>edited</button>"
    again = {language: page(engine, language, id=2) for language in ("en", "fr")}

    # Then each language has its own translation, rendered once and reused afterwards
    assert first == {
        "en": '<form id="1"><button>Send</button></form>',
        "fr": '<form id="1"><button>Envoyer</button></form>',
    }
    assert again == {
        "en": '<form id="2"><button>Send</button></form>',
        "fr": '<form id="2"><button>Envoyer</button></form>',
    }


@pytest.mark.parametrize(("is_engine_debug", "is_settings_debug"), [(True, False), (False, True)])
def test_in_debug_a_fragment_is_rendered_on_each_use(is_engine_debug, is_settings_debug):
    # Given a development setup (engine debug / auto-reload, or DEBUG) and a used fragment
    sources = {FRAGMENT: "<p>before</p>"}
    engine = engine_with(sources, debug=is_engine_debug)
    with override_settings(DEBUG=is_settings_debug):
        before = page(engine, "en", id=1)

        # When the fragment is edited
        sources[FRAGMENT] = "<p>after</p>"
        after = page(engine, "en", id=1)

    # Then the edit shows up
    assert before == '<form id="1"><p>before</p></form>'
    assert after == '<form id="1"><p>after</p></form>'


def test_a_fragment_sees_no_context():
    # Given a fragment that (wrongly) reads a variable of the page
    engine = engine_with({FRAGMENT: "<p>[{{ id }}]</p>"})

    # When a page with that variable uses it
    html = page(engine, "en", id=7)

    # Then the fragment rendered without the page's context
    assert html == '<form id="7"><p>[]</p></form>'


@pytest.mark.parametrize(
    "tag",
    ["{% include_cached name %}", "{% include_cached %}", '{% include_cached "a.html" b %}'],
)
def test_the_template_name_must_be_one_quoted_string(tag):
    engine = engine_with({})

    with pytest.raises(TemplateSyntaxError, match="one quoted template name"):
        engine.from_string("{% load fragment_cache %}" + tag)
