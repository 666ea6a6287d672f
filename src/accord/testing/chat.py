"""A local stand-in for an OpenAI-compatible chat-completions endpoint, for tests.

``FakeChatServer`` listens on 127.0.0.1 (a free port) in a thread; a scripted ``reply``
function turns each request body into ``ChatReply(status, content, delay_s)``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["ChatReply", "FakeChatServer", "user_prompt"]


@dataclass(frozen=True, slots=True)
class ChatReply:
    """What the fake endpoint answers.

    Attributes:
        content: the assistant message content (or the whole body, with ``raw``).
        status: the HTTP status.
        delay_s: seconds to wait before answering.
        raw: send ``content`` as the body as it is, not wrapped as a chat completion.
        headers: extra response headers (``(("Retry-After", "2"),)``).
    """

    content: str
    status: int = 200
    delay_s: float = 0.0
    raw: bool = False
    headers: tuple[tuple[str, str], ...] = ()


Responder = Callable[[dict[str, Any]], ChatReply]


def user_prompt(body: dict[str, Any]) -> str:
    """The last user message of a chat-completions request body."""
    users = [m["content"] for m in body.get("messages", []) if m.get("role") == "user"]
    return str(users[-1]) if users else ""


class FakeChatServer:
    """A chat-completions endpoint on 127.0.0.1 that answers with ``reply(body)``.

    Use as a context manager; ``url`` is the base address (``http://127.0.0.1:PORT/v1``),
    ``requests`` the bodies received, in order.
    """

    def __init__(self, reply: Responder) -> None:
        self.reply = reply
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(body)
                server.headers.append(dict(self.headers.items()))
                if self.path != "/v1/chat/completions":
                    answer = ChatReply('{"error": "not found"}', status=404, raw=True)
                else:
                    answer = server.reply(body)
                time.sleep(answer.delay_s)
                payload = answer.content if answer.raw else _completion(answer.content)
                data = payload.encode("utf-8")
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in answer.headers:
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        # a short poll interval: shutdown() waits for one poll, and tests start many servers
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base address to give as ``--llm-url``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _completion(content: str) -> str:
    return json.dumps(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
        }
    )
