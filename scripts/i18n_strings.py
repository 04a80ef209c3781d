"""List the Dutch source strings in plekken's Python code and templates.

    python scripts/i18n_strings.py            # strings without an English translation
    python scripts/i18n_strings.py --all      # every string

Used by tests/test_i18n.py to keep the English catalogue complete.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "plekken"
TEMPLATE_CALL = re.compile(r"""_\(\s*(["'])(.+?)\1""", re.S)
GETTEXT_NAMES = {"gettext", "_", "_t"}


def python_strings(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT_NAMES:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def template_strings(path: Path) -> set[str]:
    return {match.group(2) for match in TEMPLATE_CALL.finditer(path.read_text(encoding="utf-8"))}


def all_strings() -> set[str]:
    strings: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "static" not in path.parts:
            strings |= python_strings(path)
    for path in (PACKAGE / "templates").rglob("*.html"):
        strings |= template_strings(path)
    return strings


def untranslated() -> set[str]:
    catalog: dict[str, str] = {}
    for path in (PACKAGE / "translations").glob("*.json"):
        if path.name != "js_messages.json":
            catalog.update(json.loads(path.read_text(encoding="utf-8")))
    return {text for text in all_strings() if text not in catalog}


if __name__ == "__main__":
    for text in sorted(all_strings() if "--all" in sys.argv else untranslated()):
        print(json.dumps(text, ensure_ascii=False))
