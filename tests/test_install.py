"""Install and first-run behaviour (issue 14 item 14): supported Pythons, a clean build, the
ingest progress bar naming the model it loads, and no model loaded for unchanged files."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from .cli_run import KRONIKA, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("version", ["3.11.7", "3.12.1", "3.13.0"])
def test_supported_pythons(version: str) -> None:
    assert version in SpecifierSet(PYPROJECT["project"]["requires-python"])


def test_licence_is_an_spdx_string() -> None:
    # a TOML table here is what makes setuptools print its deprecation warning in `make demo`
    assert isinstance(PYPROJECT["project"]["license"], str)


def _on_a_terminal(*args: str) -> tuple[int, str, float]:
    """Run the kronika entry point with a pseudo-terminal as stdout and stderr (the progress
    bar only shows on a terminal); returns (exit code, everything printed, seconds)."""
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="100")
    t0 = time.monotonic()
    p = subprocess.Popen([str(KRONIKA), *args], stdout=slave, stderr=slave, env=env)
    os.close(slave)
    buf = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
        elif p.poll() is not None:
            break
    p.wait(timeout=300)
    os.close(master)
    return p.returncode, buf.decode("utf-8", "replace"), time.monotonic() - t0


@pytest.mark.slow
def test_progress_names_the_model_and_unchanged_files_load_none(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text(" date 2025-12-13 \nLa police biélorusse a arrêté samedi trois opposants à Minsk.\n",
                   encoding="utf-8")
    db = str(tmp_path / "k.duckdb")
    rc, out, _ = _on_a_terminal("ingest", str(art), "--db", db)
    assert rc == 0 and "loading the French model" in out and "1 ingested" in out, out
    rc, out, seconds = _on_a_terminal("ingest", str(art), "--db", db)
    assert rc == 0 and "1 skipped (unchanged)" in out, out
    assert "loading the" not in out
    assert seconds < 8, seconds  # no spaCy model nor language data: about 1.5 s on 2 cores


@pytest.mark.slow
def test_build_has_no_setuptools_warning(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "BuildBackendWarning" not in r.stdout + r.stderr
    assert "SetuptoolsDeprecationWarning" not in r.stdout + r.stderr


def _python(version: str) -> str | None:
    import glob
    import shutil

    found = shutil.which(f"python{version}") or next(iter(sorted(glob.glob(
        os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python")))), None)
    return found


@pytest.mark.slow
def test_pinned_dependencies_resolve_on_the_oldest_python() -> None:
    """requires-python says 3.11: the pins must install there (numpy 2.5 and scipy 1.18 need
    3.12, so 3.11 gets pins of its own). A pip dry run, with the machine's own package index."""
    py = _python("3.11")
    if py is None:
        pytest.skip("no Python 3.11 on this machine")
    r = subprocess.run([py, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", f"{ROOT}[test]"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
