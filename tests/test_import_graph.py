"""One direction (issue 11, part 3): the law imports no flows and no pages, the flows
import no pages, and no module imports another that imports it back — not even
from inside a function, where a cycle hides until the function runs.

The graph is read from the source with `ast` (every `import`, at module level and
inside functions), between the modules of the project's packages below.
"""

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("review", "workflows", "desk", "portal", "accounts", "config", "notifications", "api")

# What may not import what (by top-level package).
FORBIDDEN = {
    # the law knows no flows, no pages and no notifications (they listen to its events)
    "review": {"workflows", "desk", "portal", "notifications", "api"},
    "workflows": {"desk", "portal", "notifications", "api"},  # the flows know no pages
    "notifications": {"desk", "portal", "accounts", "api"},  # told by signals, knows no pages
    "desk": {"portal", "accounts", "api"},  # nothing imports the pages, not even the other pages
    "portal": {"desk", "accounts", "api"},
    # The people pages hand a deactivated user's tasks over (workflows.people); no flow
    # imports a page back.
    "accounts": {"desk", "portal", "api"},
    "api": {"desk", "portal", "accounts"},  # the API reads the law as the pages do
}

# Imports inside a function that are allowed, each with its reason. An import that
# dodges a cycle is not a reason: break the cycle instead.
FUNCTION_IMPORTS = {
    ("review.reports", "review.reports.pdf"): (
        "reportlab is loaded when a PDF is built, not by every process that imports the "
        "list of outputs"
    ),
    ("review.reports", "review.reports.docx"): "python-docx is loaded when a DOCX is built",
    ("notifications.apps", "notifications.receivers"): (
        "the receivers import the models, which Django has loaded only when "
        "AppConfig.ready() runs (Django's documented place to connect signals)"
    ),
    ("accounts.apps", "accounts.security"): (
        "the security log's receivers import the models, which Django has loaded only when "
        "AppConfig.ready() runs (Django's documented place to connect signals)"
    ),
}


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def _modules():
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


class _Imports(ast.NodeVisitor):
    """(imported name, line, inside a function) of every import in a module."""

    def __init__(self, module, is_package):
        self.package = module if is_package else module.rpartition(".")[0]
        self.depth = 0
        self.found = []

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node):
        for alias in node.names:
            self.found.append((alias.name, None, node.lineno, self.depth > 0))

    def visit_ImportFrom(self, node):
        base = node.module or ""
        if node.level:
            parent = self.package.split(".")
            parent = parent[: len(parent) - (node.level - 1)]
            base = ".".join([*parent, base] if base else parent)
        for alias in node.names:
            self.found.append((base, alias.name, node.lineno, self.depth > 0))


def _target(modules, base, name):
    """The project module an import reaches: `from a import b` reaches the module a.b
    if there is one, else a; `import a.b` reaches a.b (or the nearest package)."""
    if name is not None and f"{base}.{name}" in modules:
        return f"{base}.{name}"
    while base and base not in modules:
        base = base.rpartition(".")[0]
    return base or None


def import_graph():
    """{module: [(imported module, line, inside a function)]} within the project."""
    modules = _modules()
    graph = {}
    for module, path in modules.items():
        visitor = _Imports(module, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        graph[module] = [
            (target, line, inside)
            for base, name, line, inside in visitor.found
            if (target := _target(modules, base, name)) not in (None, module)
        ]
    return graph


def _where(module, line):
    return f"{_modules()[module].relative_to(ROOT).as_posix()}:{line}"


def _package(module):
    return module.split(".", 1)[0]


def test_the_graph_sees_the_imports_it_must_judge():
    graph = import_graph()
    assert {"review.models", "workflows.flows", "desk.urls", "portal.views"} <= set(graph)
    assert "review.actions" in {target for target, _l, _f in graph["workflows.handlers"]}
    # an import inside a function is seen as such
    inner = {(target, inside) for target, _l, inside in graph["review.reports"]}
    assert ("review.reports.pdf", True) in inner


def test_the_law_imports_no_flows_and_no_pages_and_nothing_imports_the_pages():
    wrong = [
        f"{_where(module, line)} imports {target}"
        for module, edges in import_graph().items()
        for target, line, _inside in edges
        if _package(target) in FORBIDDEN.get(_package(module), ())
    ]
    assert wrong == []


def _reaches(graph, start, goal):
    """Whether `start` imports `goal`, directly or through other modules."""
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module == goal:
            return True
        if module not in seen:
            seen.add(module)
            todo.extend(target for target, _line, _inside in graph.get(module, ()))
    return False


def test_no_import_inside_a_function_reaches_a_project_module_without_a_reason():
    graph = import_graph()
    hidden = [
        f"{_where(module, line)} imports {target} inside a function"
        for module, edges in graph.items()
        for target, line, inside in edges
        if inside and (module, target) not in FUNCTION_IMPORTS
    ]
    assert hidden == []


def test_every_allowed_import_inside_a_function_is_still_there():
    inside = {
        (module, target)
        for module, edges in import_graph().items()
        for target, _line, is_inside in edges
        if is_inside
    }
    assert set(FUNCTION_IMPORTS) - inside == set()
    assert all(FUNCTION_IMPORTS.values())


def _cycles(graph):
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _describe(cycle, graph):
    return sorted(
        f"{_where(module, line)} imports {target}"
        for module in cycle
        for target, line, _inside in graph[module]
        if target in cycle
    )


def test_no_two_modules_import_each_other_even_inside_functions():
    graph = import_graph()
    simple = {module: {target for target, _l, _i in edges} for module, edges in graph.items()}
    assert [_describe(cycle, graph) for cycle in _cycles(simple)] == []


def test_the_cycle_check_would_catch_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset({"a", "b", "c"})]
    assert _cycles({"a": {"b"}, "b": set()}) == []
