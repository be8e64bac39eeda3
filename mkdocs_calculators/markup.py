"""The Markdown an author writes, and what it turns into.

    [[calculator break-even]]                       a calculator, on a line of its own
    [[calculator break-even calls-per-day=5000]]    ... opened on a scenario
    [[fig prices.openai.gpt-4o.input]]              a figure from data/, with a source footnote
    [[scenario break-even support-chatbot-50k]]     a link to a named scenario (title as text)
    [[scenario break-even support-chatbot-50k | try it]]   ... with your own link text
    [[scenarios]]                                   every named scenario, by calculator
    [[preset-sources lora-memory]]                  every preset of a calculator, with its
                                                    source and date (for a Sources section)
    [[result break-even support-chatbot-5k payback_months]]   one result of a named scenario,
                                                    computed at build time and linked to it
    [[training-file-check]]                         the training-file check, on a line of its
                                                    own (its example report pre-rendered)

Python-Markdown has no hook for a one-line block that needs our build-time Python, and
pymdownx.blocks would need three lines per embed, so the plugin reads these markers itself,
skipping fenced code.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Protocol

CALC_LINE = re.compile(
    r"^\s*\[\[calculator\s+(?P<slug>[^\s\]]+)(?P<args>(?:\s+[^\s\]]+)*)\s*\]\]\s*$"
)
FIG = re.compile(r"\[\[fig\s+(?P<key>[A-Za-z0-9_.\-]+)\s*\]\]")
SCENARIO = re.compile(
    r"\[\[scenario\s+(?P<slug>[a-z0-9\-]+)\s+(?P<name>[A-Za-z0-9_\-]+)\s*(?:\|\s*(?P<text>[^\]]+?))?\s*\]\]"
)
RESULT = re.compile(
    r"\[\[result\s+(?P<slug>[a-z0-9\-]+)\s+(?P<name>[A-Za-z0-9_\-]+)\s+(?P<key>[a-z0-9_]+)\s*\]\]"
)
SCENARIO_LIST = re.compile(r"^\s*\[\[scenarios\]\]\s*$")
PRESET_SOURCES = re.compile(r"^\s*\[\[preset-sources\s+(?P<slug>[a-z0-9-]+)\s*\]\]\s*$")
TRAINING_FILE = re.compile(r"^\s*\[\[training-file-check\]\]\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclasses.dataclass
class Embed:
    slug: str
    values: dict[str, str]
    line: int


class MarkupError(ValueError):
    """A marker that cannot be understood (reported with the page's path)."""


def parse_args(args: str) -> dict[str, str]:
    values = {}
    for token in args.split():
        name, sep, value = token.partition("=")
        if not sep or not name:
            raise MarkupError(f"expected name=value, got {token!r}")
        values[name] = value
    return values


def split_code(markdown: str):
    """Yield (is_code, line_number, line) for each line, tracking fenced code blocks."""
    fence = None
    for n, line in enumerate(markdown.split("\n"), start=1):
        m = FENCE.match(line)
        if m:
            if fence is None:
                fence = m.group(1)
                yield True, n, line
                continue
            if m.group(1) == fence:
                fence = None
                yield True, n, line
                continue
        yield fence is not None, n, line


class Handlers(Protocol):
    """What the plugin does with each marker; each returns the Markdown that replaces it."""

    def scenario_list(self) -> str: ...
    def preset_sources(self, slug: str, line: int) -> str: ...
    def calculator(self, slug: str, args: str, line: int) -> str: ...
    def figure(self, key: str, line: int) -> str: ...
    def scenario(self, slug: str, name: str, text: str | None) -> str: ...
    def result(self, slug: str, name: str, key: str) -> str: ...
    def training_file_check(self, line: int) -> str: ...


def expand(markdown: str, on: Handlers) -> str:
    """``markdown`` with every marker outside fenced code replaced through ``on``."""
    out = []
    for is_code, n, line in split_code(markdown):
        if is_code:
            out.append(line)
        elif SCENARIO_LIST.match(line):
            out.append(on.scenario_list())
        elif m := PRESET_SOURCES.match(line):
            out.append(on.preset_sources(m["slug"], n))
        elif TRAINING_FILE.match(line):
            out.append(on.training_file_check(n))
        elif m := CALC_LINE.match(line):
            out.append(on.calculator(m["slug"], m["args"], n))
        else:
            subs: tuple[tuple[re.Pattern, Callable[[re.Match], str]], ...] = (
                (FIG, lambda m: on.figure(m["key"], n)),  # noqa: B023 (used at once)
                (SCENARIO, lambda m: on.scenario(m["slug"], m["name"], m["text"])),
                (RESULT, lambda m: on.result(m["slug"], m["name"], m["key"])),
            )
            for pattern, replace in subs:
                line = pattern.sub(replace, line)
            out.append(line)
    return "\n".join(out)
