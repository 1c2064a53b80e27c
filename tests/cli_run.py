"""Run the installed ``kronika`` entry point as a user does (a new process each time)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KRONIKA = Path(sys.executable).with_name("kronika")


def kronika(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            timeout: int = 300) -> subprocess.CompletedProcess:
    e = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="100")
    e.pop("KRONIKA_REGISTER", None)
    e.update(env or {})
    return subprocess.run([str(KRONIKA), *args], capture_output=True, text=True, env=e, input=input,
                          timeout=timeout)
