"""DOCKER018 reads a Go server's port, on the real Go Space of the corpus and close neighbours.

`caidaoli__jetbrainsai2api` builds a gin server (`r.Run(":" + port)`, `port :=
os.Getenv("PORT")` with a "7860" default, `ENV PORT=7860`) and runs pprof on localhost:6060 in
a goroutine. The neighbours are copies of that real folder with one line changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.domain.checks.real_spaces import CORPUS
from tui.domain.checks.docker_common import end_state, load
from tui.domain.checks.engine import build_context, run_checks
from tui.domain.checks.go_listen import GoListen, go_listens
from tui.domain.upload_set import collect_upload_set

REAL = CORPUS / "caidaoli__jetbrainsai2api"


def _copy(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """The real folder with `old` replaced by `new` in each named file (the edit must apply)."""
    root = tmp_path / "space"
    shutil.copytree(REAL, root)
    for name, (old, new) in edits.items():
        text = (root / name).read_text(encoding="utf-8")
        assert old in text, (name, old)
        (root / name).write_text(text.replace(old, new), encoding="utf-8")
    return root


def _port18(root: Path) -> list[tuple[str, str]]:
    return [(f.severity.value, f.message) for f in run_checks(root).findings if f.id == "DOCKER018"]


def test_the_real_gin_server_is_read_and_its_pprof_goroutine_is_not_the_app() -> None:
    ctx = build_context(REAL, collect_upload_set(REAL))
    df = load(ctx)
    assert df is not None and df.final_stage is not None
    env = end_state(df, df.final_stage).env
    assert go_listens(ctx, df, "./jetbrainsai2api", env) == [
        GoListen("0.0.0.0", 7860, True, "main.go")
    ]
    assert _port18(REAL) == []  # before: "Could not tell which host and port …" (info)


def test_env_port_other_than_app_port_is_an_error(tmp_path: Path) -> None:
    root = _copy(tmp_path, {"Dockerfile": ("ENV PORT=7860", "ENV PORT=8080")})
    found = _port18(root)
    assert [sev for sev, _ in found] == ["error"]
    assert "the Go server (in main.go) listens on port 8080 while app_port is 7860" in found[0][1]


def test_only_the_default_of_an_unset_port_is_a_warning(tmp_path: Path) -> None:
    root = _copy(
        tmp_path,
        {"Dockerfile": ("ENV PORT=7860\n", ""), "main.go": ('port = "7860"', 'port = "8080"')},
    )
    assert [sev for sev, _ in _port18(root)] == ["warning"]


def test_the_default_matching_app_port_is_fine(tmp_path: Path) -> None:
    assert _port18(_copy(tmp_path, {"Dockerfile": ("ENV PORT=7860\n", "")})) == []


def test_a_literal_address_is_read(tmp_path: Path) -> None:
    root = _copy(tmp_path, {"main.go": ('r.Run(":" + port)', 'r.Run("127.0.0.1:7860")')})
    found = _port18(root)
    assert [sev for sev, _ in found] == ["error"] and "host 127.0.0.1" in found[0][1]


def test_an_address_we_cannot_read_is_not_a_guess(tmp_path: Path) -> None:
    root = _copy(tmp_path, {"main.go": ('r.Run(":" + port)', "r.Run(cfg.Addr())")})
    assert [sev for sev, _ in _port18(root)] == ["info"]


def test_a_foreground_pprof_on_loopback_is_read(tmp_path: Path) -> None:
    """Moved out of its goroutine, the localhost listener is the foreground one: not reachable."""
    root = _copy(
        tmp_path,
        {"main.go": ('r.Run(":" + port)', 'http.ListenAndServe("localhost:7860", r)')},
    )
    found = _port18(root)
    assert [sev for sev, _ in found] == ["error"] and "localhost" in found[0][1]


def test_a_go_build_without_o_is_not_read_for_an_interpreter_cmd(tmp_path: Path) -> None:
    """A Space whose CMD runs python, with a lone `go build .` (a helper), is not read as Go."""
    root = _copy(
        tmp_path,
        {
            "Dockerfile": ("-o jetbrainsai2api .", "."),
            "main.go": ('port = "7860"', 'port = "9000"'),
        },
    )
    text = (root / "Dockerfile").read_text(encoding="utf-8")
    (root / "Dockerfile").write_text(
        text.replace('CMD ["./jetbrainsai2api"]', 'CMD ["python", "serve.py"]'), encoding="utf-8"
    )
    (root / "Dockerfile").write_text(
        (root / "Dockerfile").read_text(encoding="utf-8").replace("ENV PORT=7860\n", ""),
        encoding="utf-8",
    )
    assert [sev for sev, _ in _port18(root)] == ["info"]
    # The same build run as its binary (named after the module) is read: 9000, a warning.
    (root / "Dockerfile").write_text(
        (root / "Dockerfile")
        .read_text(encoding="utf-8")
        .replace('CMD ["python", "serve.py"]', 'CMD ["./jetbrainsai2api"]'),
        encoding="utf-8",
    )
    assert [sev for sev, _ in _port18(root)] == ["warning"]
