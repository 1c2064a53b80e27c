"""Opening a kronika database file: one safe configuration, lock retries, shared readers.

Every connection kronika opens has DuckDB's network-capable defaults turned off
(``autoinstall_known_extensions``, ``autoload_known_extensions``,
``enable_external_access``) and its configuration locked (``CONFIG``): nothing is ever
downloaded, a query cannot read or write other files (exports go through pyarrow).

Readers of one process share one read-only connection per file and take a cursor each
(``SharedReader``). Under POSIX record-lock rules, closing *any* descriptor of a file drops
*all* of the process's locks on it; with one connection per thread, a thread closing its
connection let a writer in while other threads were still reading, and they read torn
blocks. A shared connection is opened once, used by every thread through its own cursor,
and closed ``IDLE_HOLD`` (1 s) after the last reader is done (so that a run of queries finds
DuckDB's caches warm), at once when this process writes, or when a writer has announced itself (the
``<db>.writer`` file, created by a writer that found the file busy): then new readers wait
until the in-flight ones finish, the connection closes, and the writer gets its turn.
"""

from __future__ import annotations

import atexit
import os
import random
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from ..corpus.schema import CORPUS_SCHEMA
from .schema import SCHEMA, SCHEMA_VERSION, UPGRADES

DEFAULT_DB = "kronika.duckdb"
CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "enable_external_access": False,
    "lock_configuration": True,
}
WRITER_SUFFIX = ".writer"
NEW_SUFFIX = ".new-"  # a database being created: <db>.new-<pid>-<thread>, linked to <db> when whole
STALE_INTENT = 30.0  # seconds: a writer never waits longer than its ``wait`` (10 s)
MAX_HOLD = 0.2  # seconds a shared reader stays open while a writer waits
# seconds an idle shared reader stays open for the next query (DuckDB's caches stay warm: a
# query on 1 M events costs a third as much); closed at once when a writer has announced itself
IDLE_HOLD = float(os.environ.get("KRONIKA_READER_HOLD", "1.0"))


STORAGE_ERRORS = (duckdb.IOException, duckdb.SerializationException, duckdb.InternalException,
                  duckdb.FatalException, OSError)
KRONIKA_TABLES = ("meta", "articles", "events", "actors", "learned_roles", "problems")


class StoreBusy(RuntimeError):
    """The database file stayed locked by another process longer than the wait allowed."""


class StorageError(RuntimeError):
    """The database file cannot be used (missing table, foreign or damaged file, full disk…).
    The message is one line naming the file and the cause."""


def _one_line(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    for prefix in ("IO Error: ", "Invalid Input Error: ", "Catalog Error: ", "Serialization Error: ",
                   "INTERNAL Error: ", "Permission Error: ", "Fatal Error: "):
        msg = msg.replace(prefix, "")
    return msg[:300]


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """ROLLBACK if a transaction is still open (after a failed COMMIT, e.g. on a full disk,
    there is none, and DuckDB's "cannot rollback" would hide the real cause)."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def storage_error(path: str, exc: BaseException) -> StorageError:
    """A one-line ``StorageError`` for a DuckDB or OS error met on ``path``."""
    msg = _one_line(exc)
    low = msg.lower()
    if "no space left" in low:
        return StorageError(f"{path}: no space left on device")
    if "could not read enough bytes" in low:
        return StorageError(f"{path}: damaged or truncated database file ({msg[:200]})")
    if "does not exist" in low and ("table" in low or "catalog" in low):
        return StorageError(f"{path}: not a kronika database (no kronika tables in it)")
    return StorageError(f"{path}: cannot use the database: {msg}")


def check_file(path: str) -> None:
    """Refuse, before DuckDB sees it, a path that is not a DuckDB file (clear message,
    and no extension would even be considered)."""
    p = Path(path)
    if p.is_dir():
        raise StorageError(f"{path}: is a directory, not a database file")
    try:
        with open(p, "rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError(f"{path}: cannot read the database: {exc.strerror or exc}") from None
    if head.startswith(b"SQLite format 3"):
        raise StorageError(f"{path}: is an SQLite database, not a kronika (DuckDB) file")
    if not head:
        raise StorageError(f"{path}: empty file (0 bytes), not a database; delete it or choose another --db")
    if len(head) < 12 or head[8:12] != b"DUCK":
        raise StorageError(f"{path}: not a DuckDB database file")


def _intent_path(path: str) -> str:
    return path + WRITER_SUFFIX


def writer_waiting(path: str) -> bool:
    """True when a live writer announced that it waits for ``path``."""
    ip = _intent_path(path)
    try:
        st = os.stat(ip)
    except OSError:
        return False
    if time.time() - st.st_mtime > STALE_INTENT:
        return False
    try:
        pid = int(Path(ip).read_text().strip() or 0)
        if pid:
            os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return True


def open_connection(path: str, read_only: bool, wait: float, on_busy=None) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` with kronika's configuration, retried with exponential backoff and
    jitter while another process holds the file (``StoreBusy`` after ``wait`` s); every other
    problem is a one-line ``StorageError``. ``on_busy`` is called once at the first refusal."""
    if read_only and not Path(path).exists():
        raise FileNotFoundError(f"{path}: no such database (run `kronika ingest` first)")
    check_file(path)
    deadline = time.monotonic() + wait
    delay = 0.02
    told = False
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=dict(CONFIG))
        except duckdb.IOException as exc:
            locked = "lock" in str(exc).lower()
            if not locked:
                raise storage_error(path, exc) from None
            if time.monotonic() > deadline:
                raise StoreBusy(f"{path} is locked by another process") from None
            if on_busy is not None and not told:
                told = True
                on_busy()
            time.sleep(delay + random.random() * delay)
            # a reader polls often (cap 50 ms) so that it gets in between an ingest's
            # transactions, which come a fraction of a second apart; a writer backs off further
            delay = min(delay * 2, 0.05 if read_only else 0.25)
        except duckdb.Error as exc:
            raise storage_error(path, exc) from None


class SharedReader:
    """One read-only connection to a file, shared by the threads of a process (a cursor each)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._cond = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._opened = 0.0
        self._draining = False
        self._local = threading.local()
        self._timer: threading.Timer | None = None
        self._idle_since = 0.0
        # what the open connection sees: no other process can commit while it is open (DuckDB
        # locks the file), so answers computed on it stay true until it closes (server cache)
        self.state: tuple | None = None
        self.opens = 0

    @contextmanager
    def cursor(self, wait: float) -> Iterator[duckdb.DuckDBPyConnection]:
        depth = getattr(self._local, "depth", 0)
        with self._cond:
            if depth == 0:  # a nested call of a thread that already reads must not wait for itself
                deadline = time.monotonic() + wait
                while self._draining or (self._con is None and writer_waiting(self.path)
                                         and time.monotonic() < deadline):
                    if time.monotonic() > deadline:
                        raise StoreBusy(f"{self.path} is locked by another process")
                    self._cond.wait(0.01)
            if self._con is None:
                self._con = open_connection(self.path, True, wait)
                self._opened = time.monotonic()
                self.opens += 1
                self.state = file_state(self.path, self._con)
            elif (depth == 0 and time.monotonic() - self._opened > MAX_HOLD
                  and writer_waiting(self.path)):
                self._draining = True  # this request is the last one before the writer's turn
            self._users += 1
            con = self._con
        self._local.depth = depth + 1
        cur = None
        try:
            cur = con.cursor()
            yield cur
        finally:
            self._local.depth = depth
            if cur is not None:
                try:
                    cur.close()
                except duckdb.Error:
                    pass
            with self._cond:
                self._users -= 1
                if self._users == 0:
                    if self._draining or writer_waiting(self.path) or IDLE_HOLD <= 0:
                        self._close()
                    else:  # kept open (its caches warm) for the next query, closed when idle
                        self._idle_since = time.monotonic()
                        if self._timer is None:
                            self._timer = threading.Timer(IDLE_HOLD, self._close_if_idle)
                            self._timer.daemon = True
                            self._timer.start()

    def open_state(self) -> tuple | None:
        """The state of the file while this process's connection is open (None when it is
        closed or closing for a writer): an answer computed in this state is still true.
        Lock-free (called on the server's event loop). A use keeps the connection open (an
        answer from memory counts as a query for ``IDLE_HOLD``); a waiting writer, or a file
        replaced under the same name (another inode), gives None."""
        state = self.state
        if state is None or self._con is None or self._draining or writer_waiting(self.path):
            return None  # (a waiting writer: the request takes a cursor, which lets the writer in)
        try:
            if state[1] is None or os.stat(self.path).st_ino != state[1][0]:
                return None
        except OSError:
            return None
        self._idle_since = time.monotonic()
        return state

    def _close(self) -> None:
        """Close the connection (lock held, no user)."""
        self.state = None
        try:
            if self._con is not None:
                self._con.close()
        finally:
            self._con = None
            self._draining = False
            self._cond.notify_all()

    def _close_if_idle(self) -> None:
        with self._cond:
            self._timer = None
            if self._users or self._con is None:
                return
            idle = time.monotonic() - self._idle_since
            if idle >= IDLE_HOLD or writer_waiting(self.path):
                self._close()
            else:  # used again meanwhile: look again when it has been idle long enough
                self._timer = threading.Timer(max(IDLE_HOLD - idle, 0.01), self._close_if_idle)
                self._timer.daemon = True
                self._timer.start()

    def close_idle(self) -> None:
        """Close the connection now if no thread is reading (before this process writes)."""
        with self._cond:
            if self._users == 0 and self._con is not None:
                self._close()


_readers: dict[str, SharedReader] = {}
_readers_lock = threading.Lock()


def release_readers() -> None:
    """Close every idle shared reader of this process now (they close by themselves after
    ``IDLE_HOLD`` s; call this before handing the file to a tool that does not wait)."""
    with _readers_lock:
        readers = list(_readers.values())
    for r in readers:
        r.close_idle()


def _close_all_at_exit() -> None:
    with _readers_lock:
        readers = list(_readers.values())
    for r in readers:
        with r._cond:
            if r._timer is not None:
                r._timer.cancel()
                r._timer = None
            if r._con is not None and r._users == 0:
                r._close()


atexit.register(_close_all_at_exit)


def file_state(path: str, con: duckdb.DuckDBPyConnection) -> tuple:
    """What identifies the committed state of a file: the batches ever written (the meta row
    ``writes``) and the database's and its log's size, time and inode."""
    def stat(p: str) -> tuple | None:
        try:
            st = os.stat(p)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'writes'").fetchone()
    except duckdb.Error:
        row = None
    return (row[0] if row else None, stat(path), stat(path + ".wal"))


def _remove_stale_new(path: str) -> None:
    """Remove the files of creations killed before they were linked into place (their process is gone)."""
    p = Path(path)
    for old in p.parent.glob(p.name + NEW_SUFFIX + "*"):
        try:
            os.kill(int(old.name[len(p.name + NEW_SUFFIX):].split("-")[0].split(".")[0]), 0)
        except ProcessLookupError:
            try:
                os.unlink(old)
            except OSError:
                pass
        except (ValueError, OSError):
            pass


def _apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """kronika's tables, the corpus layer's and the upgrades of older files, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(SCHEMA)
        con.execute("ALTER TABLE problems ADD COLUMN IF NOT EXISTS run_id VARCHAR")  # files of before
        con.execute(CORPUS_SCHEMA)
        con.execute(UPGRADES)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise


def shared_reader(path: str) -> SharedReader:
    key = os.path.realpath(path)
    with _readers_lock:
        r = _readers.get(key)
        if r is None:
            r = _readers[key] = SharedReader(path)
        return r


class StoreBase:
    """Path, mode and connections of a store (the query and write methods are mixins)."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False, wait: float = 10.0):
        self.path = str(path)
        self.read_only = read_only
        self.wait = wait
        if not read_only:
            self._create()

    def _create(self) -> None:
        """Create the schema. A new file appears whole or not at all: it is built under a
        temporary name and linked into place, so that neither a failure (a full disk) nor a
        kill leaves a 0-byte or half-made database behind to break every later run. On an
        existing file the schema (and its upgrades) is completed in one transaction."""
        if not Path(self.path).exists() and self._create_new():
            return  # the file linked into place holds the whole schema already
        with self.connect() as con:
            _apply_schema(con)

    def _create_new(self) -> bool:
        """Build the file under a temporary name and link it into place; False when another
        process put a file there meanwhile (its schema is then completed as any file's)."""
        _remove_stale_new(self.path)
        linked = False
        tmp = f"{self.path}{NEW_SUFFIX}{os.getpid()}-{threading.get_ident()}"
        try:
            try:
                con = duckdb.connect(tmp, read_only=False, config=dict(CONFIG))
                try:
                    _apply_schema(con)
                finally:
                    con.close()  # checkpointed: the file holds everything, no log
            except OSError as exc:
                raise StorageError(f"{self.path}: cannot create the database: {exc.strerror or exc}") from None
            except duckdb.Error as exc:  # said as ``connect`` says it, naming the file (not its temporary name)
                if isinstance(exc, STORAGE_ERRORS) or "no space left on device" in str(exc).lower():
                    raise storage_error(self.path, exc) from None
                raise
            try:
                os.link(tmp, self.path)  # never over a file another process created meanwhile
                linked = True
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not Path(self.path).exists():
                    os.replace(tmp, self.path)
                    linked = True
        finally:
            for leftover in (tmp, tmp + ".wal"):
                try:
                    os.unlink(leftover)
                except OSError:
                    pass
        return linked

    @contextmanager
    def connect(self, read_only: bool | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection, retried while another process holds the file (up to ``wait`` s).
        Read-only: a cursor of the process's shared reader of the file. A damaged, foreign
        or table-less file, or a full disk, is a one-line ``StorageError``."""
        ro = self.read_only if read_only is None else read_only
        try:
            if ro:
                with shared_reader(self.path).cursor(self.wait) as cur:
                    yield cur
                return
            with self._write_connection() as con:
                yield con
        except FileNotFoundError:
            raise
        except STORAGE_ERRORS as exc:
            raise storage_error(self.path, exc) from None
        except duckdb.Error as exc:
            if "no space left on device" in str(exc).lower():  # a failed COMMIT (TransactionException) too
                raise storage_error(self.path, exc) from None
            if isinstance(exc, duckdb.CatalogException) and any(  # a kronika table missing: not a kronika file
                    f"name {t} does not exist" in str(exc) for t in KRONIKA_TABLES):
                raise storage_error(self.path, exc) from None
            raise

    @contextmanager
    def _write_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        key = os.path.realpath(self.path)
        if key in _readers:  # this process's own idle reader would block (or clash with) the writer
            _readers[key].close_idle()
        intent = _intent_path(self.path)
        announced = []

        def announce() -> None:
            try:
                with open(intent, "w") as fh:
                    fh.write(str(os.getpid()))
                announced.append(intent)
            except OSError:
                pass  # read-only directory: readers simply will not yield early

        try:
            con = open_connection(self.path, False, self.wait, on_busy=announce)
        finally:
            for p in announced:
                try:
                    os.unlink(p)
                except OSError:
                    pass
        try:
            yield con
        finally:
            con.close()
