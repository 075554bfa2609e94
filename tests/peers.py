"""Peer tools from Debian (Apache Jena, OWL API) for portability tests.

A test that needs a peer calls ``require(...)``: outside CI a missing peer skips the test with the
reason; under CI=true it fails, because .ci/run installs every peer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI") == "true"
JAVA_DIR = Path("/usr/share/java")
JENA_JARS = [
    "jena-base",
    "jena-core",
    "jena-arq",
    "jena-iri",
    "jena-shacl",
    "jena-shex",
    "jena-cmds",
    "jena-rdfconnection",
    "jena-tdb",
    "jena-tdb2",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "jakarta.json-api",
    "titanium-json-ld",
    "protobuf",
    "thrift",
    "slf4j-api",
    "slf4j-simple",
]


def require(available: bool, why: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"peer tool missing under CI: {why}; .ci/run must install it")
    pytest.skip(f"peer tool missing: {why} (CI installs it)")


def system_java() -> str | None:
    return shutil.which("java")


@cache
def _jena_overlay() -> Path:
    """Debian's Jena moved its shaded xerces classes to ``xerces.*`` but left their message files
    under ``org/apache/jena/ext/xerces``; every command dies at start-up without them. This jar puts
    copies where the classes look."""
    target = Path(os.environ.get("TMPDIR", "/tmp")) / f"omsgraph-jena-xerces-msgfix-{os.getuid()}.jar"
    if not target.is_file():
        prefix = "org/apache/jena/ext/xerces/"
        tmp = target.with_suffix(".tmp")
        with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as src, zipfile.ZipFile(tmp, "w") as out:
            for name in src.namelist():
                if name.startswith(prefix) and not name.endswith((".class", "/")):
                    out.writestr("xerces/" + name[len(prefix) :], src.read(name))
        tmp.replace(target)
    return target


def jena_classpath() -> str:
    """The classpath of Debian's Jena 4.5, with the start-up fix; requires the peer."""
    missing = [j for j in JENA_JARS if not (JAVA_DIR / f"{j}.jar").is_file()]
    require(
        not missing and system_java() is not None,
        f"Apache Jena (apt-get install libapache-jena-java) and Java; missing {missing[:3]}",
    )
    return ":".join([*(str(JAVA_DIR / f"{j}.jar") for j in JENA_JARS), str(_jena_overlay())])


def run_jena(main_class: str, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    java = system_java()
    assert java is not None
    return subprocess.run(
        [java, "-cp", jena_classpath(), main_class, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
