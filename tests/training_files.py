"""Large training files for the browser test and the benchmark, written to disk (a test gives
the browser a file by path, as a reader's file picker would).

The examples are chat conversations made from this site's own paragraphs (docs/), so the text
has the shape of real prose; every 1,000th line is broken and every 500th repeats an earlier
one, so the report has errors and duplicates to find.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000


def _paragraphs() -> list[str]:
    texts = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        texts += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p) > 80]
    return texts


def write_training_file(path: Path, size: int = 100 * MB) -> dict[str, int]:
    """Write about ``size`` bytes of JSONL to ``path``; returns what the file holds."""
    paras = _paragraphs()
    lines = broken = repeated = 0
    written = 0
    with path.open("wb") as out:
        i = 0
        while written < size:
            i += 1
            if i % 1000 == 0:
                line = b'{"messages": [{"role": "user", "content": "cut off"}\n'
                broken += 1
            elif i % 500 == 0:
                line = _example(paras, i - 250)
                repeated += 1
            else:
                line = _example(paras, i)
            out.write(line)
            written += len(line)
            lines += 1
    return {"lines": lines, "broken": broken, "repeated": repeated, "bytes": written}


def _example(paras: list[str], i: int) -> bytes:
    n = len(paras)
    messages = [
        {"role": "system", "content": "You explain when to fine-tune a language model."},
        {"role": "user", "content": f"Question {i}: {paras[i % n][:200]}"},
        {"role": "assistant", "content": paras[(i * 7) % n] + "\n\n" + paras[(i * 13) % n]},
    ]
    return json.dumps({"messages": messages}).encode() + b"\n"
