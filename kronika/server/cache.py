"""Answers of the API kept while the database cannot have changed (issue 15 item 10).

A kronika file changes only when a writer commits, and no other process can commit while
this process's shared read-only connection is open (DuckDB locks the file;
``kronika/store/connection.py``). So a 200 answer of ``GET /api/…`` computed while the
connection stayed open is still true as long as it is open, and after it reopens on a file
in the same state (``file_state``: the meta row ``writes``, the file's and its log's size,
time and inode). The cache is an ASGI middleware in front of the whole app: a hit is the
stored bytes and headers, sent without routing, validation, a database call or JSON
encoding. An ingest makes a writer announce itself; the connection closes for it, and the
first request after the commit finds the file in a new state: a miss, computed afresh.

An answer is stored only when the connection was open, in one state, from the start of the
request to its end (``opens`` unchanged): it cannot mix two states. Bounded: ``MAX_ENTRIES``
answers and ``MAX_BYTES`` in all (least recently used dropped first), none over ``MAX_BODY``
bytes. ``KRONIKA_SERVER_CACHE=0`` turns it off.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any, Callable

MAX_ENTRIES = 4096
MAX_BODY = 2 * 2**20
MAX_BYTES = 64 * 2**20
HIT = [(b"x-kronika-cache", b"hit")]  # said on the answers given from the cache
ENABLED = os.environ.get("KRONIKA_SERVER_CACHE", "1") != "0"


class AnswerCache:
    """ASGI middleware: ``GET /api/…`` answers keyed by path and query, valid in one file state."""

    def __init__(self, app: Callable, reader: Callable[[], Any], prefix: str = "/api/") -> None:
        self.app = app
        self.reader = reader  # the SharedReader of the app's file (created on first use)
        self.prefix = prefix
        self.entries: OrderedDict[tuple, tuple] = OrderedDict()
        self.hits = self.misses = 0
        self.bytes = 0

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET" or not ENABLED
                or not scope["path"].startswith(self.prefix)):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        reader = self.reader()
        state = reader.open_state()
        if state is not None:
            found = self.entries.get(key)
            if found is not None and found[0] == state:
                self.entries.move_to_end(key)
                self.hits += 1
                await send({"type": "http.response.start", "status": 200, "headers": found[1] + HIT})
                await send({"type": "http.response.body", "body": found[2]})
                return
        self.misses += 1
        opens = reader.opens
        start: dict = {}
        chunks: list[bytes] = []
        size = [0]

        async def keep(message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and size[0] <= MAX_BODY:
                body = message.get("body", b"")
                chunks.append(body)
                size[0] += len(body)
            await send(message)

        await self.app(scope, receive, keep)
        if start.get("status") != 200 or size[0] > MAX_BODY:
            return
        after = reader.open_state()
        # computed on one open connection, in one state (the first request after a reopen is not kept)
        if after is None or reader.opens != opens or (state is not None and after != state):
            return
        body = b"".join(chunks)
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= len(old[2])
        self.entries[key] = (after, list(start.get("headers", [])), body)
        self.bytes += len(body)
        while len(self.entries) > MAX_ENTRIES or self.bytes > MAX_BYTES:
            self.bytes -= len(self.entries.popitem(last=False)[1][2])
