"""The shape of docs/architecture.md, enforced.

- the import contracts of pyproject.toml (`[tool.importlinter]`: layers, pure flow kernels,
  countries without sources, no cycle between siblings), run as `lint-imports` does;
- no import cycle between any two modules (grimp's graph, imports inside functions included);
- SQL against the store's views only in `store/`, `indicators/`, `checks/` and the source
  adapters (`sources/`): everywhere else asks `tmo.store.facts` or `tmo.store.evidence`;
- the module tree of docs/architecture.md names every package and top-level module, and
  only paths that exist.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest
import yaml

from tmo.frame import TABLES

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "tmo"
DOC = ROOT / "docs" / "architecture.md"
PYPROJECT = ROOT / "pyproject.toml"


def contracts() -> dict[str, dict]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {c["id"]: c for c in config["contracts"]}


def packages() -> list[Path]:
    """Every folder of src/tmo holding Python modules."""
    return sorted(d for d in [SRC, *SRC.rglob("*")]
                  if d.is_dir() and "__pycache__" not in d.parts and any(d.glob("*.py")))


# --- imports ----------------------------------------------------------------------------


def test_every_package_has_an_init():
    """A folder without `__init__.py` is a namespace package that the import graph
    (grimp, import-linter) does not see, so no contract would check it."""
    missing = [str(d.relative_to(ROOT)) for d in packages() if not (d / "__init__.py").exists()]
    assert not missing, f"add an __init__.py (a docstring line) to: {', '.join(missing)}"


def test_import_contracts():
    """`lint-imports`: layers, pure kernels, countries without sources, acyclic siblings."""
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(config_filename={str(PYPROJECT)!r}, no_cache=True, "
            "no_logo=True))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, check=False)
    report = (run.stdout + run.stderr).strip()
    assert run.returncode == 0, f"import contracts broken (see docs/architecture.md):\n{report}"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("tmo")


def test_no_import_cycle_between_modules(graph):
    """An import a -> b closes a cycle when b reaches a again. This also sees cycles through
    a package's `__init__`, which acyclic_siblings does not."""
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(imported, importer)
            if back:
                cycles.append(" -> ".join((importer, *back)))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_practices_queue_does_not_reach_the_catalog(graph):
    """The cycle fixed by `practices/curated.py`: the catalog reads the queue (published
    submissions), the queue reads only the curated records, never the catalog."""
    chain = graph.find_shortest_chain("tmo.practices.queue", "tmo.practices.catalog")
    assert chain is None, " -> ".join(chain)


def layer_modules() -> list[set[str]]:
    """The modules of each layer of the layers contract, highest first."""
    return [{f"tmo.{m.strip()}" for m in re.split(r"[|:]", layer)}
            for layer in contracts()["layers"]["layers"]]


def test_every_flows_module_is_a_kernel_or_glue(graph):
    """`tmo.flows` is split in the contracts: kernels on the floor of `countries` (and in
    the pure-kernels contract), glue above the store. A new module must take a side."""
    layers = layer_modules()
    floor = next(layer for layer in layers if "tmo.countries" in layer)
    above_store = set().union(*layers[:layers.index({"tmo.store"})])
    kernels = set(contracts()["pure-kernels"]["source_modules"]) - {"tmo.flows"}
    glue = {m for m in above_store if m.startswith("tmo.flows.")}
    assert kernels == {m for m in floor if m.startswith("tmo.flows.")}
    unplaced = sorted(graph.find_children("tmo.flows") - kernels - glue)
    assert not unplaced, (f"put {unplaced} in pyproject.toml's contracts: a kernel (pure-kernels "
                          "and the floor of countries) or glue (above store)")


def test_adapters_named_in_the_catalog_are_source_modules():
    """`sources/catalog.yaml` names each adapter as text (`module:function`), imported with
    importlib: an import the graph cannot see, so checked here."""
    catalog = yaml.safe_load((SRC / "sources" / "catalog.yaml").read_text(encoding="utf-8"))
    readers = {e["reader"] for entry in catalog.values() for e in entry["editions"]}
    outside = sorted(r for r in readers if not r.startswith("tmo.sources."))
    assert readers
    assert not outside, f"adapters outside tmo.sources: {outside}"


# --- SQL against the store --------------------------------------------------------------

# Where SQL against the store's views (and base tables, while building) may be written.
SQL_HOMES = ("store", "indicators", "checks", "sources")
VIEWS = "|".join(sorted(TABLES, key=len, reverse=True))
TARGET = rf'(?:"?base"?\s*\.\s*)?"?(?:{VIEWS})\b'
# A literal that is a statement (or a FROM clause) naming a view: wherever it is written.
STATEMENT = re.compile(
    r"^(?=\s*(?:SELECT|WITH|FROM|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|DESCRIBE"
    r"|SUMMARIZE|PIVOT)\b)"
    rf".*?\b(?:FROM|JOIN|INTO|UPDATE|TABLE|VIEW|DESCRIBE|SUMMARIZE)\s+{TARGET}",
    re.DOTALL)
# Any literal handed to an execute-like call that names a view after an SQL keyword.
EXECUTED = re.compile(rf"\b(?:from|join|into|update|table|view|describe|summarize)\s+{TARGET}",
                      re.IGNORECASE)
EXECUTE_CALLS = {"execute", "executemany", "sql", "query", "read_sql", "read_sql_query"}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _text(node: ast.expr) -> str | None:
    """A string literal's text; an f-string's constant parts, `{}` for each field."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}"
                       for v in node.values)
    return None


def _literals(root: ast.AST, skip: set[int], pattern: re.Pattern[str]) -> set[tuple[int, str]]:
    """(line, text) of the string literals under `root` that match `pattern`."""
    found = set()
    for node in ast.walk(root):
        if isinstance(node, ast.expr) and id(node) not in skip:
            text = _text(node)
            if text is not None and pattern.search(text):
                found.add((node.lineno, " ".join(text.split())[:80]))
    return found


def _executions(tree: ast.AST) -> Iterator[ast.expr]:
    """The arguments of every execute-like call (`con.execute(...)`, `duckdb.sql(...)`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in EXECUTE_CALLS:
                yield from node.args
                yield from (k.value for k in node.keywords)


def store_sql(source: str) -> list[tuple[int, str]]:
    """(line, statement) of the SQL against the store's views in a module's source."""
    tree = ast.parse(source)
    # docstrings, and the parts of f-strings (an f-string is read whole)
    skip = _docstrings(tree) | {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)
                                for v in n.values}
    found = _literals(tree, skip, STATEMENT)
    for arg in _executions(tree):
        found |= _literals(arg, skip, EXECUTED)
    return sorted(found)


def test_the_sql_rule_finds_store_sql_and_spares_sqlite():
    bad = '''
def f(con, cur, t):
    con.execute("SELECT year FROM destination_stock WHERE revision = ?", ["2024"])
    q = f"""SELECT origin, sum(stock) FROM migrant_stock
            WHERE year = {t} GROUP BY origin"""
    cur.sql("select * from base.countries")
    return duckdb.query(f"DESCRIBE {t}"), con.execute('FROM "migration_flows" LIMIT 1')
'''
    assert [line for line, _ in store_sql(bad)] == [3, 4, 6, 7]
    sqlite = '''
"""FROM migrant_stock: a docstring may name the views."""
def g(db, where):
    db.execute("CREATE TABLE IF NOT EXISTS submission (id TEXT)")
    db.execute(f"SELECT id FROM submission {where} ORDER BY id")
    db.execute("SELECT id, -1 FROM practice_fts WHERE practice_fts MATCH ?", ("q",))
    help = "the rows of the countries view; see tmo sql"
'''
    assert store_sql(sqlite) == []
    # the rule sees the real statements where they belong
    assert store_sql((SRC / "store" / "facts.py").read_text(encoding="utf-8"))


def test_sql_against_the_store_only_where_it_belongs():
    """web/, cli/, profiles/, practices/ (its SQLite queue and index are not the store),
    flows/, pipeline.py and the ground floor ask `tmo.store.facts` / `tmo.store.evidence`."""
    offences = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] in SQL_HOMES:
            continue
        for line, statement in store_sql(path.read_text(encoding="utf-8")):
            offences.append(f"src/tmo/{rel}:{line}: {statement}")
    assert not offences, ("SQL against the store's views outside store/, indicators/, "
                          "checks/, sources/ (add a named query to tmo.store.facts):\n"
                          + "\n".join(offences))


# --- the document -----------------------------------------------------------------------


def tree_paths() -> list[str]:
    """The first word of each line of the module tree block in docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"## Module tree.*?```\n(.*?)```", text, re.DOTALL)
    assert block, "docs/architecture.md has a '## Module tree' section with a code block"
    return [line.split()[0] for line in block.group(1).splitlines() if line.strip()]


def test_module_tree_names_every_package_and_top_level_module():
    named = set(tree_paths())
    wanted = [f"{d.relative_to(SRC)}/" for d in packages() if d != SRC]
    wanted += [p.name for p in SRC.glob("*.py")]
    missing = sorted(set(wanted) - named)
    assert not missing, f"docs/architecture.md's module tree does not name: {missing}"


def test_module_tree_names_only_what_exists():
    stale = [p for p in tree_paths() if p != "src/tmo/" and not (SRC / p).exists()]
    assert not stale, f"docs/architecture.md's module tree names missing paths: {stale}"


def test_layers_in_the_document_are_the_contract():
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"## Layers.*?```\n(.*?)```", text, re.DOTALL)
    assert block, "docs/architecture.md has a '## Layers' section with a code block"
    written = [line.strip() for line in block.group(1).splitlines() if line.strip()]
    assert written == contracts()["layers"]["layers"], (
        "the layers of docs/architecture.md differ from pyproject.toml's layers contract")
