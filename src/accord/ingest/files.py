"""Opening document files: only regular files are read, never a pipe, socket or device.

Opening a named pipe for reading blocks until something writes to it, and a device can be
endless, so every file is checked with ``os.stat`` before it is opened, and opened without
blocking and checked again (``fstat``) in case it was swapped in between.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from accord.errors import NotAFileError

__all__ = ["check_regular", "is_special_file", "open_regular", "special_kind"]

# os.O_NONBLOCK is POSIX only; elsewhere there are no FIFOs to block on.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def special_kind(mode: int) -> str | None:
    """What a file of ``st_mode`` ``mode`` is when it is neither a regular file nor a
    directory (``"a named pipe (FIFO)"``...), else ``None``."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def is_special_file(path: Path) -> bool:
    """Whether ``path`` (its target, for a link) is a pipe, socket or device."""
    try:
        return special_kind(path.stat().st_mode) is not None
    except (OSError, ValueError):  # gone, a link loop, or a name the OS refuses
        return False


def _refusal(given: str, kind: str) -> NotAFileError:
    return NotAFileError(
        f"{given} is {kind}, not a regular file; accord reads only regular files "
        "(save the content to a file and give that)"
    )


def check_regular(path: Path, given: str) -> None:
    """Raise ``NotAFileError`` when ``path`` is a pipe, socket or device, without opening it.

    Raises:
        NotAFileError: ``path`` is not a regular file or a directory.
        OSError: ``path`` cannot be examined.
    """
    kind = special_kind(os.stat(path).st_mode)
    if kind is not None:
        raise _refusal(given, kind)


def open_regular(path: Path, given: str) -> io.BufferedReader:
    """Open the regular file ``path`` for reading bytes, refusing anything else.

    The file is opened without blocking (a FIFO put in its place after the check would
    otherwise block the open) and checked again on the open descriptor.

    Args:
        path: the file.
        given: its name as given, for the message.

    Raises:
        NotAFileError: ``path`` is a pipe, socket, device or directory.
        OSError: ``path`` cannot be opened.
    """
    check_regular(path, given)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise _refusal(given, special_kind(mode) or "a directory")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")
