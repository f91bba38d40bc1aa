"""Rooms a newcomer can read (issue 11, part 4): no module of the application above
600 lines, no function or method above 80, counted from its `def` line to its last."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("review", "workflows", "desk", "portal")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _modules():
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def _functions(tree, prefix=""):
    """(qualified name, lines from def to end) of every function and method, nested too."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + node.name
            yield name, node.end_lineno - node.lineno + 1
            yield from _functions(node, name + ".")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, prefix + node.name + ".")
        else:
            yield from _functions(node, prefix)


def _over_the_limits():
    found = {}
    for name, text in _modules():
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            found[name] = lines
        for function, length in _functions(ast.parse(text, filename=name)):
            if length > MAX_FUNCTION_LINES:
                found[f"{name}::{function}"] = length
    return found


def test_no_module_is_above_600_lines_and_no_function_above_80():
    assert _over_the_limits() == {}


def test_the_size_check_counts_a_function_from_its_def_to_its_last_line():
    source = "class A:\n    @property\n    def f(self):\n        x = 1\n\n        return x\n"
    assert dict(_functions(ast.parse(source))) == {"A.f": 4}
