"""The plain-text templates (``lib/kit/templates/*.txt.j2``): the letters to the lenders and the
complaints, in Chinese and English, all through one Jinja2 environment."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def text_templates() -> jinja2.Environment:
    """The Jinja2 environment of the plain-text templates in ``lib/kit/templates/`` (letters and
    complaints): no escaping (plain text), an undefined name is an error, tidy blocks."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=False)
