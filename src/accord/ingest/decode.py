"""Turn the bytes of one source into clean text: size and binary checks, BOMs, encodings.

Also holds ``clean_text``, the character-level normalisation every ingested text goes through.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from accord.errors import BinaryInputError, DecodeError, EmptyDocumentError, InputTooLargeError
from accord.limits import DEFAULT_MAX_BYTES

logger = logging.getLogger(__name__)

SNIFF_BYTES = 1024  # binary detection looks at the first KB, as file(1) and git do
NUL_SHARE_LIMIT = 0.1  # text never has NULs; a tenth of the first KB means a binary format
UTF16_ODD_NUL_SHARE = 0.9  # BOM-less UTF-16 of mostly-ASCII text: NULs in nearly every other byte
MOSTLY_UTF8_RATIO = 2  # good multibyte chars per bad byte for "UTF-8 with a few bad bytes"
CHAOS_TOLERANCE = 0.1  # on short text charset-normalizer's chaos scores differ by noise
META_CHARSET_BYTES = 4096  # an HTML <meta charset> must sit in the first few KB

REPLACED_SUFFIX = " (with replacements)"

# Longest BOM first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"\x00asm", "WebAssembly module"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", "Mach-O binary"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
)

# Charset-normalizer often ties on short text; prefer the encodings Western files really use.
_PREFERRED = ("utf_8", "cp1252", "latin_1", "iso8859_15", "cp1250", "cp1251", "iso8859_2")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# C0 controls but \t and \n, DEL, C1 controls; zero-width and soft-hyphen characters.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b\u2060\ufeff]")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_WORD_CHARACTER = re.compile(r"[^\W_]")  # a letter or digit, of any script
NO_WORDS = "no letters or digits, only whitespace, control, invisible or punctuation characters"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decoded:
    """Text decoded from bytes, with the encoding it was read in."""

    text: str
    encoding: str


def clean_text(text: str) -> str:
    """Normalise characters: newlines to ``\\n``, drop control characters, NFC.

    Non-breaking and other Unicode spaces become plain spaces and lone surrogates become
    U+FFFD, so every later stage (and JSON output) sees valid, plain UTF-8 text.
    """
    text = _SURROGATES.sub("\ufffd", text)
    text = _NEWLINES.sub("\n", text)
    text = _CONTROLS.sub("", text)
    text = _SPACES.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def has_words(text: str) -> bool:
    """Whether ``text`` holds a letter or digit. Text of whitespace (of every Unicode kind),
    control, zero-width and punctuation characters alone says nothing to check."""
    return _WORD_CHARACTER.search(text) is not None


def check_not_binary(data: bytes, name: str) -> None:
    """Raise ``BinaryInputError`` when ``data`` starts like a binary format.

    Raises:
        BinaryInputError: a known magic number, or NULs in a large share of the first KB
            with no UTF-16/32 byte-order mark and no BOM-less UTF-16 pattern.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(f"{name} looks like binary data ({what}), not text")
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        raise BinaryInputError(f"{name} looks like binary data (RIFF media), not text")
    if any(data.startswith(bom) for bom, _ in _BOMS) or _bomless_wide(data) is not None:
        return
    head = data[:SNIFF_BYTES]
    if head and head.count(0) / len(head) >= NUL_SHARE_LIMIT:
        raise BinaryInputError(f"{name} looks like binary data (NUL bytes), not text")


def decode_bytes(
    data: bytes,
    *,
    name: str,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Decoded:
    """Decode the bytes of one source to clean text.

    Args:
        data: the raw bytes.
        name: the source's name, used in error messages.
        encoding: a codec name to use as given instead of detecting one.
        max_bytes: the size limit in bytes.

    Returns:
        The cleaned text and the encoding used (``"utf-8 (with replacements)"`` when bytes
        could not be decoded and were replaced).

    Raises:
        InputTooLargeError: ``data`` is over ``max_bytes``.
        EmptyDocumentError: no letters or digits once cleaned (``has_words``).
        BinaryInputError: ``data`` looks like a binary format.
        DecodeError: ``encoding`` names no known codec.
    """
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"{name} is {len(data):,} bytes, over the limit of {max_bytes:,} bytes; "
            "accord refuses it rather than check a cut-off part; raise the limit with --max-bytes"
        )
    if not data.strip():
        raise EmptyDocumentError(f"{name} is empty")
    if encoding is not None:
        text, used = _decode_as(data, encoding, name)
    else:
        check_not_binary(data, name)
        text, used = _detect_and_decode(data, name)
    text = clean_text(text)
    if not text.strip():
        raise EmptyDocumentError(f"{name} is empty")
    if not has_words(text):
        raise EmptyDocumentError(f"{name} is empty ({NO_WORDS})")
    return Decoded(text=text, encoding=used)


def _decode_as(data: bytes, encoding: str, name: str) -> tuple[str, str]:
    try:
        codec = codecs.lookup(encoding)
    except LookupError as exc:
        raise DecodeError(
            f"unknown encoding {encoding!r} for {name}; give a codec name such as "
            "utf-8, cp1252, latin-1 or utf-16 (--encoding)"
        ) from exc
    try:
        return data.decode(codec.name), encoding
    except UnicodeDecodeError:
        logger.warning("%s is not valid %s; undecodable bytes replaced", name, encoding)
        return data.decode(codec.name, errors="replace"), encoding + REPLACED_SUFFIX


def _detect_and_decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_lenient(data, codec, name)
    wide = _bomless_wide(data)
    if wide is not None:
        return _decode_lenient(data, wide, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for ch in replaced if ord(ch) > 127 and ch != "\ufffd")
    if good and good >= MOSTLY_UTF8_RATIO * bad:
        logger.warning("%s is UTF-8 with %d undecodable bytes; replaced them", name, bad)
        return replaced, "utf-8" + REPLACED_SUFFIX
    declared = _meta_charset(data)
    if declared is not None:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            logger.debug("%s: declared charset %s does not decode it", name, declared)
    guessed = _guess_encoding(data)
    if guessed is not None:
        return data.decode(guessed, errors="replace"), guessed
    logger.warning("%s: could not detect its encoding; decoded as UTF-8 with replacements", name)
    return replaced, "utf-8" + REPLACED_SUFFIX


def _decode_lenient(data: bytes, codec: str, name: str) -> tuple[str, str]:
    label = codec.removesuffix("-sig")
    try:
        return data.decode(codec), label
    except UnicodeDecodeError:
        logger.warning("%s has a %s mark but bad bytes; replaced them", name, label)
        return data.decode(codec, errors="replace"), label + REPLACED_SUFFIX


def _bomless_utf16(data: bytes) -> str | None:
    head = data[: SNIFF_BYTES - SNIFF_BYTES % 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) / len(odd) >= UTF16_ODD_NUL_SHARE and not even.count(0):
        return "utf-16-le"
    if even.count(0) / len(even) >= UTF16_ODD_NUL_SHARE and not odd.count(0):
        return "utf-16-be"
    return None


def _bomless_utf32(data: bytes) -> str | None:
    head = data[: SNIFF_BYTES - SNIFF_BYTES % 4]
    if len(head) < 8:
        return None
    lanes = [head[i::4] for i in range(4)]
    if lanes[3].count(0) == len(lanes[3]) and not lanes[0].count(0):
        ordered = lanes  # little-endian: the high bytes come last
        codec = "utf-32-le"
    elif lanes[0].count(0) == len(lanes[0]) and not lanes[3].count(0):
        ordered = lanes[::-1]
        codec = "utf-32-be"
    else:
        return None
    if ordered[2].count(0) / len(ordered[2]) >= UTF16_ODD_NUL_SHARE:
        return codec
    return None


def _bomless_wide(data: bytes) -> str | None:
    """The codec of BOM-less UTF-16 or UTF-32 text, judged by where its NUL bytes fall."""
    return _bomless_utf16(data) or _bomless_utf32(data)


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:META_CHARSET_BYTES])
    if match is None:
        return None
    name = match.group(1).decode("ascii", errors="ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _guess_encoding(data: bytes) -> str | None:
    results = list(charset_normalizer.from_bytes(data))
    if not results:
        return None
    least_chaos = min(r.chaos for r in results)
    best = [r for r in results if r.chaos <= least_chaos + CHAOS_TOLERANCE]
    if max(r.coherence for r in best) > 0:
        return str(max(best, key=lambda r: r.coherence).encoding)
    names = [str(r.encoding) for r in best]
    for preferred in _PREFERRED:
        if preferred in names:
            return preferred
    return names[0]
