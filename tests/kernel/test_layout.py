"""The layout holds: the dependency rule of CONTRIBUTING.md (.importlinter), every module
importable on its own, no part reaching into another's views or private helpers."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "unscar"


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _part(module: str) -> str | None:
    """The part a module belongs to (unscar.reviews.blind → reviews); None for the kernel
    and the factory's modules at the top of the package."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 2 or (PACKAGE / pieces[-1]).is_dir() else None


def test_the_arrows_between_parts_point_down_the_layers():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--config", str(ROOT / ".importlinter"), "--no-cache"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    # One interpreter, unscar.* forgotten before each import: an import that works only
    # after another module happened to be imported first fails here.
    script = f"""
import importlib, sys, traceback
failed = []
for name in {_modules()!r}:
    for loaded in [m for m in sys.modules if m == "unscar" or m.startswith("unscar.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name + ": " + traceback.format_exc(limit=-3))
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def _imports(path: Path, module: str):
    """(imported module, names) of every `from ... import ...` in the file, resolved."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, [alias.name for alias in node.names]


def _wrong_imports(path: Path, module: str) -> list[str]:
    own = _part(module)
    if own is None:
        return []  # the factory knows every blueprint
    wrong = []
    for target, names in _imports(path, module):
        other = _part(target) if target.startswith("unscar.") else None
        if other is None or other == own:
            continue
        if target.endswith(".views") or "views" in names:
            wrong.append(f"{module} imports the views of {target}")
        wrong += [f"{module} imports the private {target}.{name}" for name in names if name.startswith("_")]
    return wrong


def test_no_part_imports_another_parts_views_or_private_helpers():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        wrong += _wrong_imports(path, ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
    assert not wrong, "\n".join(wrong)


def test_the_check_catches_views_and_private_helpers_of_another_part(tmp_path):
    source = tmp_path / "pages.py"
    source.write_text("from ..accounts.views import bp\nfrom ..proposals.services import _require_own, submit\n"
                      "from .views import bp as own\nfrom ..money import parse_money\n")
    assert _wrong_imports(source, "unscar.screening.pages") == [
        "unscar.screening.pages imports the views of unscar.accounts.views",
        "unscar.screening.pages imports the private unscar.proposals.services._require_own"]


def test_no_two_classes_share_a_name():
    # A name read in a traceback or an import finds one class (a review's recommendation
    # and the recommendation's result were both "Recommendation").
    seen: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                seen.setdefault(node.name, []).append(str(path.relative_to(ROOT)))
    assert not {name: paths for name, paths in seen.items() if len(paths) > 1}
