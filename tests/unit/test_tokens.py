"""The token estimate against a real tokenizer (OpenAI's o200k_base, through tiktoken and a
hash-checked offline vocabulary: tests/tokenizer_reference.py) on this site's own pages and
calculator source. The page states the error bounds from data/; these tests keep them true."""

from __future__ import annotations

import math

import pytest

from calculators._tokens import estimate_tokens
from calculators.training_file import (
    TOKENS_PER_MESSAGE,
    TOKENS_PER_REPLY,
    TOKENS_PER_ROLE,
    chat_tokens,
)
from tests import tokenizer_reference as ref

KINDS = {"prose": "prose", "code": "code"}
MIN_TOKENS = 20  # per-paragraph error is measured on paragraphs at least this long


@pytest.fixture(scope="module")
def measured():
    out = {}
    for kind, texts in ref.corpus().items():
        real = [ref.count(t) for t in texts]
        est = [estimate_tokens(t) for t in texts]
        errors = sorted(abs(e - r) / r for e, r in zip(est, real, strict=True) if r >= MIN_TOKENS)
        out[kind] = {
            "tokens": sum(real),
            "total": abs(sum(est) / sum(real) - 1),
            "p95": errors[math.ceil(0.95 * len(errors)) - 1],
            "paragraphs": len(errors),
        }
    return out


def stated(data, key: str) -> float:
    return data["calculators"]["training-file"]["token-estimate"][key]["value"] / 100


@pytest.mark.parametrize("kind", KINDS)
def test_total_error_is_within_what_the_page_states(measured, data, kind):
    m = measured[kind]
    assert m["tokens"] > 50_000 and m["paragraphs"] > 400  # a corpus worth the name
    assert m["total"] <= stated(data, f"{kind}-total"), m


@pytest.mark.parametrize("kind", KINDS)
def test_per_paragraph_error_is_within_what_the_page_states(measured, data, kind):
    assert measured[kind]["p95"] <= stated(data, f"{kind}-p95"), measured[kind]


def test_the_reference_is_the_real_tokenizer():
    # Known o200k_base counts (OpenAI's tokenizer page and tiktoken's own tests agree that
    # "hello world" is 2 tokens); and the vocabulary's hash was checked when it loaded.
    assert ref.count("hello world") == 2
    assert ref.o200k().n_vocab > 199_000


def test_a_chat_example_counts_as_openai_counts(data):
    messages = [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "What is the capital of France?"},
        {"role": "assistant", "content": "Paris."},
    ]
    real = TOKENS_PER_REPLY + sum(
        TOKENS_PER_MESSAGE + ref.count(m["role"]) + ref.count(m["content"]) for m in messages
    )
    assert all(ref.count(m["role"]) == TOKENS_PER_ROLE for m in messages)
    assert abs(chat_tokens(messages) - real) <= 0.2 * real


def test_empty_and_nonempty():
    assert estimate_tokens("") == 0
    assert estimate_tokens(".") == 1
