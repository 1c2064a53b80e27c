"""Users' own register files: people and organisations added to (or replacing) the package's.

A user register is a YAML file with the schema of ``kronika/data/people.yaml`` and
``kronika/data/organisations.yaml`` under two keys::

    people:
      - {id: jane-doe, name: Jane Doe, country: BLR, sector: OPP, aliases: [Doe]}
    organisations:
      - {id: viasna, name: Viasna, country: BLR, sector: HRI, aliases: [Vesna]}

An entry whose ``id`` is already in the package replaces it. The files in use are named by
``kronika … --register-file PATH`` (repeatable) or the environment variable
``KRONIKA_REGISTER`` (paths separated by ``os.pathsep``); the installed package is never
edited.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

ENV = "KRONIKA_REGISTER"
_KEYS = {"people": ("name",), "organisations": ("id", "name")}


class RegisterFileError(ValueError):
    """A user register file that cannot be read; the message names the file and the entry."""


def env_paths() -> tuple[str, ...]:
    """The user register files named by ``KRONIKA_REGISTER``, in order."""
    return tuple(p for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip())


def use_register_files(paths: list[Path] | tuple[Path, ...]) -> None:
    """Name the user register files of this process (and of worker processes it starts):
    each is checked first, so a bad file is one clear error before any work."""
    for p in paths:
        read_user_register(Path(p))
    if paths:
        os.environ[ENV] = os.pathsep.join(str(Path(p).resolve()) for p in paths)


def read_user_register(path: Path) -> dict[str, list[dict[str, Any]]]:
    """``{"people": [...], "organisations": [...]}`` of a user file, checked."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegisterFileError(f"{path}: cannot read the register file ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise RegisterFileError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict) or set(data) - set(_KEYS):
        raise RegisterFileError(f"{path}: expected a mapping with the keys 'people' and/or 'organisations'")
    out: dict[str, list[dict[str, Any]]] = {}
    for key, required in _KEYS.items():
        items = data.get(key) or []
        if not isinstance(items, list):
            raise RegisterFileError(f"{path}: '{key}' must be a list")
        for n, item in enumerate(items, 1):
            if not isinstance(item, dict) or any(not item.get(r) for r in required):
                raise RegisterFileError(f"{path}: {key} entry {n} needs {' and '.join(required)}")
            if not isinstance(item.get("aliases", []), list):
                raise RegisterFileError(f"{path}: {key} entry {n}: aliases must be a list")
        out[key] = items
    return out


def merged(base: list[dict[str, Any]] | None, extra: list[dict[str, Any]], key_of) -> list[dict[str, Any]]:
    """``base`` with the ``extra`` entries added, an entry of the same key replacing the old one."""
    by_key = {key_of(e): e for e in base or []}
    for e in extra:
        by_key[key_of(e)] = e
    return list(by_key.values())
