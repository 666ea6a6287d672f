"""A throwaway PostgreSQL server for tests and benchmarks: initdb in a temporary directory,
postgres on a unix socket there (no TCP), removed when stopped.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from accord.errors import AccordError

__all__ = ["PostgresServer", "find_postgres_bindir"]

_PROGRAMS = ("initdb", "pg_ctl", "postgres")
# Where Debian and Ubuntu install the server (not on PATH): /usr/lib/postgresql/<version>/bin.
_DEBIAN_BINDIRS = "/usr/lib/postgresql/*/bin"
START_TIMEOUT_S = 60  # pg_ctl waits this long for the server to accept connections
# initdb and postgres refuse to run as root; as root they run as this user.
UNPRIVILEGED_USER = "nobody"
# A server only tests write to: it need not survive a power cut.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def _has_programs(bindir: Path) -> bool:
    return all((bindir / name).is_file() for name in _PROGRAMS)


def find_postgres_bindir() -> Path:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``.

    Looks at ``$ACCORD_PG_BINDIR``, then ``pg_config --bindir``, then Debian's
    ``/usr/lib/postgresql/<version>/bin`` (the newest version), then ``PATH``.

    Raises:
        AccordError: no directory holds the three programs; the message says how to
            install them.
    """
    candidates: list[Path] = []
    if os.environ.get("ACCORD_PG_BINDIR"):
        candidates.append(Path(os.environ["ACCORD_PG_BINDIR"]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip():
            candidates.append(Path(found.stdout.strip()))
    versions = sorted(glob.glob(_DEBIAN_BINDIRS), key=lambda p: _version_key(Path(p).parent.name))
    candidates += [Path(p) for p in reversed(versions)]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        if _has_programs(bindir):
            return bindir
    looked = ", ".join([*(str(c) for c in candidates), _DEBIAN_BINDIRS, "PATH"])
    raise AccordError(
        "the PostgreSQL store tests need a PostgreSQL server's programs (initdb, pg_ctl, "
        f"postgres); looked in {looked}. Install them (Debian: apt-get install postgresql) "
        "or set ACCORD_PG_BINDIR to their directory"
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


class PostgresServer:
    """A private PostgreSQL server in a new temporary directory, reached by unix socket.

    Args:
        settings: server settings (``-c name=value``), for example :data:`FAST_SETTINGS`.
        bindir: where the server's programs are; found with :func:`find_postgres_bindir`
            when not given.

    Raises:
        AccordError: the programs are missing, or the server did not start (with its log).
    """

    def __init__(self, settings: dict[str, str] | None = None, bindir: Path | None = None):
        self.bindir = bindir or find_postgres_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="accord-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._run_as: dict[str, Any] = {}
        if os.geteuid() == 0:
            user = pwd.getpwnam(UNPRIVILEGED_USER)
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._run_as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        options = [f"-k {self.root}", "-c listen_addresses=''"]
        options += [f"-c {name}={value}" for name, value in (settings or {}).items()]
        try:
            self._program("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                          "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
            self._program("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w",
                          "-t", str(START_TIMEOUT_S), "-o", " ".join(options), "start")  # fmt: skip
        except AccordError:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self._databases: set[str] = set()

    def _program(self, name: str, *args: str) -> None:
        done = subprocess.run(
            [str(self.bindir / name), *args], capture_output=True, text=True, **self._run_as
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.is_file() else ""
            raise AccordError(
                f"{name} failed ({done.returncode}): {done.stderr.strip()} {log.strip()}"
            )

    def url(self, database: str = "postgres") -> str:
        """The connection URL of ``database`` on this server."""
        return f"postgresql://postgres@/{database}?host={quote(str(self.root), safe='')}"

    def create_database(self, name: str) -> str:
        """Create database ``name`` (once; later calls find it) and return its URL."""
        if name not in self._databases:
            import psycopg
            from psycopg import sql

            with psycopg.connect(self.url(), autocommit=True) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            self._databases.add(name)
        return self.url(name)

    def database_for(self, directory: Path) -> str:
        """The URL of a database that belongs to ``directory`` (created the first time), so
        a test or benchmark that reopens the store under one directory finds it again."""
        digest = hashlib.sha256(str(directory).encode()).hexdigest()[:16]
        return self.create_database(f"accord_{digest}")

    def stop(self) -> None:
        """Stop the server and remove its directory."""
        try:
            self._program("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
