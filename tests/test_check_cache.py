"""`omsgraph check` reuses a step only when nothing it depends on changed (omsgraph.checkcache)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from omsgraph import checkcache, resources
from omsgraph.check import fast_check
from omsgraph.checkcache import CheckCache, Step, build_key, digest, environment


def test_corrupted_cache_is_ignored_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "check.json"
    for garbage in ("{not json", '{"format": 1, "steps": {"build": {"key": 1}}}', "[]", '{"format": 99}'):
        path.write_text(garbage, encoding="utf-8")
        with caplog.at_level(logging.WARNING, logger="omsgraph.checkcache"):
            cache = CheckCache.load(path)
        assert cache.steps == {}
        assert "ignoring the check cache" in caplog.text
        caplog.clear()


def test_cache_round_trip_and_stale_key_never_reused(tmp_path: Path) -> None:
    cache = CheckCache(tmp_path / "check.json")
    cache.steps["shacl"] = Step("key-1", True, ["  SHACL       conforms"])
    cache.save()
    again = CheckCache.load(tmp_path / "check.json")
    assert again.reusable("shacl", "key-1") == cache.steps["shacl"]
    assert again.reusable("shacl", "key-2") is None  # an input changed
    assert again.reusable("questions", "key-1") is None  # never run


def test_deleted_or_edited_output_is_not_reused(tmp_path: Path) -> None:
    out = tmp_path / "ontology"
    out.mkdir()
    (out / "a.owl").write_bytes(b"release")
    cache = CheckCache(tmp_path / "check.json")
    cache.steps["build"] = Step("k", True, [], {"a.owl": checkcache.file_hash(out / "a.owl") or ""})
    assert cache.reusable("build", "k", out) is not None
    (out / "a.owl").write_bytes(b"edited by hand")
    assert cache.reusable("build", "k", out) is None
    (out / "a.owl").unlink()
    assert cache.reusable("build", "k", out) is None
    cache.steps["build"].outputs = {}
    assert cache.reusable("build", "k", out) is None  # a build that recorded no outputs proves nothing


def test_a_changed_row_changes_the_build_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    curation = tmp_path / "curation"
    shutil.copytree(resources.curation_dir(), curation)
    monkeypatch.setattr(resources, "curation_dir", lambda: curation)
    env = environment()
    before = build_key(env)
    assert build_key(env) == before  # deterministic
    table = curation / "assertions.tsv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("\t", "\t ", 1)  # one cell of one row, one character
    table.write_text("".join(lines), encoding="utf-8")
    assert build_key(env) != before
    table.rename(curation / "renamed.tsv")  # the same bytes under another name
    assert build_key(env) != before


def test_digest_depends_on_names_contents_and_strings(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("1")
    first = digest([tmp_path], "v1")
    assert digest([tmp_path], "v2") != first
    (tmp_path / "y").write_text("")
    assert digest([tmp_path], "v1") != first


@pytest.mark.slow
def test_check_reuses_unchanged_steps_and_rebuilds_a_deleted_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMSGRAPH_CACHE", str(tmp_path))
    first = fast_check(force=True)
    assert first.ran == ["build", "SHACL", "questions", "OWL API"] and not first.reused
    second = fast_check()
    assert second.ran == [] and second.reused == ["build", "SHACL", "questions", "OWL API"]
    assert second.ok == first.ok and second.summary().splitlines()[:-2] == first.summary().splitlines()[:-2]
    victim = resources.ontology_dir() / "omsgraph.nt"
    expected = victim.read_bytes()
    victim.unlink()
    third = fast_check()
    assert "build" in third.ran and victim.read_bytes() == expected
    assert "OWL API" in third.reused  # the rebuilt files are the same bytes: nothing downstream changed
