"""The import graph of convene/: apps import only those below them, and no module
imports itself back through others (a cycle between files).

Read from the source text (every import statement, also those inside functions), so a
new import that breaks the layering fails here before it works by accident at run time.
"""

import ast
import pathlib

import pytest

SOURCE = pathlib.Path(__file__).resolve().parent.parent / "convene"

# Lowest first: an app may import the apps before it, never those after it. Apps on the
# same rung are not ordered and may not import each other.
LAYERS = (
    ("core",),
    ("dialogues",),
    ("meetings",),
    ("registrations",),
    ("onsite",),
    ("labels",),
    ("practices",),
    ("reports", "api"),
)
RUNG = {app: rung for rung, apps in enumerate(LAYERS) for app in apps}


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, pathlib.Path]:
    return {
        _module_name(path): path
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.relative_to(SOURCE).parts
    }


def _imported(node, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1])
        target = f"{base}.{node.module}" if node.module else base
    else:
        target = node.module
    # "from package import module" names a module too.
    return [target, *(f"{target}.{alias.name}" for alias in node.names)]


def import_graph(modules: dict[str, pathlib.Path]) -> dict[str, set[str]]:
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        graph[module] = {
            target
            for node in ast.walk(tree)
            for target in _imported(node, module, is_package)
            if target in modules and target != module
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(component)

    for module in graph:
        if module not in index:
            visit(module)
    return found


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


@pytest.fixture(scope="module")
def graph():
    return import_graph(_modules())


def test_every_app_has_its_rung():
    apps = {path.parent.name for path in SOURCE.glob("*/apps.py")}
    assert apps == set(RUNG)


def test_apps_import_only_apps_below_them(graph):
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if _app(module) != _app(target) and RUNG[_app(target)] >= RUNG[_app(module)]
    )
    assert upward == []


def test_no_import_cycle_between_modules(graph):
    assert cycles(graph) == []


def test_cycles_finds_a_cycle_and_only_it():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [{"a", "b", "c"}]


def test_import_graph_reads_relative_and_function_local_imports(tmp_path):
    package = tmp_path / "convene" / "things"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("")
    (package / "enums.py").write_text("")
    (package / "services.py").write_text(
        "from .models import Thing\n\ndef make():\n    from convene.things import enums\n"
    )
    modules = {
        f"convene.things.{name}": package / f"{name}.py" for name in ("models", "enums", "services")
    }
    assert import_graph(modules)["convene.things.services"] == {
        "convene.things.models",
        "convene.things.enums",
    }
