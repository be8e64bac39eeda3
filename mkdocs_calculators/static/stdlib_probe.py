"""Run inside Pyodide by stdlib_probe.mjs (build time and the unit test), never in the site.

``cases(data_json)`` lists the runs the browser worker makes: every calculator at its defaults,
from a link, with a bad value, and every named scenario. ``loaded()`` names the standard-library
files the interpreter has imported so far, as paths inside Pyodide's stdlib zip. Only modules the
calculators already import are used here (json, os, sys), so the probe adds nothing to the list.
"""

import json
import os
import sys

# A small training file of each kind the check meets: chat and prompt examples, a broken line,
# a repeat, an empty turn, text that is not UTF-8, and bytes that are not JSONL at all.
SAMPLES = [
    b'{"messages": [{"role": "system", "content": "You answer billing questions."}, '
    b'{"role": "user", "content": "Why was I charged twice?"}, '
    b'{"role": "assistant", "content": "One charge is a hold that drops off in 3 days."}]}\n'
    b'{"messages": [{"role": "user", "content": "Cancel my plan"}, '
    b'{"role": "assistant", "content": "Done."}]\n'
    b'{"messages": [{"role": "user", "content": "   "}, '
    b'{"role": "assistant", "content": "Could you say more?"}]}\n'
    b'{"messages": [{"role": "assistant", "content": "Hi"}, {"role": "user", "content": "x"}]}\n'
    b'{"prompt": "Two plus two?", "completion": " Four."}\n'
    b'{"prompt": "Two plus two?", "completion": " Four."}\n'
    b'{"text": "caf\xe9 \xff"}\n\n',
    bytes(range(256)) * 8,
]


def cases(data_json: str) -> str:
    """JSON list of ``[slug, raw_json, source, base_json]`` for the worker's ``run_json``."""
    from calculators import REGISTRY, get
    from calculators._resolve import default_raw

    data = json.loads(data_json)
    out = []
    for slug in REGISTRY:
        calc = get(slug)
        defaults = default_raw(calc, data)
        out.append([slug, "{}", "reader", ""])
        out.append([slug, json.dumps(defaults), "url", json.dumps(defaults)])
        for key in list(defaults)[:3]:
            out.append([slug, json.dumps({key: "not a value"}), "reader", ""])
        for name in data["calculators"].get(slug, {}).get("scenarios", {}):
            out.append([slug, json.dumps({"scenario": name}), "reader", ""])
    return json.dumps(out)


def training_options(data_json: str) -> str:
    """JSON list of the training-file check's option sets: the defaults, then every host."""
    from calculators.training_file import hosts

    return json.dumps([{}, *({"host": name} for name in hosts(json.loads(data_json)))])


def loaded() -> str:
    """JSON list of the imported modules' files that live in the stdlib zip."""
    root = os.path.dirname(os.__file__) + "/"
    files = {getattr(m, "__file__", None) for m in list(sys.modules.values())}
    return json.dumps(sorted(f[len(root) :] for f in files if f and f.startswith(root)))
