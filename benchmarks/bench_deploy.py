"""Deploy speed: `spacetui deploy` against `hf upload` of the same folder to the same emulator.

Prints, for each case, the median of N runs (each on a fresh Space) of both commands run as
subprocesses, and the time ratio spacetui / hf (target <= 1.1). Then the unchanged re-deploy of
1,000 files, timed in-process from the start of the deploy (target < 1 s after start-up). The
cases: 1,000 small files, 1,000 files of real source code (the secret scan's text path), one
big binary over LFS (its binary path).

    python benchmarks/bench_deploy.py [--runs 3] [--big-mb 200] [--text-mb 100] [--quick]
        [--cases small,big,text]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.domain.deploy.events import DeployResult

USER, TOKEN = "bench", "hf_bench_token_for_spacetui"
README = "---\ntitle: Bench\nemoji: 🚀\ncolorFrom: blue\ncolorTo: green\nsdk: docker\n---\n"
DOCKERFILE = (
    "FROM python:3.12-slim\nRUN useradd -m -u 1000 user\nUSER user\n"
    "ENV HOME=/home/user PATH=/home/user/.local/bin:$PATH\nWORKDIR $HOME/app\n"
    "COPY --chown=user . $HOME/app\n"
    'CMD ["python", "-m", "http.server", "7860", "--bind", "0.0.0.0"]\n'
)


@contextmanager
def emulator(*extra: str) -> Iterator[str]:
    """A standalone emulator process; yields its URL."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui",
            "emulator",
            "--port",
            "0",
            "--speed",
            "100",
            "--user",
            f"{USER}:{TOKEN}",
            "--quota",  # the Hub's rate limit is not what this measures
            "1000000",
            *extra,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        yield line.strip().removeprefix("listening on ")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def compile_bytecode() -> None:
    """Both sides start from bytecode, as after `pip install`.

    pip compiles huggingface_hub's modules when it installs them; an editable install of
    spacetui compiles its own on first import, and never when PYTHONDONTWRITEBYTECODE is set
    (as on some machines), which would charge every run ~0.1 s of compiling to spacetui.
    """
    import compileall

    import tui

    compileall.compile_dir(Path(tui.__file__).parent, quiet=1)


def small_files_folder(root: Path, count: int) -> Path:
    folder = root / "small"
    (folder / "data").mkdir(parents=True)
    (folder / "README.md").write_text(README)
    (folder / "Dockerfile").write_text(DOCKERFILE)
    for i in range(count):
        (folder / "data" / f"f{i:04}.txt").write_text(f"row {i} " * 120)  # ~1 KB
    return folder


def big_file_folder(root: Path, megabytes: int) -> Path:
    folder = root / "big"
    folder.mkdir()
    (folder / "README.md").write_text(README)
    (folder / "Dockerfile").write_text(DOCKERFILE)
    with (folder / "weights.bin").open("wb") as handle:
        for _ in range(megabytes):
            handle.write(os.urandom(1 << 20))
    return folder


def text_files_folder(root: Path, megabytes: int, count: int = 1000) -> Path:
    """`count` source files of real code, `megabytes` in all: the scan's text path.

    Cut from the code of the real-Space corpus (tests/fixtures/real-spaces), repeated as needed,
    so the secret scan reads what it reads in a Space's code, not random or repeated words.
    """
    from tui.domain.secret_scan import scan_bytes

    corpus = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "real-spaces"
    sources = [p.read_bytes() for p in sorted(corpus.rglob("*.py")) if p.is_file()]
    # Without the corpus's one hard-coded key: a finding would block the deploy.
    text = b"".join(data for data in sources if not any(scan_bytes(data, name="app.py")))
    folder = root / "text"
    (folder / "src").mkdir(parents=True)
    (folder / "README.md").write_text(README)
    (folder / "Dockerfile").write_text(DOCKERFILE)
    size = megabytes * 1024 * 1024 // count
    for i in range(count):
        start = i * size % max(1, len(text) - size)
        piece = text[start : start + size]
        (folder / "src" / f"m{i:04}.py").write_bytes(piece + b"\n" * (size - len(piece)))
    return folder


def create_space(url: str, space_id: str) -> None:
    from huggingface_hub import HfApi

    HfApi(endpoint=url, token=TOKEN).create_repo(space_id, repo_type="space", space_sdk="docker")


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def compare(url: str, folder: Path, runs: int, label: str, env_extra: dict[str, str]) -> None:
    env = dict(
        os.environ,
        HF_ENDPOINT=url,
        HF_TOKEN=TOKEN,
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_UPDATE_CHECK="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
        **env_extra,
    )
    hf = shutil.which("hf") or str(Path(sys.executable).with_name("hf"))
    slug = "-".join("".join(c if c.isalnum() else " " for c in label).split())

    def deploy(space_id: str) -> list[str]:
        return [sys.executable, "-m", "tui", "deploy", str(folder), "--space", space_id]

    # One untimed run of each first: the folder in the page cache and the emulator warm for
    # both, not for whichever command happens to go second.
    create_space(url, f"{USER}/{slug}-warm-a")
    create_space(url, f"{USER}/{slug}-warm-b")
    timed([*deploy(f"{USER}/{slug}-warm-a"), "--yes", "--no-follow", "--json"], env)
    timed([hf, "upload", f"{USER}/{slug}-warm-b", str(folder), ".", "--repo-type", "space"], env)
    ours, theirs = [], []
    for run in range(runs):
        a, b = f"{USER}/{slug}-spacetui-{run}", f"{USER}/{slug}-hf-{run}"
        create_space(url, a)
        create_space(url, b)
        ours.append(timed([*deploy(a), "--yes", "--no-follow", "--json"], env))
        theirs.append(timed([hf, "upload", b, str(folder), ".", "--repo-type", "space"], env))
    mo, mt = statistics.median(ours), statistics.median(theirs)
    print(
        f"{label:<22} spacetui deploy {mo:6.2f} s   hf upload {mt:6.2f} s   "
        f"ratio {mo / mt:4.2f}   runs: {[round(x, 2) for x in ours]} vs "
        f"{[round(x, 2) for x in theirs]}"
    )


def in_process(url: str, folder: Path, runs: int, label: str) -> None:
    """The same upload without process start-up: the Deployer against HfApi.upload_folder."""
    from huggingface_hub import HfApi

    from tui.domain.auth import HubTarget
    from tui.domain.deploy.engine import Deployer
    from tui.domain.deploy.options import DeployOptions
    from tui.domain.hub import HubClient

    async def deploy(options: DeployOptions) -> DeployResult:
        async with HubClient(target) as hub:  # one connection per deploy, as in the CLI
            return await Deployer(hub, options, emit=lambda e: None).run()

    api = HfApi(endpoint=url, token=TOKEN)
    target = HubTarget(endpoint=url, token=TOKEN)
    slug = "-".join("".join(c if c.isalnum() else " " for c in label).split())
    ours, theirs = [], []
    for run in range(runs):
        a, b = f"{USER}/{slug}-engine-{run}", f"{USER}/{slug}-client-{run}"
        create_space(url, a)
        create_space(url, b)
        start = time.perf_counter()
        outcome = asyncio.run(deploy(DeployOptions(folder, a, follow=False))).outcome
        ours.append(time.perf_counter() - start)
        assert outcome == "uploaded", outcome
        start = time.perf_counter()
        api.upload_folder(repo_id=b, repo_type="space", folder_path=str(folder))
        theirs.append(time.perf_counter() - start)
    mo, mt = statistics.median(ours), statistics.median(theirs)
    print(
        f"{label + ', in-process':<32} Deployer {mo:6.2f} s   upload_folder {mt:6.2f} s   "
        f"ratio {mo / mt:4.2f}  (checks and plan included)   runs: "
        f"{[round(x, 2) for x in ours]} vs {[round(x, 2) for x in theirs]}"
    )


def unchanged_redeploy(url: str, folder: Path, runs: int) -> None:
    from tui.domain.auth import HubTarget
    from tui.domain.deploy.engine import Deployer
    from tui.domain.deploy.options import DeployOptions
    from tui.domain.hub import HubClient

    space_id = f"{USER}/unchanged"
    create_space(url, space_id)
    target = HubTarget(endpoint=url, token=TOKEN)

    async def once() -> tuple[float, str]:
        async with HubClient(target) as hub:  # the command's one connection, as in the CLI
            deployer = Deployer(
                hub, DeployOptions(folder, space_id, follow=False), emit=lambda event: None
            )
            start = time.perf_counter()
            result = await deployer.run()
            return time.perf_counter() - start, result.outcome

    first, outcome = asyncio.run(once())
    times = []
    for _ in range(runs):
        elapsed, outcome = asyncio.run(once())
        assert outcome == "unchanged", outcome
        times.append(elapsed)
    print(
        f"{'unchanged re-deploy':<22} {len(list(folder.rglob('*')))} paths: "
        f"median {statistics.median(times):.3f} s after start-up (target < 1 s), "
        f"first deploy {first:.2f} s; runs {[round(t, 3) for t in times]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--big-mb", type=int, default=200)
    parser.add_argument("--text-mb", type=int, default=100)
    parser.add_argument(
        "--cases", default="small,big,text", help="which of small, big, text to run (comma list)"
    )
    parser.add_argument("--quick", action="store_true", help="1 run, 200 files, 20 MB")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.files, args.big_mb, args.text_mb = 1, 200, 20, 20
    cases = set(args.cases.split(","))
    os.environ.update(HF_HUB_DISABLE_TELEMETRY="1", HF_HUB_DISABLE_PROGRESS_BARS="1")
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # The engine records each deploy's end: keep the emulator's records out of the user's.
        os.environ["XDG_DATA_HOME"] = str(root / "data")
        print(f"spacetui deploy vs hf upload, median of {args.runs}, each on a fresh Space")
        if "small" in cases:
            small = small_files_folder(root, args.files)
            with emulator() as url:
                compare(url, small, args.runs, f"{args.files} small files", {})
                in_process(url, small, args.runs, f"{args.files} small files")
                unchanged_redeploy(url, small, max(args.runs, 3))
        if "text" in cases:
            text = text_files_folder(root, args.text_mb)
            with emulator() as url:
                compare(url, text, args.runs, f"{args.text_mb} MB source text", {})
                in_process(url, text, args.runs, f"{args.text_mb} MB source text")
        if "big" not in cases:
            return
        big = big_file_folder(root, args.big_mb)
        # Plain LFS (multipart) for the big binary: the path the emulator can serve byte for
        # byte; both clients run with HF_HUB_DISABLE_XET=1.
        with emulator("--lfs") as url:
            compare(
                url, big, args.runs, f"{args.big_mb} MB binary (LFS)", {"HF_HUB_DISABLE_XET": "1"}
            )
            import huggingface_hub.constants

            huggingface_hub.constants.HF_HUB_DISABLE_XET = True
            in_process(url, big, args.runs, f"{args.big_mb} MB binary (LFS)")


if __name__ == "__main__":
    main()
