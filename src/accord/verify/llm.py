"""An LLM judge: asks any OpenAI-compatible chat-completions endpoint whether two claims agree.

The answer must be strict JSON with evidence quotes; a quote that does not occur in its
document, or an answer that cannot be parsed, gives NOT_MENTIONED with the reason, never an
invented label. Answers are cached by prompt hash, in memory and optionally on disk.
"""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from accord.errors import ConfigError, MissingExtraError
from accord.model import Document, Label, Pair, Span, Verdict
from accord.verify.base import verifiers
from accord.verify.context import find_quote, sentence_around

logger = logging.getLogger(__name__)

API_KEY_ENV = "ACCORD_LLM_API_KEY"
"""The environment variable holding the endpoint's API key (never a flag: flags show in ps)."""

DEFAULT_TIMEOUT_S = 30.0  # one chat completion of a short JSON answer; slow local models included
MAX_ATTEMPTS = 3  # a transport error or 5xx is retried twice; more only delays the report
BACKOFF_S = 0.5  # first wait between attempts, doubled after each
# After this many pairs in a row got no answer, the endpoint is taken to be down and the
# remaining pairs are left undecided at once instead of each waiting out its retries.
MAX_CONSECUTIVE_FAILURES = 3
_RETRY_STATUS = frozenset({408, 429})  # besides 5xx: the server asks to come back later
# A server's Retry-After is waited out up to this long (as the openai client does); one that
# asks for more is taken to be unavailable for this run.
MAX_RETRY_AFTER_S = 60.0
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)

SYSTEM_PROMPT = (
    "You compare two factual claims taken from two documents about the same subject. "
    "Answer with one JSON object and nothing else."
)
_USER_TEMPLATE = """Claim A (document A): {claim_a}
Sentence in document A: {sentence_a}

Claim B (document B): {claim_b}
Sentence in document B: {sentence_b}

Does claim B support claim A, contradict it, or not mention what A states?
Answer with strict JSON of exactly this form:
{{"label": "supports|contradicts|not_mentioned", "confidence": 0.0, "reason": "...", \
"evidence": ["quote from A", "quote from B"]}}
- label: "contradicts" only if both cannot be true of the same thing; "supports" if B states \
what A states; otherwise "not_mentioned".
- confidence: a number from 0 to 1.
- evidence: two short quotes copied exactly, the first from sentence A, the second from \
sentence B."""


@dataclass(frozen=True, slots=True)
class Judgement:
    """A validated answer of the judge.

    Attributes:
        label: the label it gave.
        confidence: its confidence, in [0, 1].
        reason: its one-line reason.
        evidence: its quotes, from A then from B.
    """

    label: Label
    confidence: float
    reason: str
    evidence: tuple[str, ...]


def parse_judgement(content: str) -> Judgement:
    """Validate the judge's answer text as the JSON the prompt asks for.

    Args:
        content: the message content; one surrounding Markdown code fence is tolerated.

    Raises:
        ValueError: the text is not that JSON; the message says what is wrong.
    """
    fenced = _FENCE.match(content)
    try:
        data = json.loads(fenced.group(1) if fenced else content)
    except json.JSONDecodeError as exc:
        raise ValueError(f"answer is not JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(data, dict):
        raise ValueError(f"answer is JSON {type(data).__name__}, not an object")
    label = data.get("label")
    if not isinstance(label, str):
        raise ValueError("answer has no string 'label'")
    parsed = Label.from_str(label.strip())  # ValueError lists the valid labels
    confidence = data.get("confidence")
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise ValueError("answer has no numeric 'confidence'")
    if not 0.0 <= float(confidence) <= 1.0:
        raise ValueError(f"answer's confidence {confidence} is outside [0, 1]")
    reason = data.get("reason", "")
    evidence = data.get("evidence", [])
    if not isinstance(reason, str):
        raise ValueError("answer's 'reason' is not a string")
    if not isinstance(evidence, list) or not all(isinstance(q, str) for q in evidence):
        raise ValueError("answer's 'evidence' is not a list of strings")
    return Judgement(parsed, float(confidence), reason.strip(), tuple(evidence))


def chat_url(url: str) -> str:
    """The chat-completions address for ``url`` (a base such as ``http://host/v1``, or the
    full ``.../chat/completions`` address)."""
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else f"{url}/chat/completions"


@verifiers.register(
    "accord.llm.v1",
    settings={
        "url": "llm_url",
        "model": "llm_model",
        "timeout_s": "llm_timeout_s",
        "cache_dir": "llm_cache_dir",
    },
)
class LLMVerifier:
    """Judges each pair with a chat model behind an OpenAI-compatible endpoint.

    Args:
        entity_files: accepted for the common verifier signature; unused.
        url: the endpoint's base address (``http://127.0.0.1:8080/v1``).
        model: the model name the endpoint serves.
        timeout_s: limit on one request, in seconds.
        cache_dir: a directory for an on-disk JSON cache of answers (``None``: memory only).
        max_attempts: tries per request on transport errors, 5xx, 408 and 429.
        backoff_s: first wait between tries, in seconds; doubled after each. A server's
            longer ``Retry-After`` (up to ``MAX_RETRY_AFTER_S``) is waited out instead.
    """

    name: ClassVar[str] = "accord.llm.v1"

    def __init__(
        self,
        entity_files: Sequence[Path] = (),
        *,
        url: str | None = None,
        model: str | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        cache_dir: Path | str | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        backoff_s: float = BACKOFF_S,
    ) -> None:
        self.url = url
        self.model = model
        self.timeout_s = timeout_s
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.max_attempts = max(1, max_attempts)
        self.backoff_s = backoff_s
        self.requests_made = 0
        self._cache: dict[str, str] = {}
        self._texts: dict[str, str] = {}
        self._client: Any = None
        self._advance: Callable[[int, int], None] | None = None

    @property
    def method(self) -> str:
        """The method name verdicts carry: ``llm:<model>``."""
        return f"llm:{self.model}"

    def describe(self) -> str:
        """Say which endpoint and model this judge uses (never the key)."""
        keyed = "with" if os.environ.get(API_KEY_ENV) else "without"
        return f"endpoint {self.url}, model {self.model}, {keyed} {API_KEY_ENV}"

    def bind_documents(self, documents: Sequence[Document]) -> None:
        """Give the judge the documents' texts, for sentence context and quote checks."""
        self._texts = {doc.id: doc.text for doc in documents}

    def bind_progress(self, advance: Callable[[int, int], None] | None) -> None:
        """Report ``advance(done, total)`` after each pair is judged (``None``: stop)."""
        self._advance = advance

    def warm_up(self) -> None:
        """Check the settings and open the HTTP client."""
        if self._client is not None:
            return
        if not self.url or not self.model:
            raise ConfigError(
                "the LLM judge needs an endpoint and a model: give --llm-url URL and "
                "--llm-model NAME (settings llm_url, llm_model)"
            )
        try:
            import httpx
        except ImportError as exc:
            raise MissingExtraError(
                f'the LLM judge needs httpx: pip install "accord[llm]" ({exc})'
            ) from exc
        if self.cache_dir is not None:
            try:
                self.cache_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(
                    f"cannot create the LLM cache directory {self.cache_dir}: {exc}"
                ) from exc
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(API_KEY_ENV)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self._client = httpx.Client(timeout=self.timeout_s, headers=headers)

    def close(self) -> None:
        """Close the HTTP client (a later ``verify`` opens a new one)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def verify(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Return one verdict per pair; pairs the endpoint could not answer are undecided."""
        self.warm_up()
        verdicts: list[Verdict] = []
        failures = 0
        for pair in pairs:
            if self._advance is not None:
                self._advance(len(verdicts), len(pairs))
            if failures >= MAX_CONSECUTIVE_FAILURES:
                verdicts.append(self._undecided(pair, "LLM endpoint unavailable; pair skipped"))
                continue
            messages = self._messages(pair)
            try:
                content = self._answer(messages)
            except _EndpointError as exc:
                failures += 1
                if failures == MAX_CONSECUTIVE_FAILURES:
                    logger.warning(
                        "LLM endpoint %s failed %d times in a row (%s); the remaining pairs are "
                        "left undecided",
                        self.url,
                        failures,
                        exc,
                    )
                verdicts.append(self._undecided(pair, f"LLM request failed: {exc}"))
                continue
            failures = 0
            verdicts.append(self._judge(pair, content))
        return verdicts

    def _messages(self, pair: Pair) -> list[dict[str, str]]:
        a, b = pair.left, pair.right
        user = _USER_TEMPLATE.format(
            claim_a=a.text,
            sentence_a=self._sentence(a.span, a.text),
            claim_b=b.text,
            sentence_b=self._sentence(b.span, b.text),
        )
        return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]

    def _sentence(self, span: Span, fallback: str) -> str:
        text = self._texts.get(span.doc_id)
        return sentence_around(text, span) if text is not None else fallback

    def _answer(self, messages: list[dict[str, str]]) -> str:
        body = {"model": self.model, "messages": messages, "temperature": 0}
        key = hashlib.sha256(
            json.dumps([self.url, body], sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()
        if key in self._cache:
            return self._cache[key]
        stored = self._read_cache(key)
        if stored is None:
            stored = self._post(body)
            self._write_cache(key, stored)
        self._cache[key] = stored
        return stored

    def _post(self, body: Mapping[str, Any]) -> str:
        import httpx

        assert self.url is not None  # checked in warm_up
        address = chat_url(self.url)
        wait = self.backoff_s
        pause = 0.0
        problem = ""
        for attempt in range(1, self.max_attempts + 1):
            if attempt > 1:
                time.sleep(pause)
            self.requests_made += 1
            asked = None
            try:
                response = self._client.post(address, json=body)
            except httpx.TimeoutException:
                problem = f"timed out after {self.timeout_s:g} s"
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                status = response.status_code
                if status < 400:
                    return _content(response.text)
                problem = f"HTTP {status}"
                if status < 500 and status not in _RETRY_STATUS:
                    break
                asked = retry_after_s(response.headers.get("Retry-After"))
                if asked is not None and asked > MAX_RETRY_AFTER_S:
                    problem += f", Retry-After {asked:g} s"
                    break
            # the server's Retry-After when it gives one, and never less than the back-off
            pause = max(wait, asked or 0.0)
            wait *= 2
            logger.debug("LLM request attempt %d/%d: %s", attempt, self.max_attempts, problem)
        raise _EndpointError(f"{problem} ({self.max_attempts} attempts at most)")

    def _read_cache(self, key: str) -> str | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent or damaged: ask again
        content = data.get("content") if isinstance(data, dict) else None
        return content if isinstance(content, str) else None

    def _write_cache(self, key: str, content: str) -> None:
        if self.cache_dir is None:
            return
        path = self.cache_dir / f"{key}.json"
        temp = path.with_suffix(".tmp")
        try:
            temp.write_text(json.dumps({"content": content}), encoding="utf-8")
            temp.replace(path)
        except OSError as exc:
            logger.warning("cannot write the LLM cache file %s: %s", path, exc)

    def _judge(self, pair: Pair, content: str) -> Verdict:
        if content == _NO_CONTENT:
            return self._undecided(pair, "LLM response has no choices[0].message.content")
        try:
            judgement = parse_judgement(content)
        except ValueError as exc:
            return self._undecided(pair, f"LLM answer could not be parsed: {exc}")
        a, b = pair.left, pair.right
        if judgement.label is Label.NOT_MENTIONED:
            return self._verdict(pair, judgement, (a.span, b.span))
        if len(judgement.evidence) < 2:
            return self._undecided(
                pair, f"LLM said {judgement.label.value} but quoted no evidence from both sides"
            )
        spans: list[Span] = []
        for side, claim, quote in (
            ("A", a, judgement.evidence[0]),
            ("B", b, judgement.evidence[1]),
        ):
            span = self._locate(claim.span, claim.text, quote)
            if span is None:
                return self._undecided(
                    pair,
                    f"LLM said {judgement.label.value} but its quote from {side} was not found "
                    f"in that document: {quote!r}",
                )
            spans.append(span)
        return self._verdict(pair, judgement, tuple(spans))

    def _locate(self, span: Span, claim_text: str, quote: str) -> Span | None:
        text = self._texts.get(span.doc_id)
        if text is not None:
            return find_quote(text, quote, span.doc_id, near=span.start)
        found = find_quote(claim_text, quote, span.doc_id, near=0)
        if found is None:
            return None
        return Span(doc_id=span.doc_id, start=span.start + found.start, end=span.start + found.end)

    def _verdict(self, pair: Pair, judgement: Judgement, evidence: tuple[Span, ...]) -> Verdict:
        return Verdict(
            pair=pair,
            label=judgement.label,
            confidence=round(judgement.confidence, 3),
            method=self.method,
            reason=judgement.reason or f"LLM said {judgement.label.value}",
            evidence=evidence,
        )

    def _undecided(self, pair: Pair, reason: str) -> Verdict:
        logger.debug("LLM verdict undecided: %s", reason)
        return Verdict(
            pair=pair,
            label=Label.NOT_MENTIONED,
            confidence=0.0,
            method=self.method,
            reason=reason,
            evidence=(pair.left.span, pair.right.span),
        )


def retry_after_s(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait: a number of seconds or an HTTP date
    (RFC 9110); ``None`` when absent or unreadable.

    Example:
        >>> retry_after_s("2")
        2.0
    """
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, (when - datetime.datetime.now(datetime.UTC)).total_seconds())


class _EndpointError(Exception):
    """The endpoint gave no usable HTTP answer after the allowed attempts."""


_NO_CONTENT = "\x00no content\x00"


def _content(body: str) -> str:
    """The message content of a chat-completions response body (``_NO_CONTENT`` if none)."""
    try:
        data = json.loads(body)
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        return _NO_CONTENT
    return content if isinstance(content, str) else _NO_CONTENT
