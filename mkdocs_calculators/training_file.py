"""HTML of the training-file check (``[[training-file-check]]``): the file picker, the three
inputs and the report, pre-rendered at build time on the example file that ships with the site
(data/calculators/training-file.yaml, ``example``), so a reader without JavaScript sees a report.

The report's structure is :func:`calculators.training_file.view`'s; ``training-file.js`` draws
the same structure from the same view when the reader checks a file. All text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from calculators import training_file as tf
from calculators._inputs import input_specs

PLACEHOLDER = "<!-- tob-training-file -->"


def report_html(shown: Mapping[str, Any]) -> str:
    """The report (verdict, facts, tables) as HTML; training-file.js builds the same."""
    facts = "".join(
        f'<div class="tob-result" data-fact="{escape(f["key"])}"><dt>{escape(f["label"])}</dt>'
        f"<dd>{escape(f['value'])}</dd></div>"
        for f in shown["facts"]
    )
    tables = []
    for t in shown["tables"]:
        if t["rows"]:
            head = "".join(f'<th scope="col">{escape(c)}</th>' for c in t["columns"])
            body = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                for row in t["rows"]
            )
            more = f'<p class="tob-help">{escape(t["more"])}</p>' if t["more"] else ""
            inner = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
        else:
            inner = f"<p>{escape(t['empty'])}</p>"
        tables.append(
            f'<div class="tob-filecheck__table" data-table="{escape(t["key"])}">'
            f'<p class="tob-filecheck__title"><strong>{escape(t["title"])}</strong></p>{inner}</div>'
        )
    return (
        f'<p class="tob-filecheck__verdict" data-verdict>{escape(shown["verdict"])}</p>'
        f'<dl class="tob-results__list">{facts}</dl>{"".join(tables)}'
    )


def _fields(data: Mapping[str, Any]) -> str:
    defaults = data["calculators"][tf.SLUG]["defaults"]["values"]
    out = []
    for spec in input_specs(tf.Inputs):
        fid = f"tf-{spec.name}"
        value = str(defaults[spec.name])
        common = (
            f'id="{fid}" name="{escape(spec.name)}" aria-describedby="{fid}-help {fid}-error" '
            f'data-default="{escape(value)}"'
        )
        if spec.name == "host":
            options = "".join(
                f'<option value="{escape(name)}"{" selected" if name == value else ""}>'
                f"{escape(label)}</option>"
                for name, label in tf.hosts(data).items()
            )
            control = f"<select {common}>{options}</select>"
        else:
            control = (
                f'<input type="text" inputmode="numeric" autocomplete="off" {common} '
                f'value="{escape(value)}">'
            )
        unit = f' <span class="tob-unit">({escape(spec.unit)})</span>' if spec.unit else ""
        out.append(
            f'<div class="tob-field"><label for="{fid}">{escape(spec.label)}{unit}</label>'
            f'{control}<p class="tob-help" id="{fid}-help">{escape(spec.help)}</p>'
            f'<p class="tob-error" id="{fid}-error" role="alert"></p></div>'
        )
    return "".join(out)


def render_checker(data: Mapping[str, Any], docs_dir: Path, site_root: str) -> str:
    """The whole widget, with the example file's report."""
    example = data["calculators"][tf.SLUG]["example"]
    blob = (docs_dir / example).read_bytes()
    report = tf.report(tf.check_bytes(blob), tf.parse({}, data), data)
    name = Path(example).name
    href = escape(site_root + example)
    return f"""<div class="tob-filecheck" data-filecheck data-example="{href}">
<form class="tob-form tob-filecheck__form" novalidate aria-label="Training file check: file and inputs">
<div class="tob-field tob-filecheck__drop" data-drop>
<label for="tf-file">Training file (JSONL)</label>
<input type="file" id="tf-file" name="file" accept=".jsonl,.json,.txt" aria-describedby="tf-file-help">
<p class="tob-help" id="tf-file-help">Choose or drop a file. It is read in this page, in pieces, and never uploaded.</p>
</div>
<div class="tob-field">
<label for="tf-paste">Or paste a few lines of JSONL</label>
<textarea id="tf-paste" name="paste" rows="4" spellcheck="false"></textarea>
<button type="button" class="md-button" data-check-paste>Check the pasted lines</button>
</div>
{_fields(data)}
<p class="tob-error" role="alert" data-file-error></p>
</form>
<section class="tob-results tob-filecheck__report" aria-label="Training file check: report">
<p class="tob-results__title"><strong>Report</strong> on <span data-report-name>the example file <a href="{href}">{escape(name)}</a></span></p>
<p class="tob-status" role="status" data-state="static">Computed when this page was built, on the example file. Choose your own file to check it in this page.</p>
<p class="tob-filecheck__progress" hidden><label for="tf-progress">Reading the file</label> <progress id="tf-progress" max="100" value="0"></progress> <span data-progress-text></span></p>
<div data-report aria-live="polite">{report_html(tf.view(report))}</div>
</section>
</div>"""
