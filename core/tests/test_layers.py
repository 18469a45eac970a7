"""The layers hold: no module imports one that imports it back, and core imports no app."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "accounts", "todos", "lists", "reminders", "calendars", "portability", "config")
APPS = ("accounts", "todos", "lists", "reminders", "calendars", "portability")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    """Every module of ours but the tests and migrations, by dotted name."""
    return {
        module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    }


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules a file imports, anywhere in it (a function's own imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            # ``from package import module`` imports the module; else the package.
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(path, modules) - {name} for name, path in modules.items()}


def test_no_module_imports_one_that_imports_it_back():
    graph = import_graph()
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        for imported in sorted(graph[module]):
            if imported in trail:
                cycles.append([*trail[trail.index(imported) :], imported])
            elif imported not in done:
                visit(imported, [*trail, imported])
        done.add(module)

    done: set[str] = set()
    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    assert cycles == []


def test_core_imports_no_app():
    graph = import_graph()
    assert {
        f"{module} -> {imported}"
        for module, imported_modules in graph.items()
        if module.startswith("core")
        for imported in imported_modules
        if imported.partition(".")[0] in APPS
    } == set()


def test_translation_is_on_only_when_a_string_is_marked_for_it(settings):
    """``USE_I18N`` costs a catalog per process; it is worth it only with strings to translate."""
    marks = ("gettext", "{% trans", "{% translate", "{% blocktrans", "{% blocktranslate")
    sources = [
        path
        for package in (*PACKAGES, "templates")
        for path in (ROOT / package).rglob("*")
        if path.suffix in {".py", ".html", ".txt"} and "tests" not in path.parts
    ]
    marked = [path for path in sources if any(mark in path.read_text() for mark in marks)]
    assert sources
    assert bool(marked) == settings.USE_I18N, marked
