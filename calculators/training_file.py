"""Training-file check: what a fine-tuning file holds, what is wrong with it, what it costs.

A fine-tuning file is JSON Lines: one example per line, either in the chat format
(``{"messages": [{"role": "user", "content": ...}, {"role": "assistant", ...}]}``, which
OpenAI, Together and Fireworks accept) or in the prompt/completion format
(``{"prompt": ..., "completion": ...}``, where a host accepts it). :class:`FileCheck` reads the
file in chunks of bytes, as they arrive (a 100 MB file never sits in memory as one string),
and keeps what the report needs; :func:`report` turns that into examples, token statistics,
format errors with line numbers, duplicates and the training price, which it asks of the
``training-cost`` calculator (one formula, one place).

Token counts are estimates (:mod:`calculators._tokens`), with the error measured against
OpenAI's ``o200k_base`` tokenizer stated on the page. Per example they follow OpenAI's
counting for chat examples: 3 tokens per message, plus its role and content, 1 more for a
``name``, and 3 to prime the reply (OpenAI Cookbook, "How to count tokens with tiktoken").

Nothing here reads a file: the CLI and the browser worker feed the bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import statistics
from array import array
from collections.abc import Mapping
from typing import Any

from . import training_cost
from ._format import count, price, tokens, usd
from ._inputs import InputError, integer, parse_inputs, text, validate
from ._tokens import estimate_tokens

__all__ = ["ERROR_KINDS", "LIST_LIMIT", "FileCheck", "Inputs", "check_bytes", "hosts", "report"]

SLUG = "training-file"

# Every kind of format error, with what the report says about it. The keys are public (JSON).
ERROR_KINDS = {
    "invalid-json": "Not a JSON object on one line",
    "unknown-format": "Neither chat messages nor a prompt and completion",
    "missing-role": "A message without a known role",
    "empty-content": "A message with no text",
    "wrong-role-order": "Messages out of order",
    "no-assistant-message": "No assistant message to learn from",
    "mixed-formats": "A different format from the file's first example",
}
ROLES = ("system", "user", "assistant", "tool")
LIST_LIMIT = 1000  # rows kept per list (errors, duplicates, long examples); totals count all
NOT_JSONL_AFTER = 5  # this many broken lines before any good one: the file is not JSONL

# OpenAI's per-message and per-reply overhead in the chat format (module docstring).
TOKENS_PER_MESSAGE = 3
TOKENS_PER_ROLE = 1
TOKENS_PER_NAME = 1
TOKENS_PER_REPLY = 3


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inputs:
    """What the reader chooses besides the file."""

    context_tokens: int = integer(
        "Context length",
        unit="tokens per example",
        minimum=1,
        maximum=10_000_000,
        step=1024,
        help="The longest example the model trains on; longer ones are cut or refused.",
    )
    host: str = text(
        "Host and training price",
        help="A training price of the training-cost calculator: who trains the model.",
    )
    # The same input as the training-cost calculator's (it prices the run): one declaration.
    epochs: int = dataclasses.field(
        metadata=training_cost.Inputs.__dataclass_fields__["epochs"].metadata
    )

    def __post_init__(self) -> None:
        validate(self)


def hosts(data: Mapping[str, Any]) -> dict[str, str]:
    """The hosts to choose from: the training-cost presets that set a training price,
    ``{name: label}``."""
    from . import get
    from ._resolve import presets  # late: _resolve imports the package registry

    return {
        name: p["label"]
        for name, p in presets(get("training-cost"), data).items()
        if "price-per-million" in p["values"]
    }


def parse(raw: Mapping[str, str], data: Mapping[str, Any]) -> Inputs:
    """Inputs from raw strings over the defaults in data/calculators/training-file.yaml;
    :class:`InputError` names the field."""
    defaults = data["calculators"][SLUG]["defaults"]["values"]
    given = {k: v for k, v in raw.items() if v not in (None, "")}
    unknown = set(given) - {"context-tokens", "host", "epochs"}
    if unknown:
        raise InputError(sorted(unknown)[0], "is not an input of the training-file check")
    inputs = parse_inputs(Inputs, {**{k: str(v) for k, v in defaults.items()}, **given})
    known = hosts(data)
    if inputs.host not in known:
        raise InputError("host", f"unknown name {inputs.host!r} (known: {', '.join(known)})")
    return inputs


class FileCheck:
    """The running check of one file, fed in chunks of bytes.

    >>> check = FileCheck()
    >>> check.feed(b'{"messages": [{"role": "user", "content": "Hi"}, {"role": "assi')
    >>> check.feed(b'stant", "content": "Hello! How can I help?"}]}\\n{"prompt": 1')
    >>> check.close()
    >>> check.examples, [e["kind"] for e in check.errors]
    (1, ['invalid-json'])
    """

    def __init__(self) -> None:
        self.bytes_read = 0
        self.lines = 0  # non-blank lines
        self.examples = 0  # lines that are good examples
        self.format: str | None = None  # the first example's format
        self.tokens = array("q")  # per good example
        self.messages = array("q")  # per good chat example
        self.example_lines = array("q")  # line number of each good example
        self.errors: list[dict[str, Any]] = []
        self.errors_total = 0
        self.error_counts: dict[str, int] = {}
        self.duplicates: list[dict[str, int]] = []
        self.duplicates_total = 0
        self._seen: dict[bytes, int] = {}
        self._line_no = 0
        self._rest = b""
        self._good_lines = 0  # lines that parsed as JSON at all

    # -- reading --------------------------------------------------------------------------
    def feed(self, chunk: bytes) -> None:
        """Take the next chunk of the file; lines may be split across chunks."""
        self.bytes_read += len(chunk)
        parts = (self._rest + bytes(chunk)).split(b"\n")
        self._rest = parts.pop()
        for line in parts:
            self._line(line)

    def close(self) -> None:
        """The file has ended: check its last line."""
        if self._rest:
            self._line(self._rest)
            self._rest = b""

    @property
    def not_jsonl(self) -> bool:
        """True when the file does not look like JSON Lines at all."""
        return self._good_lines == 0 and self.errors_total >= min(self.lines, NOT_JSONL_AFTER) > 0

    def _error(self, line: int, kind: str, message: str) -> None:
        self.errors_total += 1
        self.error_counts[kind] = self.error_counts.get(kind, 0) + 1
        if len(self.errors) < LIST_LIMIT:
            self.errors.append({"line": line, "kind": kind, "message": message})

    def _line(self, raw: bytes) -> None:
        self._line_no += 1
        line = raw.strip()
        if not line:
            return
        self.lines += 1
        n = self._line_no
        try:
            obj = json.loads(line)
        except ValueError as exc:  # JSONDecodeError, or bytes that are not UTF-8 text
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8 text"
            return self._error(n, "invalid-json", f"not valid JSON ({reason})")
        self._good_lines += 1
        if not isinstance(obj, dict):
            return self._error(n, "invalid-json", "a JSON value, but not an object")
        if "messages" in obj:
            fmt, found = "chat", _check_chat(obj["messages"])
        elif "prompt" in obj or "completion" in obj:
            fmt, found = "prompt-completion", _check_prompt(obj)
        else:
            keys = ", ".join(sorted(obj)[:5]) or "none"
            return self._error(
                n, "unknown-format", f"no 'messages', 'prompt' or 'completion' (keys: {keys})"
            )
        if self.format is None:
            self.format = fmt
        elif fmt != self.format:
            found = [("mixed-formats", f"{fmt} example in a {self.format} file"), *found]
        for kind, message in found:
            self._error(n, kind, message)
        if found:
            return
        self.examples += 1
        self.example_lines.append(n)
        if fmt == "chat":
            self.messages.append(len(obj["messages"]))
            self.tokens.append(chat_tokens(obj["messages"]))
        else:
            self.tokens.append(
                estimate_tokens(_text(obj.get("prompt")))
                + estimate_tokens(_text(obj.get("completion")))
            )
        key = hashlib.blake2b(line, digest_size=16).digest()
        first = self._seen.setdefault(key, n)
        if first != n:
            self.duplicates_total += 1
            if len(self.duplicates) < LIST_LIMIT:
                self.duplicates.append({"line": n, "same_as": first})


def _text(content: Any) -> str:
    """A message's text: a string, or the text parts of a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            p.get("text", "")
            for p in content
            if isinstance(p, dict) and isinstance(p.get("text"), str)
        )
    return ""


def _check_chat(messages: Any) -> list[tuple[str, str]]:
    """Problems of one chat example (an empty list when it is good)."""
    if not isinstance(messages, list) or not messages:
        return [("unknown-format", "'messages' must be a list of messages")]
    found: list[tuple[str, str]] = []
    roles = []
    for i, m in enumerate(messages, start=1):
        role = m.get("role") if isinstance(m, dict) else None
        if role not in ROLES:
            what = "no role" if role is None else f"role {str(role)[:20]!r}"
            found.append(("missing-role", f"message {i} has {what} (use {', '.join(ROLES)})"))
            continue
        roles.append(role)
        if (
            not _text(m.get("content")).strip()
            and not m.get("tool_calls")
            and not m.get("function_call")
        ):
            found.append(("empty-content", f"message {i} ({role}) has no text"))
    order = _order_problem(roles) if len(roles) == len(messages) else ""  # unknown roles: no order
    if order:
        found.append(("wrong-role-order", order))
    if "assistant" not in roles:
        found.append(("no-assistant-message", "no message has the role 'assistant'"))
    return found


def _order_problem(roles: list[str]) -> str:
    """Why the roles are out of order: a system message only first, then a user message,
    then user and assistant turns in alternation (tool results only after the assistant)."""
    for i, role in enumerate(roles):
        prev = roles[i - 1] if i else None
        if role == "system" and i:
            return f"a system message at position {i + 1} (only the first may be one)"
        if role == "user" and prev == "user":
            return f"two user messages in a row (positions {i} and {i + 1})"
        if role == "assistant" and prev in (None, "system"):
            return "the assistant speaks before any user message"
        if role == "assistant" and prev == "assistant":
            return f"two assistant messages in a row (positions {i} and {i + 1})"
        if role == "tool" and prev not in ("assistant", "tool"):
            return f"a tool result at position {i + 1} that no assistant message asked for"
    return ""


def _check_prompt(obj: Mapping[str, Any]) -> list[tuple[str, str]]:
    found = []
    if not _text(obj.get("prompt")).strip():
        found.append(("empty-content", "the prompt has no text"))
    if "completion" not in obj:
        found.append(("no-assistant-message", "no 'completion' to learn from"))
    elif not _text(obj.get("completion")).strip():
        found.append(("empty-content", "the completion has no text"))
    return found


def chat_tokens(messages: list[Mapping[str, Any]]) -> int:
    """Estimated tokens of one chat example, counted as OpenAI counts them.

    Notes
    -----
    :math:`n = 3 + \\sum_m (3 + 1 + t(\\text{content}_m) + [\\text{name}_m](1 + t(\\text{name}_m)))`
    with :math:`t` from :func:`calculators._tokens.estimate_tokens`.

    Examples
    --------
    >>> chat_tokens([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}])
    13
    """
    n = TOKENS_PER_REPLY
    for m in messages:
        n += TOKENS_PER_MESSAGE + TOKENS_PER_ROLE + estimate_tokens(_text(m.get("content")))
        if m.get("tool_calls"):
            n += estimate_tokens(json.dumps(m["tool_calls"]))
        if isinstance(m.get("name"), str):
            n += TOKENS_PER_NAME + estimate_tokens(m["name"])
    return n


def check_bytes(blob: bytes, chunk_size: int = 1 << 20) -> FileCheck:
    """Check a whole file given as bytes (tests, the page build), chunk by chunk."""
    check = FileCheck()
    for start in range(0, len(blob), chunk_size):
        check.feed(blob[start : start + chunk_size])
    check.close()
    return check


def _nearest_rank(ordered: list[int], q: float) -> int:
    """The q-quantile by the nearest-rank method: a value that occurs in the data."""
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def report(check: FileCheck, inputs: Inputs, data: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON report of a checked file (the CLI's ``--json``, the page's report).

    Parameters
    ----------
    check : FileCheck
        A closed check.
    inputs : Inputs
        Context length, host and epochs.
    data : Mapping
        The data tree (the host's training price, through the training-cost calculator).

    Returns
    -------
    dict
        ``examples`` (good examples), ``lines``, ``format``, ``messages_per_example`` and
        ``tokens_per_example`` (``min``, ``median``, ``p95``, ``max``; None without examples),
        ``tokens_total``, ``context_tokens``, ``over_length`` (examples longer than the context)
        and ``over_length_lines``, ``errors`` (``line``, ``kind``, ``message``; the first
        :data:`LIST_LIMIT`), ``errors_total``, ``error_counts``, ``duplicates`` (``line``,
        ``same_as``), ``duplicates_total``, ``epochs``, ``training_cost`` (the training-cost
        calculator's result for this file at the host's price, None without examples),
        ``not_jsonl`` and ``verdict`` (one sentence).

    Notes
    -----
    The median is the middle value (the mean of the two middle ones for an even count); the
    95th percentile is by nearest rank. The price is the training-cost calculator's, for
    ``examples`` examples of ``tokens_total / examples`` tokens rounded to a whole token.

    Examples
    --------
    See ``tests/unit/test_training_file.py`` (the report needs the data tree for prices).
    """
    ordered = sorted(check.tokens)
    total = sum(ordered)
    over = [
        line
        for line, t in zip(check.example_lines, check.tokens, strict=True)
        if t > inputs.context_tokens
    ]
    msgs = sorted(check.messages)
    result: dict[str, Any] = {
        "bytes": check.bytes_read,
        "lines": check.lines,
        "format": check.format,
        "examples": check.examples,
        "tokens_total": total,
        "tokens_per_example": _stats(ordered),
        "messages_per_example": _stats(msgs),
        "context_tokens": inputs.context_tokens,
        "over_length": len(over),
        "over_length_lines": over[:LIST_LIMIT],
        "errors": list(check.errors),
        "errors_total": check.errors_total,
        "error_counts": dict(check.error_counts),
        "duplicates": list(check.duplicates),
        "duplicates_total": check.duplicates_total,
        "not_jsonl": check.not_jsonl,
        "token_method": "estimate",
        "host": inputs.host,
        "epochs": None,
        "training_cost": None,
    }
    if check.examples:
        from ._api import run  # late: _api imports the registry, which lists this module's peers

        out = run(
            "training-cost",
            {
                "preset": inputs.host,
                "examples": str(check.examples),
                "tokens-per-example": str(max(1, round(total / check.examples))),
                "epochs": str(inputs.epochs),
            },
            data,
            source="cli",
        )
        if not out["ok"]:
            raise InputError(out["field"], out["message"])
        result["epochs"] = out["values"]["epochs"]
        result["training_cost"] = {
            **out["values"],
            "host_label": hosts(data)[inputs.host],
            "price_per_million": float(out["inputs"]["price-per-million"]),
        }
    result["verdict"] = verdict(result)
    return result


def _stats(ordered: list[int]) -> dict[str, float] | None:
    if not ordered:
        return None
    return {
        "min": ordered[0],
        "median": statistics.median(ordered),
        "p95": _nearest_rank(ordered, 0.95),
        "max": ordered[-1],
    }


def verdict(r: Mapping[str, Any]) -> str:
    """One sentence: is the file ready to upload?"""
    if r["not_jsonl"]:
        return (
            "This is not a JSONL training file: none of its first lines is a JSON object. "
            "Save one example per line, each a JSON object with 'messages' (or 'prompt' and "
            "'completion')."
        )
    if not r["lines"]:
        return "The file is empty."
    problems = []
    if r["errors_total"]:
        problems.append(f"{count(r['errors_total'])} format error{'s' * (r['errors_total'] != 1)}")
    if r["duplicates_total"]:
        problems.append(
            f"{count(r['duplicates_total'])} duplicate{'s' * (r['duplicates_total'] != 1)}"
        )
    if r["over_length"]:
        problems.append(
            f"{count(r['over_length'])} example{'s' * (r['over_length'] != 1)} over the context length"
        )
    head = f"{count(r['examples'])} good example{'s' * (r['examples'] != 1)}"
    if not problems:
        return f"{head}, no problems found."
    return f"{head}; fix before uploading: {', '.join(problems)}."


def page_json(check: FileCheck, raw_json: str, data: Mapping[str, Any]) -> str:
    """The page's answer for a checked file and the form's raw values (JSON in and out):
    ``{"ok": true, "report", "view"}``, or ``{"ok": false, "field", "message"}``."""
    try:
        raw = json.loads(raw_json)
        inputs = parse({str(k): str(v) for k, v in raw.items()}, data)
        result = report(check, inputs, data)
    except InputError as exc:
        return json.dumps({"ok": False, "field": exc.field, "message": str(exc)})
    return json.dumps({"ok": True, "report": result, "view": view(result)}, allow_nan=False)


def _money(x: float) -> str:
    return usd(x) if x >= 0.01 else "less than $0.01"


def view(r: Mapping[str, Any]) -> dict[str, Any]:
    """The report as the page shows it: labelled facts and tables of text, formatted here so
    the page (built or live) only places text."""
    t = r["tokens_per_example"]
    m = r["messages_per_example"]
    cost = r["training_cost"]
    facts = [
        ("examples", "Good examples", count(r["examples"])),
        ("lines", "Lines with content", count(r["lines"])),
        (
            "format",
            "Format",
            {"chat": "chat messages", "prompt-completion": "prompt and completion"}.get(
                r["format"] or "", "none found"
            ),
        ),
        (
            "messages",
            "Messages per example (min / median / max)",
            f"{count(m['min'])} / {count(m['median'])} / {count(m['max'])}" if m else "",
        ),
        ("tokens-total", "Tokens in total (estimate)", tokens(r["tokens_total"])),
        (
            "tokens-per-example",
            "Tokens per example (min / median / 95th percentile / max)",
            " / ".join(count(t[k]) for k in ("min", "median", "p95", "max")) if t else "",
        ),
        (
            "over-length",
            f"Examples over {count(r['context_tokens'])} tokens",
            count(r["over_length"]),
        ),
        ("errors", "Format errors", count(r["errors_total"])),
        ("duplicates", "Duplicates", count(r["duplicates_total"])),
        ("epochs", "Epochs", f"{count(cost['epochs'])} ({cost['epochs_note']})" if cost else ""),
        (
            "price",
            "Host and price",
            f"{cost['host_label']}: {price(cost['price_per_million'])} per 1M training tokens"
            if cost
            else "",
        ),
        ("billed", "Billed tokens per run", tokens(cost["billed_tokens"]) if cost else ""),
        ("cost", "Training cost per run", _money(cost["cost_per_run"]) if cost else ""),
    ]
    more = lambda total, shown: f"and {count(total - shown)} more" if total > shown else ""  # noqa: E731
    tables = [
        {
            "key": "errors",
            "title": "Format errors",
            "columns": ["Line", "Problem", "Detail"],
            "rows": [[count(e["line"]), ERROR_KINDS[e["kind"]], e["message"]] for e in r["errors"]],
            "more": more(r["errors_total"], len(r["errors"])),
            "empty": "No format errors.",
        },
        {
            "key": "duplicates",
            "title": "Duplicates",
            "columns": ["Line", "Same as line"],
            "rows": [[count(d["line"]), count(d["same_as"])] for d in r["duplicates"]],
            "more": more(r["duplicates_total"], len(r["duplicates"])),
            "empty": "No duplicates.",
        },
        {
            "key": "over-length",
            "title": "Examples over the context length",
            "columns": ["Line"],
            "rows": [[count(n)] for n in r["over_length_lines"]],
            "more": more(r["over_length"], len(r["over_length_lines"])),
            "empty": "None.",
        },
    ]
    return {
        "verdict": r["verdict"],
        "facts": [{"key": k, "label": label, "value": value} for k, label, value in facts if value],
        "tables": tables,
    }
