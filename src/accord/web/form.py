"""The upload page's form: one slot per document (a file or a pasted text, with the kind,
title, URL and published date declared of it), and one field for more files at once.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from accord.model import DocKind
from accord.web.uploads import (
    DECLARED_KEYS,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    RequestError,
    Upload,
    check_uploads,
    declared_source,
    display_name,
)

__all__ = ["OPEN_SLOTS", "SLOTS", "form_context", "form_uploads"]

SLOTS = MAX_DOCUMENTS  # every document of a check can be declared on the page
OPEN_SLOTS = 3  # slots shown at once; the others are folded under "More documents"


def form_context() -> dict[str, Any]:
    """What the upload page's template needs to draw the slots."""
    return {
        "slots": SLOTS,
        "open_slots": OPEN_SLOTS,
        "kinds": [kind.value for kind in DocKind],
    }


def _file(value: Any) -> tuple[str | None, str, bytes] | None:
    """A file field's (name, type, bytes), or ``None`` for one sent with no file chosen."""
    if value is None or isinstance(value, str):
        return None
    data: bytes = value.file.read(MAX_DOCUMENT_BYTES + 1)
    if not value.filename and not data:
        return None
    return value.filename, value.content_type or "", data


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def form_uploads(form: FormData) -> list[Upload]:
    """The documents the upload page sent, with what each slot declares, checked.

    Raises:
        RequestError: a slot with both a file and a text, or something declared of a slot
            with neither; a bad declared value (422); a document that cannot be checked (see
            ``check_uploads``).
    """
    uploads: list[Upload] = []
    for slot in range(1, SLOTS + 1):
        file = _file(form.get(f"file-{slot}"))
        text = _text(form.get(f"text-{slot}"))
        fields = {key: _text(form.get(f"{key}-{slot}")).strip() for key in DECLARED_KEYS}
        if file is not None and text.strip():
            raise RequestError(f"document {slot}: choose a file or paste a text, not both", 422)
        if file is None and not text.strip():
            if any(fields.values()):
                raise RequestError(
                    f"document {slot}: its {', '.join(k for k, v in fields.items() if v)} "
                    "is given, but no file or text",
                    422,
                )
            continue
        if file is not None:
            filename, media, data = file
            name = display_name(filename, f"document {slot}")
        else:
            name, media, data = f"text {slot}", "text/plain", text.encode("utf-8", "replace")
        declared = declared_source(name, fields)
        uploads.append(Upload(name=name, content_type=media, data=data, declared=declared))
    for index, value in enumerate(form.getlist("files"), start=1):
        extra = _file(value)
        if extra is not None:
            filename, media, data = extra
            name = display_name(filename, f"upload {index}")
            uploads.append(Upload(name=name, content_type=media, data=data))
    check_uploads(uploads)
    return uploads
