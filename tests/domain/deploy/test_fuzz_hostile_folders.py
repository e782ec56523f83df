"""Issue 14: hostile folders (links, special files, odd names, encodings, sizes) deployed over loopback.

Whatever the folder, the Space ends up holding exactly the bytes the scan read, and no generated
secret (inside the folder or behind a link out of it) ever reaches the emulator.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import os
import random
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.domain.secret_samples import KINDS, line_for
from tui.domain.errors import UsageError
from tui.domain.scaffold import ScaffoldOptions, write_scaffold
from tui.domain.upload_set import collect_upload_set

_COUNTER = itertools.count()
SAFE_CHARS = "abcXYZ019 ._-é漢"
ODD_CHARS = SAFE_CHARS + "\n\r\t\\\x1b"
ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "latin-1")

entry = st.fixed_dictionaries(
    {
        # Mostly names a Space can hold, sometimes one that could fake a review line.
        "name": st.one_of(
            st.text(SAFE_CHARS, min_size=1, max_size=12),
            st.text(SAFE_CHARS, min_size=1, max_size=12),
            st.text(SAFE_CHARS, min_size=1, max_size=12),
            st.text(ODD_CHARS, min_size=1, max_size=12),
        ).filter(lambda n: n not in (".", "..") and "/" not in n),
        "kind": st.sampled_from(
            ("text", "text", "binary", "secret", "link_out", "link_in", "proc", "devzero", "fifo")
        ),
        "encoding": st.sampled_from(ENCODINGS),
        "size": st.sampled_from((0, 1, 100, 4096, 1_100_000)),
        "subdir": st.booleans(),
        "seed": st.integers(0, 2**16),
    }
)


def _build(folder: Path, outside: Path, entries: list[dict]) -> list[str]:
    """Write the hostile entries; returns every secret planted (inside or outside the folder)."""
    secrets: list[str] = []
    for spec in entries:
        rng = random.Random(spec["seed"])
        parent = folder / "sub" if spec["subdir"] else folder
        parent.mkdir(exist_ok=True)
        path = parent / spec["name"]
        if os.path.lexists(path) or path.name in ("README.md", "Dockerfile", ".hfignore"):
            continue
        kind = spec["kind"]
        if kind in ("text", "binary", "secret"):
            body = "x" * spec["size"] if kind == "text" else ""
            if kind == "secret":
                secret_kind = rng.choice(list(KINDS))
                value = KINDS[secret_kind][0](rng)
                secrets.append(value)
                body = "pad " * (spec["size"] // 4) + "\n" + line_for(secret_kind, value, rng)
                if secret_kind == "password":
                    path = path.with_name(path.name + ".py")  # assignments count in code
            encoded = body.encode(spec["encoding"], "replace")
            data = os.urandom(spec["size"]) if kind == "binary" else encoded
            path.write_bytes(data)
        elif kind == "link_out":
            value = KINDS["hf_"][0](rng)
            secrets.append(value)
            target = outside / f"secret{next(_COUNTER)}.txt"
            target.write_text(f"machine hub password {value}\n")
            path.symlink_to(target)
        elif kind == "link_in":
            path.symlink_to(folder / "Dockerfile")
        elif kind == "proc":
            path.symlink_to("/proc/self/environ")
        elif kind == "devzero":
            path.symlink_to("/dev/zero")
        elif kind == "fifo":
            os.mkfifo(path)
    return secrets


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entries=st.lists(entry, min_size=1, max_size=6))
def test_hostile_folders_upload_exactly_what_was_scanned(
    emulator, deploy, tmp_path: Path, entries: list[dict]
) -> None:
    n = next(_COUNTER)
    folder = tmp_path / f"space{n}"
    outside = tmp_path / f"outside{n}"
    outside.mkdir()
    write_scaffold(folder, ScaffoldOptions(title="App"))
    secrets = _build(folder, outside, entries)
    space_id = f"alice/fuzz{n}"

    try:
        scanned = collect_upload_set(folder)
    except UsageError:
        scanned = None
    try:
        result = asyncio.run(deploy(folder, space_id, create=True, follow=False))
    except UsageError as exc:
        event("refused before anything (a name)")
        assert "\n" not in exc.message and "\r" not in exc.message
        assert emulator.state.get_space(space_id) is None
        return

    assert scanned is not None
    event(f"deploy outcome: {result.outcome}")
    space = emulator.state.get_space(space_id)
    remote = {} if space is None else {p: b.data for p, b in space.files().items()}
    remote.pop(".gitattributes", None)
    for path, data in remote.items():
        upload = scanned.get(path)
        assert upload is not None, path
        assert hashlib.sha256(data).hexdigest() == upload.sha256, path
    for value in secrets:
        assert all(value.encode() not in data for data in remote.values()), "a secret was uploaded"
        assert value not in result.message
    environ = Path("/proc/self/environ").read_bytes()
    assert all(environ not in data for data in remote.values() if environ)
    if result.ok:
        assert set(remote) == set(scanned.paths())
