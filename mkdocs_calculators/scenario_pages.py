"""A page of its own for every named scenario, generated at build time.

Each named scenario of ``data/calculators/<slug>.yaml`` gets a page at

    /calculators/<slug>/scenarios/<name>/

(a public contract: the path is what "Link to this scenario" copies for an unedited named
scenario, and it is sent in emails and chats). The page is the calculator, opened on the
scenario by the same ``[[calculator <slug> scenario=<name>]]`` marker and renderer as every
other calculator, so its HTML already holds the scenario's inputs and results; its title and
link-preview description carry the scenario's answer, because link-preview crawlers run no
JavaScript. It is left out of the site search (the calculator's own page is there; thirty-odd
near-copies would bury it) and kept in the sitemap, each page being its own canonical address.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from calculators import REGISTRY, get
from calculators._api import run
from calculators._lifecycle import label, models_of

from .freshness import today

PATH = "calculators/{slug}/scenarios/{name}/"
"""Where a named scenario's page is served, relative to the site root."""

DESCRIPTION_MAX = 200
"""Longest link-preview description, in characters (previews and search results cut longer
ones short; the site's tests hold every page's description to it)."""

_SENTENCE = re.compile(r"(.+?[.!?])(?=\s|$)", re.S)


def answer_of(outcome: Mapping[str, Any]) -> str:
    """The one-sentence answer of a calculator's good outcome (``calculators._api.run``).

    The calculator's own ``answer`` when it writes one; otherwise the first sentence of its
    summary.

    Examples
    --------
    >>> answer_of({"answer": "Pays back in 3.1 months.", "summary": "Longer. Text."})
    'Pays back in 3.1 months.'
    >>> answer_of({"summary": "A $15,000 project pays back in 3.1 months. Assumes $2.50."})
    'A $15,000 project pays back in 3.1 months.'
    """
    if outcome.get("answer"):
        return str(outcome["answer"])
    summary = str(outcome.get("summary", "")).strip()
    m = _SENTENCE.match(summary)
    return m.group(1) if m else summary


@dataclass(frozen=True)
class ScenarioPage:
    slug: str
    name: str
    title: str  # the scenario's title, as a reader sees it (retired models marked)
    answer: str
    query: str  # its short link's query (what the resolver gives for its values)

    @property
    def path(self) -> str:
        """The page's site path, e.g. ``calculators/break-even/scenarios/support-chatbot-50k/``."""
        return PATH.format(slug=self.slug, name=self.name)

    @property
    def src_uri(self) -> str:
        """The Markdown file it pretends to be (``use_directory_urls`` makes :attr:`path`)."""
        return self.path.rstrip("/") + ".md"

    def description(self) -> str:
        """The link preview's text: the scenario's name and answer, or the answer alone when
        both would run past :data:`DESCRIPTION_MAX` characters (cut at a word if need be)."""
        for text in (f"{self.title}: {self.answer}", self.answer):
            if len(text) <= DESCRIPTION_MAX:
                return text
        cut = self.answer[: DESCRIPTION_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:")
        return cut + "…"

    def markdown(self) -> str:
        """The page's source: front matter for the title and preview, then the calculator."""
        calc = get(self.slug)
        meta = {
            "title": self.title,
            # The browser title and the link preview's (overrides/main.html).
            "preview_title": f"{self.answer} · {calc.title}",
            "description": self.description(),
            "search": {"exclude": True},
        }
        # JSON is YAML, and escapes whatever a title holds.
        front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
        return (
            f"---\n{front}\n---\n\n"
            f"# {self.title} {{#scenario}}\n\n"
            f"A worked example of the [{calc.title} calculator](../../{self.slug}.md), which "
            "explains the method and its sources. Change any value to try your own.\n\n"
            f"[[calculator {self.slug} scenario={self.name}]]\n"
        )


def scenario_pages(data: Mapping[str, Any]) -> Iterator[ScenarioPage]:
    """Every named scenario's page, calculator by calculator, in data/ order.

    Raises
    ------
    ValueError
        For a scenario the calculator cannot compute (the build reports it and fails).
    """
    on = today()
    for slug in REGISTRY:
        for name, entry in data["calculators"][slug].get("scenarios", {}).items():
            outcome = run(slug, {"scenario": name}, data, source="marker")
            if not outcome["ok"]:
                raise ValueError(f"scenario {slug} {name}: {outcome['message']}")
            yield ScenarioPage(
                slug=slug,
                name=name,
                title=label(data, entry["title"], models_of(entry), on),
                answer=answer_of(outcome),
                query=outcome["query"],
            )


def named_links(
    pages: Iterable[ScenarioPage], slug: str, plain: str, here: ScenarioPage | None = None
) -> dict[str, str]:
    """``{short link query: page path}`` for one calculator's named scenarios: what the page's
    script copies instead of a query link when the form holds exactly a named scenario.

    A scenario that is just the defaults (its query is ``plain``, the defaults' own) is left
    out, except on its own page: on the calculator's page, untouched values keep the
    calculator's own link.
    """
    out: dict[str, str] = {}
    for page in pages:
        if page.slug == slug and (page.query != plain or page == here):
            out.setdefault(page.query, page.path)  # two scenarios alike: the first one's page
    return out
