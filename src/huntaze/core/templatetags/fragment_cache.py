"""`{% include_cached "app/_fragment.html" %}`: a static fragment rendered once per language.

The fragment is rendered with an empty context the first time it is needed in each active
language, and the resulting HTML is reused by every later request of the process (a dict keyed
by (template name, language), kept until the process restarts: templates and translations only
change with a deploy). It saves the cost of rendering many `{% translate %}` nodes per request.

A fragment given to it must not depend on the request or the context: no `{% csrf_token %}`,
no ids, no user, creator or permission data, no dates, nothing read from a variable. It sees
only the active language (`{% translate %}`, `{% get_current_language %}`). It is always
rendered with autoescaping on. Keep the dynamic parts (and any `{% if %}` guard) in the
including template, around the tag.

When `settings.DEBUG` or the template engine's `debug` is on, the fragment is rendered on each
use, so that edits show up in development.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.engine import Engine
from django.utils import translation
from django.utils.safestring import SafeString

register = template.Library()

# (template name, language) -> rendered HTML. Shared by the threads of the process: two threads
# may both render a missing fragment once; they store the same HTML.
_rendered: dict[tuple[str, str | None], SafeString] = {}


def fragment_cache_clear() -> None:
    """Forgets every rendered fragment (tests; a process otherwise keeps them)."""
    _rendered.clear()


class IncludeCachedNode(template.Node):
    def __init__(self, template_name: str) -> None:
        self.template_name = template_name

    def render(self, context: Context) -> SafeString:
        engine = context.template.engine if context.template else Engine.get_default()
        if settings.DEBUG or engine.debug:
            return self._render(engine)
        key = (self.template_name, translation.get_language())
        html = _rendered.get(key)
        if html is None:
            html = _rendered[key] = self._render(engine)
        return html

    def _render(self, engine: Engine) -> SafeString:
        return SafeString(engine.get_template(self.template_name).render(Context()))


@register.tag
def include_cached(parser: Parser, token: Token) -> IncludeCachedNode:
    """`{% include_cached "name.html" %}`: the name must be a quoted string, not a variable."""
    bits = token.split_contents()
    if len(bits) != 2 or len(bits[1]) < 3 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(
            f'{bits[0]} takes one quoted template name: {{% {bits[0]} "app/_fragment.html" %}}'
        )
    return IncludeCachedNode(bits[1][1:-1])
