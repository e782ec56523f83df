"""What the app writes when it starts, read from its Python source (AST, never executed).

Only writes that happen at import time count: module-level statements of the entry file and
of the local modules it imports (transitively), plus the body of `if __name__ == "__main__"`
in the entry file. A write inside a function body happens later, if ever, so it is left out:
the checks built on this must be sure before they say "the app cannot start".
"""

from __future__ import annotations

import ast
import posixpath
import warnings
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass

_MAX_FILES = 60
_MKDIR = frozenset({"makedirs", "mkdir"})
_HF_LOADERS = frozenset(
    {
        "pipeline",
        "from_pretrained",
        "SentenceTransformer",
        "hf_hub_download",
        "snapshot_download",
        "load_model",
        "CrossEncoder",
    }
)
_WRITE_MODES = ("w", "a", "x")


@dataclass(frozen=True)
class Write:
    """One write the app does at start: `target` is relative to the working directory unless it
    starts with `/`; kind `hf-cache` means a model download into the Hugging Face cache."""

    kind: str  # "dir", "file", "sqlite", "hf-cache"; "read" for start_reads
    target: str
    file: str
    line: int


def _literal(node: ast.AST | None, consts: dict[str, str] | None = None) -> str | None:
    """The string value of `node` when it is certain: a literal, `Path("x")`, a module-level
    string constant, or an f-string made only of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and consts is not None:
        return consts.get(node.id)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            inner = value.value if isinstance(value, ast.FormattedValue) else value
            if isinstance(value, ast.FormattedValue) and (
                value.format_spec or value.conversion > 0
            ):
                return None
            text = _literal(inner, consts)
            if text is None:
                return None
            parts.append(text)
        return "".join(parts)
    if isinstance(node, ast.Call) and _name(node.func) == "Path" and node.args:
        return _literal(node.args[0], consts)  # Path("data")
    return None


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"` (and f-strings of those), in order."""
    consts: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                value = _literal(node.value, consts)
                if value is not None:
                    consts[target.id] = value
                else:
                    consts.pop(target.id, None)
    return consts


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _has_keyword(call: ast.Call, *names: str) -> bool:
    return any(k.arg in names for k in call.keywords)


def _call_write(call: ast.Call, path: str, consts: dict[str, str]) -> Write | None:
    """The write a single call does, when its target is a literal."""
    name = _name(call.func)
    line = call.lineno
    if name in _MKDIR:
        if isinstance(call.func, ast.Attribute) and name == "mkdir" and not call.args:
            target = _literal(call.func.value, consts)  # Path("x").mkdir()
        else:
            target = _literal(call.args[0], consts) if call.args else None
        return Write("dir", target, path, line) if target else None
    if name == "connect" and call.args:
        target = _literal(call.args[0], consts)
        if target and target != ":memory:" and isinstance(call.func, ast.Attribute):
            owner = call.func.value
            if isinstance(owner, ast.Name) and owner.id in ("sqlite3", "sqlite"):
                return Write("sqlite", target, path, line)
    if name == "create_engine" and call.args:
        url = _literal(call.args[0], consts) or ""
        if url.startswith("sqlite:///") and ":memory:" not in url:
            return Write("sqlite", url[len("sqlite:///") :], path, line)
    if name == "open" and isinstance(call.func, ast.Name) and len(call.args) >= 2:
        target, mode = _literal(call.args[0], consts), _literal(call.args[1], consts)
        if target and mode and any(m in mode for m in _WRITE_MODES):
            return Write("file", target, path, line)
    if name in _HF_LOADERS and not _has_keyword(
        call, "cache_dir", "cache_folder", "local_dir", "download_root"
    ):
        if name == "load_model" and not (
            isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "whisper"
        ):
            return None
        first = _literal(call.args[0], consts) if call.args else None
        if first is not None and first.startswith(("/", "./", "../")):
            return None  # a local model folder: nothing is downloaded
        return Write("hf-cache", "", path, line)
    return None


def _top_level_calls(tree: ast.Module, main: bool) -> Iterator[ast.Call]:
    """Calls that run at import (and in `__main__` blocks when `main`), not inside defs."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name)
            and node.test.left.id == "__name__"
            and not main
        ):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _imports(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """(module, level) of every import, at any depth (an import in a function still loads it
    later, but its module-level code is what we read, so we follow it only from module level)."""
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            yield base, node.level
            for alias in node.names:
                yield (f"{base}.{alias.name}" if base else alias.name), node.level


def _start_calls(
    entry: str, files: Container[str], read: Callable[[str], str | None]
) -> Iterator[tuple[str, ast.Call, dict[str, str]]]:
    """(file, call, module constants) for every call that runs at start: module level of the entry file and of
    the local modules it imports, transitively."""
    root = posixpath.dirname(entry)
    todo = [(entry, True)]
    seen: set[str] = set()
    while todo and len(seen) < _MAX_FILES:
        path, main = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        text = read(path)
        if not text:
            continue
        try:
            with warnings.catch_warnings():  # invalid escapes in the app are not our message
                warnings.simplefilter("ignore")
                tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError):
            continue
        consts = _constants(tree)
        for call in sorted(_top_level_calls(tree, main), key=lambda c: (c.lineno, c.col_offset)):
            yield path, call, consts
        here = posixpath.dirname(path)
        for module, level in _imports(tree):
            base = here if level else root
            for _ in range(max(level - 1, 0)):
                base = posixpath.dirname(base)
            rel = posixpath.join(base, *module.split(".")) if module else base
            for candidate in (f"{rel}.py", f"{rel}/__init__.py"):
                if candidate in files and candidate not in seen:
                    todo.append((candidate, False))
            # importing a.b.c runs a/__init__.py and a/b/__init__.py first
            parts = module.split(".")[:-1] if module else []
            for i in range(1, len(parts) + 1):
                init = posixpath.join(base, *parts[:i], "__init__.py")
                if init in files and init not in seen:
                    todo.append((init, False))


#: Variables an app may set itself (os.environ[...] = …) to move the model cache.
_CACHE_VARS = (
    "HF_HOME",
    "HF_HUB_CACHE",
    "HUGGINGFACE_HUB_CACHE",
    "TRANSFORMERS_CACHE",
    "SENTENCE_TRANSFORMERS_HOME",
    "XDG_CACHE_HOME",
    "TORCH_HOME",
    "HOME",
)


def start_writes(
    entry: str, files: Container[str], read: Callable[[str], str | None]
) -> list[Write]:
    """Writes done at start by the app whose entry file is `entry` (an upload-set path)."""
    calls = list(_start_calls(entry, files, read))
    found = [_call_write(c, path, k) for path, c, k in calls]
    writes = [w for w in found if w is not None]
    sources = "".join(read(p) or "" for p in {path for path, _, _ in calls})
    if any(var in sources for var in _CACHE_VARS):
        # The app may point its cache somewhere writable before loading: not sure any more.
        writes = [w for w in writes if w.kind != "hf-cache"]
    return writes


_READERS = frozenset(
    {"read_csv", "read_parquet", "read_excel", "read_json", "read_pickle", "read_feather"}
)
_LOADERS = frozenset({"joblib", "np", "numpy", "torch", "pickle"})


def _call_read(call: ast.Call, path: str, consts: dict[str, str]) -> Write | None:
    """A read of a literal local path: open(p) for reading, pd.read_csv(p), joblib.load(p)…"""
    name = _name(call.func)
    target = _literal(call.args[0], consts) if call.args else None
    if not target or "://" in target or target.startswith("/"):
        return None
    if name == "open" and isinstance(call.func, ast.Name):
        mode = _literal(call.args[1], consts) if len(call.args) > 1 else "r"
        if mode is not None and any(m in mode for m in _WRITE_MODES):
            return None
        return Write("read", target, path, call.lineno)
    if name in _READERS:
        return Write("read", target, path, call.lineno)
    if (
        name == "load"
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id in _LOADERS
    ):
        return Write("read", target, path, call.lineno)
    return None


#: Words that mean a file may be fetched or made at start before it is read.
_MAKERS = (
    "download",
    "urlretrieve",
    "gdown",
    "wget",
    "curl",
    "subprocess",
    "os.system",
    "dump(",
    ".save(",
    "to_pickle",
    "to_csv",
    "write",
)


def start_reads(
    entry: str, files: Container[str], read: Callable[[str], str | None]
) -> list[Write]:
    """Local files the app reads at start (literal paths, relative to its working directory).

    A file whose module may also fetch or write something (a download, a subprocess, a dump)
    is left out: it may exist by the time it is read.
    """
    out = []
    for path, call, consts in _start_calls(entry, files, read):
        found = _call_read(call, path, consts)
        if found is None or any(word in (read(path) or "") for word in _MAKERS):
            continue
        out.append(found)
    return out
