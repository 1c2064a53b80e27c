"""Readers: turn files, directories, JSON Lines and standard input into ``Article`` records.

Formats
- the users' corpus format: the file starts with `` date YYYY-MM-DD `` (or `` date YYYY-MM ``)
  and the body follows; the article id is the file name without its extension;
- JSON Lines (``.jsonl``), one article a line with ``id``, ``date``, ``text`` and optional
  ``url``, ``title``, ``lang``;
- a directory (read recursively, files in sorted order; hidden files, archives, images,
  database files and documentation such as ``README.md`` or ``LICENSE`` are skipped) and
  ``-`` for standard input (either format, told apart by its first character).

What happens to each kind of bad input is listed in docs/reliability.md.

Nothing here raises on bad input: every problem becomes a ``ReadProblem`` naming the file
(and the line for JSONL) and the other articles go on. Fallbacks that keep an article
(another encoding, HTML stripped, control characters removed, a future date) are reported
as problems of level ``warning``; those that drop it are ``error``.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

from .langid import foreign_passages, guess_language
from .model import Article

HEADER_RE = re.compile(r"^\s*date\s+(\S+)[ \t]*\n?[ \t]*")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_ID_RE = re.compile(r"[\x00-\x1f\x7f]")
SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
MAX_ID_CHARS = 300  # longer ids cannot be asked for (the server's limit)
HTML_RE = re.compile(r"<\s*(html|body|p|div|br|span|head|script|a\s|!doctype)[\s>/]", re.I)
SUPPORTED_LANGS = ("fr", "en")
SKIP_SUFFIXES = {".gz", ".zip", ".pdf", ".png", ".jpg", ".jpeg", ".duckdb", ".parquet", ".pyc", ".wal",
                 ".md", ".rst"}
# documentation beside a corpus (README, LICENSE…) is not an article: skipped in directory walks
DOC_PREFIXES = ("readme", "license", "licence", "changelog", "copying")
MAX_BYTES = 50_000_000
# longer bodies are kept but coded in paragraph chunks (kronika.pipeline.CHUNK_CHARS): warned
LONG_ARTICLE_CHARS = 100_000


@dataclass
class ReadProblem:
    """Something wrong with one input: ``level`` is ``error`` (article skipped) or ``warning``."""

    path: str
    line: int | None
    message: str
    level: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{self.level}: {where}: {self.message}"


ReadItem = Article | ReadProblem


def parse_date(value: str) -> str:
    """Validate a publication date ``YYYY-MM-DD`` or ``YYYY-MM``; return it normalised.

    Raises ValueError with a readable message otherwise.
    """
    value = value.strip()
    m = DATE_RE.match(value)
    if not m:
        raise ValueError(f"malformed date {value!r} (expected YYYY-MM-DD or YYYY-MM)")
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        if d is None:
            date(int(y), int(mo), 1)
            return f"{y}-{mo}"
        date(int(y), int(mo), int(d))
    except ValueError:
        raise ValueError(f"impossible date {value!r}") from None
    return value


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[override]
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("p", "br", "div", "h1", "h2", "h3", "li", "tr", "title"):
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Visible text of an HTML document, paragraphs separated by blank lines."""
    p = _TextExtractor()
    p.feed(text)
    p.close()
    out = html.unescape("".join(p.parts))
    out = re.sub(r"[ \t]+", " ", out)
    out = re.sub(r"\s*\n\s*\n\s*", "\n\n", out)
    return out.strip()


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Decode file bytes: UTF-8 (BOM removed), else Windows-1252, else Latin-1.

    Returns the text and a warning (or None). Raises ValueError for binary data.
    """
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        bad = exc.start
    for enc in ("cp1252", "latin-1"):
        try:
            return data.decode(enc), f"not UTF-8 (byte {bad}); decoded as {enc}"
        except UnicodeDecodeError:
            continue
    raise ValueError("undecodable bytes")  # pragma: no cover - latin-1 decodes everything


def clean_text(text: str, path: str, line: int | None) -> tuple[str, list[ReadProblem]]:
    """Normalise a body: HTML to text, control characters removed, CRLF to LF."""
    problems: list[ReadProblem] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if HTML_RE.search(text[:5000]):
        text = strip_html(text)
        problems.append(ReadProblem(path, line, "HTML input: tags removed, visible text kept", "warning"))
    if SURROGATE_RE.search(text):  # a JSON "\\ud800" escape: not Unicode, cannot be stored
        n = len(SURROGATE_RE.findall(text))
        text = SURROGATE_RE.sub("\ufffd", text)
        problems.append(ReadProblem(path, line, f"{n} lone surrogate(s) (not Unicode) replaced by U+FFFD",
                                    "warning"))
    if CONTROL_RE.search(text):
        n = len(CONTROL_RE.findall(text))
        text = CONTROL_RE.sub(" ", text)
        problems.append(ReadProblem(path, line, f"{n} control character(s) replaced by spaces", "warning"))
    return text, problems


def _finish(
    art_id: str,
    published: str,
    text: str,
    path: str,
    line: int | None,
    lang: str | None,
    url: str | None = None,
    title: str | None = None,
    today: date | None = None,
) -> list[ReadItem]:
    """Common checks of every reader; returns the article and/or problems."""
    out: list[ReadItem] = []
    text, probs = clean_text(text, path, line)
    out.extend(probs)
    if not text.strip():
        out.append(ReadProblem(path, line, "empty article body"))
        return out
    try:
        published = parse_date(published)
    except ValueError as exc:
        out.append(ReadProblem(path, line, str(exc)))
        return out
    today = today or datetime.now(timezone.utc).date()
    pub = published if len(published) == 10 else published + "-01"
    if date.fromisoformat(pub) > today:
        out.append(ReadProblem(path, line, f"publication date {published} is in the future; kept as given", "warning"))
    if len(text) > LONG_ARTICLE_CHARS:
        out.append(ReadProblem(path, line, f"very long article ({len(text):,} characters): coded in chunks of "
                                           f"at most {LONG_ARTICLE_CHARS:,} characters cut at paragraph breaks",
                               "warning"))
    guessed = guess_language(text)
    if lang is None:
        lang = guessed
    if lang not in SUPPORTED_LANGS:
        out.append(ReadProblem(path, line, f"language {lang or 'unknown'!s} is not read by kronika (fr, en)"))
        return out
    foreign = foreign_passages(text, lang)
    if foreign:
        langs = sorted({x[2] for x in foreign})
        how = "skipped" if os.environ.get("KRONIKA_FOREIGN_PASSAGES", "read") == "skip" else "read with the " + "/".join(langs) + " pipeline"
        out.append(ReadProblem(path, line, f"{len(foreign)} passage(s) in {'/'.join(langs)} "
                                           f"({sum(e - s for s, e, _ in foreign):,} characters) inside a {lang} article: {how}",
                               "warning"))
    out.append(Article(id=art_id, published=published, text=text, lang=lang, url=url, title=title,
                       source_path=path, source_line=line))
    return out


def read_corpus_text(text: str, art_id: str, path: str, today: date | None = None) -> list[ReadItem]:
    """Read one document of the users' corpus format (`` date YYYY-MM-DD `` then the body)."""
    if not text.strip():
        return [ReadProblem(path, None, "empty file")]
    m = HEADER_RE.match(text)
    if not m:
        first = text.strip().splitlines()[0][:40] if text.strip() else ""
        return [ReadProblem(path, 1, f"missing date header (expected ' date YYYY-MM-DD ', found {first!r})")]
    body = text[m.end():]
    return _finish(art_id, m.group(1), body, path, None, None, today=today)


def jsonl_lines(data: bytes) -> list[bytes]:
    """The lines of a JSON Lines file: split at ``\n`` only (a JSON string may hold U+2028,
    U+0085 or a lone ``\r``, which ``str.splitlines`` would cut), a BOM removed."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


def _decode_line(raw: bytes) -> tuple[str, str | None]:
    """One JSON Lines line: UTF-8, else Windows-1252, else Latin-1 (with a warning)."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        bad = exc.start
    for enc in ("cp1252", "latin-1"):
        try:
            return raw.decode(enc), f"not UTF-8 (byte {bad} of the line); decoded as {enc}"
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def read_jsonl_lines(lines: Iterable[str | bytes], path: str, today: date | None = None) -> Iterator[ReadItem]:
    """Read JSON Lines; each bad line becomes a problem naming its line number. Lines given
    as bytes are decoded one by one (one line in another encoding costs only itself)."""
    for n, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            raw, warn = _decode_line(raw)
            if warn:
                yield ReadProblem(path, n, warn, "warning")
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield ReadProblem(path, n, f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(rec, dict):
            yield ReadProblem(path, n, "not a JSON object")
            continue
        fields, bad = check_record(rec, Path(path).stem, n)
        if bad:
            yield ReadProblem(path, n, bad)
            continue
        yield from _finish(fields["id"], fields["date"], fields["text"], path, n, fields["lang"],
                           url=fields["url"], title=fields["title"], today=today)


def _short(value: object) -> str:
    """A value named in a problem line: its JSON type and the start of its text."""
    kind = {dict: "an object", list: "an array", bool: "a boolean", int: "a number", float: "a number",
            str: "a string"}.get(type(value), type(value).__name__)
    shown = json.dumps(value, ensure_ascii=True)
    return f"{kind} ({shown[:40] + '…' if len(shown) > 40 else shown})"


def check_record(rec: dict, stem: str, line: int) -> tuple[dict, str | None]:
    """The fields of a JSON Lines record, each of the type it must have, or the reason to
    refuse the record (one line). ``text`` and ``date`` are strings; ``id`` a non-empty
    string (or an integer) of at most ``MAX_ID_CHARS`` characters without control
    characters, absent meaning ``<stem>-<line>``; ``url``, ``title``, ``lang`` strings or
    absent (null). No field but ``text`` may hold a lone surrogate (text: replaced, warned)."""
    out: dict = {}
    for key in ("text", "date"):
        v = rec.get(key)
        if not isinstance(v, str):
            return out, (f"missing field {key!r}" if v is None else f"field {key!r} must be a string, not {_short(v)}")
        out[key] = v
    v = rec.get("id")
    if v is None:
        out["id"] = f"{stem}-{line}"
    elif isinstance(v, int) and not isinstance(v, bool):
        out["id"] = str(v)
    elif not isinstance(v, str):
        return out, f"field 'id' must be a string or an integer, not {_short(v)}"
    elif not v.strip():
        return out, "field 'id' is empty (leave it out to get <file>-<line>)"
    elif len(v) > MAX_ID_CHARS:
        return out, f"field 'id' is {len(v):,} characters long (at most {MAX_ID_CHARS})"
    elif CONTROL_ID_RE.search(v):
        return out, f"field 'id' holds control characters ({_short(v)})"
    else:
        out["id"] = v
    for key in ("url", "title", "lang"):
        v = rec.get(key)
        if v is not None and not isinstance(v, str):
            return out, f"field {key!r} must be a string, not {_short(v)}"
        out[key] = v
    for key in ("id", "date", "url", "title", "lang"):
        if isinstance(out[key], str) and SURROGATE_RE.search(out[key]):
            return out, f"field {key!r} holds a lone surrogate escape (not Unicode): {_short(out[key])}"
    return out, None


def walk_dir(root: Path) -> Iterator[Path | ReadProblem]:
    """The regular files under ``root`` in sorted order (the order of ``sorted(rglob)``),
    following symbolic links to directories once. Nothing is skipped without a word: an
    unreadable directory is an error; a dangling link, a link loop (or a directory already
    read through another link) and anything that is not a regular file are warnings."""
    seen = {os.path.realpath(root)}

    def walk(d: Path) -> Iterator[Path | ReadProblem]:
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield ReadProblem(str(d), None, f"cannot read directory: {exc.strerror or exc}; its files are not read")
            return
        for e in entries:
            p = d / e.name
            try:
                is_dir = e.is_dir()  # follows links
                is_file = not is_dir and e.is_file()
                link = e.is_symlink()
                exists = is_dir or is_file or os.path.exists(p)
            except OSError as exc:
                yield ReadProblem(str(p), None, f"cannot read: {exc.strerror or exc}")
                continue
            if link and not exists:
                yield ReadProblem(str(p), None, f"dangling symbolic link (to {os.readlink(p)!r}): skipped", "warning")
            elif is_dir:
                real = os.path.realpath(p)
                if real in seen:
                    yield ReadProblem(str(p), None, "symbolic link loop, or a directory already read through "
                                                    "another link: skipped", "warning")
                    continue
                seen.add(real)
                yield from walk(p)
            elif is_file:
                yield p
            elif not e.name.startswith("."):
                yield ReadProblem(str(p), None, "not a regular file (socket, pipe or device): skipped", "warning")

    yield from walk(root)


def read_path(path: Path, today: date | None = None) -> Iterator[ReadItem]:
    """Read a file (corpus format or ``.jsonl``) or a directory, recursively."""
    if str(path) == "-":
        yield from read_stream(sys.stdin, "<stdin>", today=today)
        return
    if path.is_dir():
        for p in walk_dir(path):
            if isinstance(p, ReadProblem):
                yield p
            elif not p.name.startswith(".") and p.suffix.lower() not in SKIP_SUFFIXES \
                    and not p.name.lower().startswith(DOC_PREFIXES):
                yield from read_path(p, today=today)
        return
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield ReadProblem(name, None, f"file too large ({size} bytes > {MAX_BYTES})")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield ReadProblem(name, None, f"cannot read: {exc.strerror or exc}")
        return
    if not data.strip():
        yield ReadProblem(name, None, "empty file")
        return
    if path.suffix.lower() in (".jsonl", ".ndjson") and (looks_like_jsonl(data) or b"\x00" not in data[:8192]
                                                        or has_object_line(data)):
        yield from read_jsonl_lines(jsonl_lines(data), name, today=today)  # one bad line costs itself
        return
    try:
        text, warn = decode_bytes(data)
    except ValueError as exc:
        yield ReadProblem(name, None, str(exc))
        return
    if warn:
        yield ReadProblem(name, None, warn, "warning")
    yield from read_corpus_text(text, path.stem, name, today=today)


def looks_like_jsonl(data: bytes) -> bool:
    """Bytes that start (after a BOM and blanks) with ``{``: JSON Lines, read line by line."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")


def has_object_line(data: bytes, lines: int = 1000) -> bool:
    """Some line among the first ``lines`` starts with ``{``: a JSON Lines file whose other
    lines may be damaged (NUL bytes in one line cost that line, not the file's good records)."""
    return any(ln.lstrip().startswith(b"{") for ln in data.split(b"\n", lines)[:lines])


def _stream_bytes(stream) -> bytes | str:
    raw = stream.buffer.read(MAX_BYTES + 1) if hasattr(stream, "buffer") else stream.read(MAX_BYTES + 1)
    if isinstance(raw, str):  # a text stream: back to its bytes (undecodable ones were escaped)
        try:
            return raw.encode("utf-8", errors="surrogateescape")
        except UnicodeEncodeError:  # lone surrogates that are not escaped bytes: cleaned later
            return raw
    return raw


def stream_text(stream, name: str = "<stdin>", raw: bytes | str | None = None) -> tuple[str | None, list[ReadProblem]]:
    """The text of a stream (standard input), decoded as a file's bytes are (UTF-8, else
    Windows-1252, else Latin-1, with a warning; NUL bytes refused): Python's own decoding of
    stdin is bypassed. ``None`` with an error when it cannot be read."""
    raw = _stream_bytes(stream) if raw is None else raw
    if isinstance(raw, str):
        return raw, []
    if len(raw) > MAX_BYTES:
        return None, [ReadProblem(name, None, f"input too large (more than {MAX_BYTES} bytes)")]
    if not raw.strip():
        return None, [ReadProblem(name, None, "empty input")]
    try:
        text, warn = decode_bytes(raw)
    except ValueError as exc:
        return None, [ReadProblem(name, None, str(exc))]
    return text, [ReadProblem(name, None, warn, "warning")] if warn else []


def read_stream(stream, name: str = "<stdin>", today: date | None = None) -> Iterator[ReadItem]:
    """Read standard input: JSON Lines when it starts with ``{`` (decoded line by line), else
    one corpus document (decoded by ``stream_text``)."""
    raw = _stream_bytes(stream)
    if isinstance(raw, bytes) and len(raw) <= MAX_BYTES and looks_like_jsonl(raw):
        yield from read_jsonl_lines(jsonl_lines(raw), name, today=today)
        return
    text, problems = stream_text(stream, name, raw)
    yield from problems
    if text is None:
        return
    if text.lstrip().startswith("{"):
        yield from read_jsonl_lines(text.split("\n"), name, today=today)
    else:
        yield from read_corpus_text(text, "stdin", name, today=today)


def read_inputs(paths: Iterable[str | Path], today: date | None = None) -> Iterator[ReadItem]:
    """Read every path in turn (``-`` is standard input)."""
    for p in paths:
        p = Path(p) if str(p) != "-" else Path("-")
        if str(p) != "-" and not p.exists():
            yield ReadProblem(str(p), None, "no such file or directory")
            continue
        yield from read_path(p, today=today)
