"""The README's "A short tour", run as a new user types it (issue 14, the Bar): every command of
the tour block, in order, through the installed ``kronika`` entry point, in a scratch folder
holding ``examples/`` and ``docs/``. ``kronika serve`` is started for real and the tour's
``curl`` is asked of it; the timex eval line runs when ../shared is beside the repository
(the fr-dev events eval is left to tests/test_eval_floor.py). A command must exit 0, print no traceback and find something: a filter of the
tour that finds 0 events is a tour that misleads."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .cli_run import KRONIKA, ROOT
from .conftest import FR_DEV, SHARED

pytestmark = pytest.mark.slow


def tour_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## A short tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [x for x in block.splitlines() if x.strip()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _argv(line: str) -> tuple[list[str], str | None, str | None]:
    """(argv, standard input, file the output goes to) of one tour line."""
    stdin = None
    if "|" in shlex.split(line, comments=True):
        left, right = line.split("|", 1)
        echo = shlex.split(left)
        assert echo[0] == "echo", line
        stdin, line = " ".join(echo[1:]) + "\n", right
    argv = shlex.split(line, comments=True)
    out = None
    if ">" in argv:
        i = argv.index(">")
        argv, out = argv[:i], argv[i + 1]
    return argv, stdin, out


def test_tour_block_is_what_the_test_knows() -> None:
    lines = tour_lines()
    assert lines[0].startswith(". .venv/bin/activate")
    kinds = {shlex.split(x, comments=True)[0] for x in lines[1:]}
    assert kinds <= {"kronika", "echo", "curl"}, kinds


def test_the_readme_tour_runs(tmp_path: Path) -> None:
    for name in ("examples", "docs"):
        (tmp_path / name).symlink_to(ROOT / name)
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="100")
    env.pop("KRONIKA_REGISTER", None)
    port = _free_port()
    server = None
    ran: list[str] = []
    try:
        for line in tour_lines()[1:]:
            argv, stdin, out = _argv(line)
            if argv[0] == "curl":
                assert server is not None, "curl before serve"
                url = argv[1].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
                with urllib.request.urlopen(url, timeout=30) as resp:
                    assert resp.status == 200 and "csv" in resp.headers["content-type"], url
                    rows = list(csv.DictReader(io.StringIO(resp.read().decode("utf-8"))))
                assert rows, f"{line}: no rows"
                q = dict(re.findall(r"[?&](\w+)=([^&']+)", argv[1]))
                for r in rows:
                    if "root" in q:
                        assert r["root"] == q["root"]
                    if "country" in q:
                        assert q["country"] in (r["source_country"], r["target_country"])
                ran.append(line)
                continue
            argv = [str(KRONIKA)] + argv[1:]
            if any("../shared" in a for a in argv):
                if not SHARED.exists() or (argv[1] == "eval" and "--timex" not in argv):
                    # the events eval of fr-dev (40 s) is run by test_eval_floor and, through the
                    # command, by test_cli::test_eval_prints_precision_recall_f1
                    continue
                argv = [a.replace("../shared", str(SHARED)) for a in argv]
            if argv[1] == "serve":
                server = subprocess.Popen(argv + ["--port", str(port)], cwd=tmp_path, env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                deadline = time.monotonic() + 60
                while True:
                    assert server.poll() is None, server.stderr.read()
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/events?limit=1", timeout=5).close()
                        break
                    except OSError:
                        assert time.monotonic() < deadline, "kronika serve did not answer"
                        time.sleep(0.3)
                ran.append(line)
                continue
            r = subprocess.run(argv, cwd=tmp_path, env=env, input=stdin, capture_output=True, text=True,
                               timeout=600)
            assert r.returncode == 0 and "Traceback" not in r.stderr, (line, r.returncode, r.stderr[-2000:])
            if out:
                (tmp_path / out).write_text(r.stdout, encoding="utf-8")
                assert (tmp_path / out).stat().st_size > 0, line
            _check(line, argv[1:], r, tmp_path / out if out else None, tmp_path)
            ran.append(line)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
    assert len(ran) >= len(tour_lines()) - 3, ran  # only the two ../shared lines may be left


def _check(line: str, args: list[str], r: subprocess.CompletedProcess, out: Path | None, cwd: Path) -> None:
    """What each kind of tour command must show: something found, and what it says it does."""
    cmd = args[0]
    if cmd == "events" and out is None:
        m = re.search(r"(\d+) events?\b", r.stdout)
        assert m and int(m.group(1)) > 0 and "no events" not in r.stderr, (line, r.stdout[:300], r.stderr)
        if "--text" in args:
            assert "libéré" in r.stdout, line  # accents ignored
    elif cmd == "events":
        assert len(out.read_text(encoding="utf-8").splitlines()) > 10, line
    elif cmd == "extract" and "-" in args:
        recs = [json.loads(x) for x in r.stdout.splitlines()]
        i = args.index("--id") + 1 if "--id" in args else None
        assert recs and (i is None or {x["article_id"] for x in recs} == {args[i]}), line
    elif cmd == "extract" and "--register-file" in args:
        assert "person:levan-beridze" in r.stdout, line  # the user's register file is read
    elif cmd == "extract":
        assert r.stdout.strip(), line
    elif cmd == "ingest":
        assert re.search(r"\b[1-9]\d* ingested", r.stdout + r.stderr), (line, r.stdout, r.stderr)
    elif cmd == "export":
        path = cwd / args[-1]
        assert path.exists() and path.stat().st_size > 1000, line
    elif cmd == "actors":
        assert re.search(r"\b1 actor\b", r.stdout) and "Loukachenko" in r.stdout, (line, r.stdout)
    elif cmd == "timex":
        assert "2025-12-09" in r.stdout and "2026" in r.stdout, (line, r.stdout)
    elif cmd == "eval":
        assert re.search(r"\b(F1|recall)\b", r.stdout), (line, r.stdout[:500])
    else:
        raise AssertionError(f"the tour test does not know {line!r}")


def test_the_tour_is_checked_against_a_real_gold_file() -> None:
    """The tour's eval line names a file the eval sets hold (skipped without ../shared)."""
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    names = re.findall(r"\.\./shared/(\S+)", "\n".join(tour_lines()))
    assert names and all((SHARED / n).exists() for n in names), names
    assert FR_DEV.exists()
