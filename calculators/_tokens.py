"""A token count estimated from the text's shape, without a tokenizer's vocabulary.

A real tokenizer needs its vocabulary: OpenAI's ``o200k_base`` is about 1 MB gzip-compressed
as JavaScript and 1.7 MB as a compressed rank file, and a pure-Python encoder runs at well under
1 MB/s, too slow for a 100 MB training file in the browser. Hosts that train open-weight models
(Llama, Qwen, Mistral) count with those models' own tokenizers anyway. So the file checker
estimates: it counts the pieces a byte-pair tokenizer splits text into first (words, digit
groups, punctuation runs, line breaks, indentation, non-ASCII characters) and weighs each kind
by how many tokens it becomes on average.

The weights were fitted by least squares against ``o200k_base`` on half of the paragraphs of
this project's own pages and source code; ``tests/unit/test_tokens.py`` measures the error on
all of them against the real tokenizer and keeps it within the figures the page states
(``data/calculators/training-file.yaml``, ``token-estimate``).

Standard library only. Each feature is a ``bytes.translate`` and a ``bytes.count``, which run
in C, so the estimate keeps up with reading a large file.
"""

from __future__ import annotations

__all__ = ["WEIGHTS", "estimate_tokens", "features"]


def _mask(keep) -> bytes:
    """A translation table: bytes for which ``keep`` is true become ``x``, the rest ``-``."""
    return bytes(ord("x") if keep(b) else ord("-") for b in range(256))


_LETTER = _mask(lambda b: 65 <= b <= 90 or 97 <= b <= 122)
_DIGIT = _mask(lambda b: 48 <= b <= 57)
_PUNCT = _mask(lambda b: b < 128 and not chr(b).isalnum() and not chr(b).isspace())
_NEWLINE = _mask(lambda b: b in (10, 13))
_SPACE = _mask(lambda b: b in (9, 32))
_LEAD = _mask(lambda b: b >= 0xC0)  # the first byte of each non-ASCII character in UTF-8


def _runs(mask: bytes) -> int:
    """How many runs of ``x`` the mask has."""
    return mask.count(b"-x") + (mask[:1] == b"x")


def features(text: str) -> tuple[int, ...]:
    """The counts the estimate weighs, in the order of :data:`WEIGHTS`."""
    raw = text.encode("utf-8", "surrogatepass")
    letters, digits, punct = raw.translate(_LETTER), raw.translate(_DIGIT), raw.translate(_PUNCT)
    return (
        _runs(letters),  # words (ASCII letters)
        letters.count(b"x" * 8),  # each 8 letters of a long word
        _runs(digits),  # numbers
        digits.count(b"xxxx"),  # long numbers (split into groups of three)
        _runs(punct),  # punctuation runs
        punct.count(b"xxx"),  # long punctuation runs
        _runs(raw.translate(_NEWLINE)),  # line breaks
        raw.translate(_SPACE).count(b"-xx"),  # indentation and other runs of spaces
        raw.translate(_LEAD).count(b"x"),  # non-ASCII characters
    )


# Tokens per feature, fitted as the module docstring says (``python -m tests.tokenizer_reference
# --fit`` prints a fresh fit).
WEIGHTS = (1.032, 0.734, 1.723, 1.922, 0.664, 0.547, 0.747, 0.329, 2.199)


def estimate_tokens(text: str) -> int:
    """Estimated tokens in ``text`` under a byte-pair tokenizer such as OpenAI's ``o200k_base``.

    Parameters
    ----------
    text : str
        Any text: one message of a training example.

    Returns
    -------
    int
        The estimate, rounded; 0 for empty text and at least 1 otherwise.

    Notes
    -----
    :math:`\\hat{n} = \\sum_k w_k f_k` over the counts :math:`f_k` of :func:`features` and the
    weights :data:`WEIGHTS`. The measured error is in ``data/calculators/training-file.yaml``.

    Examples
    --------
    A short English sentence is about one token a word (``o200k_base`` gives 11 here):

    >>> estimate_tokens("How do I reset my password on the mobile app?")
    12
    >>> estimate_tokens("")
    0
    """
    if not text:
        return 0
    return max(1, round(sum(w * f for w, f in zip(WEIGHTS, features(text), strict=True))))
