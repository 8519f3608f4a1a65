"""Jinja2 templates for the chat's HTML, and the two rules every chat message follows.

Templates autoescape: every value from a document, the catalog, the index or
a user is escaped by markupsafe on the way in, and only fragments this
package built (`Markup`) pass through as markup. Small inline fragments (a
highlighted span, a citation marker) are built with `Markup.format`, which
escapes its arguments the same way.

1. One line. The Chatbot treats a message as Markdown, and only a one-line
   HTML block is passed through as HTML without any Markdown processing, so
   characters such as `*`, `_` or `#` in a document stay literal. Templates
   are written one element per line for reading; the loader strips each
   line's indentation and joins the lines with nothing between them (a
   space that matters is written inside a line), and `one_line` turns any
   newline left in a value into a space.
2. No template syntax. Besides & < > " ', the characters of JS/Handlebars
   templates ($ { } `) become entities, so text can never be read as a
   template by a front-end component; browsers display the entities as the
   characters. The templates hold none of them, so this is done once, on the
   finished message.
"""
from __future__ import annotations

from collections.abc import Callable

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

_TEMPLATE_CHARS = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"})


class _JoinedLinesLoader(PackageLoader):
    """Each line stripped of its indentation and the lines joined with nothing between them (rule 1)."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.strip() for line in source.splitlines()), filename, uptodate


def text_html(text: object) -> Markup:
    """Escaped text with its line breaks kept as <br> (the `lines` filter in templates)."""
    return Markup(str(escape("" if text is None else text)).replace("\n", "<br>"))


def _none_as_empty(value: object) -> object:
    """A missing value (a manifest without a build id) shows as nothing, never as "None"."""
    return "" if value is None else value


ENV = Environment(loader=_JoinedLinesLoader("assistant.chat", "templates"), autoescape=True, finalize=_none_as_empty)
ENV.filters["lines"] = text_html


def render_template(name: str, **context: object) -> Markup:
    """A template of assistant/chat/templates rendered: markup a parent template places unescaped."""
    return Markup(ENV.get_template(name).render(**context))


def no_template_syntax(markup: str) -> str:
    """Rule 2 for markup shown outside a rendered message (e.g. the rating note built in handlers.py)."""
    return str(markup).translate(_TEMPLATE_CHARS)


def one_line(markup: str) -> str:
    """A finished chat message: rules 1 and 2 applied."""
    return no_template_syntax(str(markup).replace("\r", " ").replace("\n", " "))


def escape_text(value: object) -> str:
    """Text for HTML element content or an attribute value in markup built outside a template."""
    return no_template_syntax(escape("" if value is None else value))
