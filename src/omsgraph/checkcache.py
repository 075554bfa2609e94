"""What ``omsgraph check`` may reuse: content hashes of each step's inputs, and what the step found.

Each step of the check has a *key*, a SHA-256 over everything its result depends on:

- ``build`` (generate, reason, serialise): the edit file, every curated table, the verified-identifier
  table, the vendored HPO text extract, omsgraph's own code and the versions of the installed packages
  (hpo3's version stands for the HPO release it bundles);
- ``shacl``, ``questions``, ``owlapi``: the release files on disk, plus the shapes, the queries, the
  code and the package versions.

The cache (``check.json`` in omsgraph's cache folder) records each step's key, its summary lines and
its verdict, and for ``build`` the hash of every release file it wrote. The build is reused only when
its key is unchanged **and** every release file on disk still has the hash that build produced, which
proves the committed files match their sources without rebuilding them (the build is deterministic).
A cache that cannot be read is ignored with a warning; a missing or edited output file, or any changed
input byte, runs the step again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import resources

log = logging.getLogger(__name__)
FORMAT = 1
CACHE_FILE = "check.json"


def _update_with_files(h: Any, paths: Iterable[Path], root: Path | None = None) -> None:
    for path in sorted(paths):
        if path.is_dir():
            _update_with_files(h, (p for p in path.rglob("*") if p.is_file()), root or path)
            continue
        name = str(path.relative_to(root)) if root and path.is_relative_to(root) else path.name
        h.update(name.encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"(missing)")


def digest(*parts: Iterable[Path] | str) -> str:
    """SHA-256 over files (their names and contents; folders recursively) and strings."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            h.update(b"s" + part.encode("utf-8") + b"\0")
        else:
            h.update(b"f")
            _update_with_files(h, list(part))
    return h.hexdigest()


def file_hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def environment() -> str:
    """omsgraph's code and the versions of every installed distribution (and Python's)."""
    code = Path(__file__).parent
    # the installed distributions' folder names say name and version; reading each one's metadata
    # would cost half a second
    folders = {str(Path(entry).resolve()) for entry in sys.path if entry and Path(entry).is_dir()}
    packages = sorted(p.name for folder in folders for p in Path(folder).glob("*.dist-info"))
    return digest(list(code.rglob("*.py")), sys.version, *packages)


def build_key(env: str) -> str:
    return digest(
        [resources.edit_file(), resources.curation_dir(), resources.reference_ids(), resources.hpo_text()],
        env,
    )


@dataclass
class Step:
    key: str
    ok: bool
    lines: list[str]
    outputs: dict[str, str] = field(default_factory=dict)  # release file -> SHA-256 (build only)


@dataclass
class CheckCache:
    path: Path
    steps: dict[str, Step] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> CheckCache:
        """The cache at ``path``; an empty one (with a warning) when it is absent or unreadable."""
        cache = cls(path)
        if not path.is_file():
            return cache
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            if payload.get("format") != FORMAT:
                raise ValueError(f"format {payload.get('format')!r}, expected {FORMAT}")
            for name, step in payload["steps"].items():
                cache.steps[str(name)] = Step(
                    key=str(step["key"]),
                    ok=bool(step["ok"]),
                    lines=[str(line) for line in step["lines"]],
                    outputs={str(k): str(v) for k, v in step.get("outputs", {}).items()},
                )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("ignoring the check cache %s: it cannot be read (%s); running every step", path, exc)
            return cls(path)
        return cache

    def reusable(self, name: str, key: str, folder: Path | None = None) -> Step | None:
        """The cached step when its key matches (and, for build, every output file is unchanged)."""
        step = self.steps.get(name)
        if step is None or step.key != key:
            return None
        if folder is not None:
            if not step.outputs:
                return None
            for file, sha in step.outputs.items():
                if file_hash(folder / file) != sha:
                    return None
        return step

    def save(self) -> None:
        from .serialize import write_atomic

        payload = {
            "format": FORMAT,
            "steps": {
                name: {"key": s.key, "ok": s.ok, "lines": s.lines, "outputs": s.outputs}
                for name, s in sorted(self.steps.items())
            },
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode("utf-8"))
        except OSError as exc:  # a read-only cache folder slows the next check, nothing more
            log.warning("cannot write the check cache %s: %s", self.path, exc)
