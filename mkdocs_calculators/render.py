"""HTML for an embedded calculator: the form from declared inputs, pre-rendered results.

All text goes through ``html.escape``; the browser glue later writes only ``textContent``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from calculators import Calculator
from calculators._format import display
from calculators._inputs import InputSpec
from calculators._lifecycle import label, models_of
from calculators._resolve import current_version, link_query
from calculators._resolve import presets as calc_presets

from .freshness import today


def _range_text(spec: InputSpec) -> str:
    if spec.kind not in ("number", "integer", "share") or spec.maximum is None:
        return ""
    lo = (
        display("count", spec.minimum)
        if spec.minimum and spec.minimum >= 1
        else f"{spec.minimum:g}"
    )
    hi = display("count", spec.maximum) if spec.maximum >= 1000 else f"{spec.maximum:g}"
    return f"From {lo} to {hi}."


def _field(spec: InputSpec, value: str, prefix: str) -> str:
    fid = f"{prefix}-{spec.name}"
    help_bits = " ".join(x for x in (spec.help, _range_text(spec)) if x)
    described = f"{fid}-help {fid}-error" if help_bits else f"{fid}-error"
    unit = f' <span class="tob-unit">({escape(spec.unit)})</span>' if spec.unit else ""
    common = (
        f'id="{fid}" name="{escape(spec.name)}" aria-describedby="{described}" '
        f'data-default="{escape(value)}"'
    )
    if spec.kind == "flag":
        checked = " checked" if value == "true" else ""
        control = f'<input type="checkbox" {common} value="true"{checked}>'
        label = f'<label for="{fid}">{control} {escape(spec.label)}</label>'
        body = label
    else:
        if spec.kind == "choice":
            options = "".join(
                f'<option value="{escape(ch)}"{" selected" if ch == value else ""}>{escape(ch)}</option>'
                for ch in spec.choices
            )
            control = f"<select {common}>{options}</select>"
        else:
            mode = "decimal" if spec.kind in ("number", "share", "integer") else "text"
            control = (
                f'<input type="text" inputmode="{mode}" autocomplete="off" spellcheck="false" '
                f'{common} value="{escape(value)}">'
            )
        body = f'<label for="{fid}">{escape(spec.label)}{unit}</label>{control}'
    help_html = f'<p class="tob-help" id="{fid}-help">{escape(help_bits)}</p>' if help_bits else ""
    return (
        f'<div class="tob-field tob-field--{spec.kind}">{body}{help_html}'
        f'<p class="tob-error" id="{fid}-error" role="alert"></p></div>'
    )


def _offered(calc: Calculator, data: Mapping[str, Any]) -> list[tuple[str, dict, str]]:
    """(name, preset, label as a reader sees it) for every preset still suggested."""
    on = today()
    return [
        (name, p, label(data, p.get("label", name), models_of(p), on))
        for name, p in calc_presets(calc, data).items()
        if p.get("offered") is not False  # kept so links naming it still resolve
    ]


def _source_html(p: Mapping[str, Any]) -> str:
    """A preset's source, linked where it has an address, and the date it was checked."""
    source = escape(str(p.get("source", "")))
    if p.get("url"):
        source = f'<a href="{escape(str(p["url"]))}">{source}</a>'
    return f"{source}, as of {escape(str(p.get('as_of', '')))}"


def preset_source_list(calc: Calculator, data: Mapping[str, Any]) -> str:
    """Every suggested preset with its source and date: the page's Sources section."""
    rows = [f"<li>{escape(text)}: {_source_html(p)}</li>" for _, p, text in _offered(calc, data)]
    return f'<ul class="tob-preset-sources">{"".join(rows)}</ul>\n' if rows else ""


def _presets(calc: Calculator, data: Mapping[str, Any], prefix: str) -> str:
    offered = _offered(calc, data)
    if not offered:
        return ""
    fills = escape(str(data["calculators"][calc.slug].get("preset_fills", "values")))
    options = ['<option value="">Keep the values below</option>']
    for name, p, text in offered:
        # No values here: choosing a preset asks Python, which sends the resolved inputs back.
        # Its source rides along, so the page can show the chosen one's beside the control.
        options.append(
            f'<option value="{escape(name)}" data-source="{escape(str(p.get("source", "")))}" '
            f'data-url="{escape(str(p.get("url", "")))}" data-as-of="{escape(str(p.get("as_of", "")))}">'
            f"{escape(text)}</option>"
        )
    return (
        f'<div class="tob-field tob-field--preset"><label for="{prefix}-preset">Fill in {fills} from</label>'
        f'<select id="{prefix}-preset" name="preset" aria-describedby="{prefix}-preset-source">'
        f"{''.join(options)}</select>"
        f'<p class="tob-help tob-preset-source" id="{prefix}-preset-source" data-preset-source>'
        f"Choose one to fill in {fills}; where each comes from is under Sources.</p></div>"
    )


def _link_item(item: Mapping[str, str], site_root: str) -> str:
    """One reason: its text, linked to the guide section that argues it (a site path)."""
    text, href = escape(item["text"]), item.get("href", "")
    if not href:
        return f"<li>{text}</li>"
    return f'<li><a href="{escape(site_root + href)}">{text}</a></li>'


def _share_attributes(query: str, named: Mapping[str, str], link_page: str | None) -> str:
    """What the page's script needs to build "Link to this scenario" as values change: the
    built values' query, the named scenarios' pages by query, and where query links go."""
    out = f' data-query="{escape(query)}"'
    if named:
        out += f' data-named="{escape(json.dumps(dict(named), separators=(",", ":")))}"'
    if link_page is not None:
        out += f' data-link-page="{escape(link_page)}"'
    return out


def render_calculator(
    calc: Calculator,
    values: Mapping[str, str],
    outcome: Mapping[str, Any],
    data: Mapping[str, Any],
    *,
    index: int,
    page_url: str,
    url_state: bool,
    handout: bool = False,
    site_root: str = "",
    named: Mapping[str, str] | None = None,
    site_base: str = "",
    link_page: str | None = None,
) -> str:
    """The calculator's HTML with ``outcome`` (from ``calculators._api.run``) pre-rendered.

    ``named`` maps a named scenario's link query to its page's site path: when the values are
    exactly that scenario, "Link to this scenario" is that page (``site_base`` + path), else
    ``page_url`` with the query. ``link_page`` is the site path query links go to when it is
    not the page itself (on a named scenario's page: the calculator's page).
    """
    prefix = f"calc-{calc.slug}-{index}" if index else f"calc-{calc.slug}"
    main = "".join(_field(s, values.get(s.name, ""), prefix) for s in calc.specs if not s.advanced)
    more = "".join(_field(s, values.get(s.name, ""), prefix) for s in calc.specs if s.advanced)
    fields = main + (
        f'<details class="tob-more"><summary>More inputs</summary><div class="tob-more__fields">{more}</div></details>'
        if more
        else ""
    )
    version = current_version(data)
    ok = outcome.get("ok")
    rows = []
    for o in calc.outputs:
        shown = outcome["display"].get(o.key, "") if ok else ""
        hidden = "" if shown else " hidden"
        if o.fmt == "links":
            items = outcome["items"].get(o.key, []) if ok else []
            rows.append(
                f'<div class="tob-result tob-result--list"{hidden}><dt id="{prefix}-out-{o.key}">{escape(o.label)}</dt>'
                f'<dd><ol data-output="{escape(o.key)}" aria-labelledby="{prefix}-out-{o.key}">'
                f"{''.join(_link_item(i, site_root) for i in items)}</ol></dd></div>"
            )
            continue
        wide = " tob-result--wide" if o.fmt == "sentence" else ""
        rows.append(
            f'<div class="tob-result{wide}"{hidden}><dt id="{prefix}-out-{o.key}">{escape(o.label)}</dt>'
            f'<dd><output data-output="{escape(o.key)}" aria-labelledby="{prefix}-out-{o.key}">'
            f"{escape(shown)}</output></dd></div>"
        )
    error = "" if ok else f'<p class="tob-build-error">{escape(outcome.get("message", ""))}</p>'
    chart = outcome.get("chart", "") if ok else ""
    query = link_query(calc, values, data)
    summary = outcome.get("summary", "") if ok else ""
    state = ' data-url-state="true"' if url_state else ""
    state += ' data-handout="true"' if handout else ""
    state += _share_attributes(query, named or {}, link_page)
    href = site_base + named[query] if named and query in named else f"{page_url}?{query}"
    if calc.preset_input:
        state += f' data-preset-input="{escape(calc.preset_input)}"'
    answer = outcome.get("answer", "") if ok else ""
    figure = f'<figure class="tob-chart" data-chart{"" if chart else " hidden"}>{chart}</figure>'
    return f"""<div class="tob-calc" id="{prefix}" data-calculator="{escape(calc.slug)}"{state} data-version="{version}">
<p class="tob-answer" id="{prefix}-answer" data-answer{"" if answer else " hidden"}>{escape(answer)}</p>
<p class="tob-sr-only" aria-live="polite" aria-atomic="true" data-answer-live></p>
{figure if calc.chart_first else ""}
<div class="tob-calc__body">
<form class="tob-form" novalidate aria-label="{escape(calc.title)}: inputs">{_presets(calc, data, prefix)}{fields}</form>
<section class="tob-results" aria-label="{escape(calc.title)}: results">
<p class="tob-results__title" id="{prefix}-results"><strong>Results</strong></p>
<p class="tob-status" role="status" data-state="static">Computed when this page was built, for the values shown. Live recalculation starts when you use the calculator.</p>{error}
<dl class="tob-results__list">{"".join(rows)}</dl>
</section>
</div>
{"" if calc.chart_first else figure}
<div class="tob-share">
<div class="tob-share__buttons"><button type="button" class="md-button" data-copy="link" data-done="Link to this scenario copied." hidden>Copy link to this scenario</button> <button type="button" class="md-button" data-copy="summary" data-done="Summary copied." hidden>Copy summary</button> <span class="tob-copied" role="status"></span></div>
<p class="tob-summary" data-summary>{escape(summary)}</p>
<p class="tob-scenario-link"><a data-scenario-link href="{escape(href)}">Link to this scenario</a><span class="tob-scenario-url" data-scenario-url> {escape(href)}</span></p>
</div>
</div>"""
