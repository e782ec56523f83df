"""Stat cache: an unchanged re-deploy of a large folder against `hf upload` of the same folder.

One emulator (in this process, loopback HTTP) holds a Space whose files equal a local folder of
N files / M MB. Measured in the same run, each against that unchanged Space:

- `hf upload` (huggingface_hub's CLI, a subprocess): hashes every file, learns nothing changed;
- spacetui's deploy in-process (`Deployer`, --no-follow, --no-probe) with no stat cache (it reads,
  hashes and secret-scans every file, and fills the cache), then again with the cache (it reads
  nothing: sha256, git blob id and the scan's verdict come from the cache, and the Space's tree
  too while its head has not moved);
- the same as a `spacetui deploy --no-follow --no-probe` subprocess (start-up included, as for
  `hf upload`, which neither follows a build nor probes an app), once the whole way (the
  folder's deploy stamp removed first) and once as a re-deploy runs it, answered by the deploy
  stamp's check (checked: that process loads no deploy engine, no checks, no httpx); and that
  re-deploy once more with the app probe, as `spacetui deploy` runs by default;
- the cached deploy step by step (cache load, upload set, checks, Space state, comparison).

Prints each figure (hf upload: best of 2; cached deploy: best of 5 in-process, best of 3 as a
`spacetui deploy` subprocess; each command runs once before, unmeasured, to compile its bytecode:
see `command_env`) and the ratios hf upload / spacetui (target >= 10, as commands).

    python benchmarks/bench_stat_cache.py            # 10,000 files, 1 GB
    python benchmarks/bench_stat_cache.py --quick    # 2,000 files, 100 MB
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

USER, TOKEN = "bench", "hf_bench_token_for_spacetui"
SPACE = f"{USER}/big"
README = b"---\ntitle: Bench\nsdk: static\n---\n"
INDEX = b"<!doctype html><title>bench</title>\n"


def make_folder(root: Path, files: int, total_mb: int, suffix: str = ".txt") -> None:
    """N files of random bytes in folders of 100, all older than the cache's racy margin."""
    size = max(1, total_mb * 1024 * 1024 // files)
    past = time.time_ns() - 3600 * 10**9  # written an hour ago, as a re-deploy's folder would be
    names = {"README.md": README, "index.html": INDEX}
    names.update({f"data/{i // 100:03d}/part-{i:05d}{suffix}": b"" for i in range(files)})
    for path, data in names.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data or os.urandom(size))
        os.utime(target, ns=(past, past))


def command_env(**extra: str) -> dict[str, str]:
    """The environment of both commands: compiled bytecode kept, as an installed package has it.

    With PYTHONDONTWRITEBYTECODE set (as on the development machine) an editable install
    compiles every spacetui module at each start, while `hf` runs from site-packages' .pyc files;
    both now keep their bytecode in one scratch prefix, written by the first run of each.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.environ["BENCH_PYCACHE"]
    env.update(extra)
    return env


def hf_upload(url: str, folder: Path) -> float:
    env = command_env(HF_ENDPOINT=url, HF_TOKEN=TOKEN, HF_HUB_DISABLE_PROGRESS_BARS="1")
    # The `hf` installed with this Python's huggingface_hub, not whichever is first on PATH.
    beside = Path(sys.executable).with_name("hf")
    cmd = [str(beside) if beside.exists() else "hf", "upload", SPACE, str(folder), "."]
    cmd += ["--repo-type", "space"]
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"hf upload failed: {done.stderr[-500:]}")
    return elapsed


def cli_deploy(url: str, folder: Path, *, stamped: bool = True, probe: bool = False) -> float:
    """`spacetui deploy --yes --no-follow --no-probe` as a subprocess, start-up included like hf
    upload's; with `stamped=False` the folder's deploy stamp is removed first, so the command
    takes the whole way (stat cache, checks, plan) instead of the stamp's check."""
    from tui.domain.deploy.stamp import forget_stamp

    if not stamped:
        forget_stamp(folder.resolve(), url, SPACE)
    env = command_env(HF_ENDPOINT=url, HF_TOKEN=TOKEN)
    cmd = [sys.executable, "-m", "tui", "deploy", str(folder), "--space", SPACE, "--yes"]
    start = time.perf_counter()
    flags = ["--no-follow"] if probe else ["--no-follow", "--no-probe"]
    done = subprocess.run([*cmd, *flags], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or "Nothing changed" not in done.stdout:
        raise SystemExit(f"spacetui deploy failed: {done.stdout[-300:]} {done.stderr[-300:]}")
    return elapsed


def stamp_answered(url: str, folder: Path) -> bool:
    """True when `spacetui deploy` answers from the stamp: it loads no engine, checks or httpx."""
    script = (
        "import sys\nfrom tui.cli import main\ncode = main(sys.argv[1:])\n"
        "print(code, any(m in sys.modules for m in "
        "('tui.domain.deploy.engine', 'tui.domain.checks.engine', 'httpx')))\n"
    )
    args = ["deploy", str(folder), "--space", SPACE, "--yes", "--no-follow", "--no-probe"]
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=command_env(HF_ENDPOINT=url, HF_TOKEN=TOKEN),
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.endswith("0 False\n")


def deploy(url: str, folder: Path) -> tuple[float, str, int, int]:
    """One unchanged deploy in-process: (seconds, outcome, cache hits, cache misses)."""
    from tui.domain import stat_cache
    from tui.domain.auth import HubTarget
    from tui.domain.deploy.engine import Deployer
    from tui.domain.deploy.events import DeployEvent, DeployResult
    from tui.domain.deploy.options import DeployOptions
    from tui.domain.hub.client import HubClient

    def print_no(event: DeployEvent) -> None:
        """Events are not printed: the figure is the deploy's own time."""

    counts = {"hits": 0, "misses": 0}
    real_save = stat_cache.StatCache.save

    def save(cache: stat_cache.StatCache) -> None:  # what the deploy's cache answered, in all
        counts["hits"] = cache.hits  # saved twice (before the upload, at the end): totals
        counts["misses"] = cache.misses
        real_save(cache)

    stat_cache.StatCache.save = save  # type: ignore[method-assign]
    try:

        async def run() -> DeployResult:
            # The deploy takes the caller's one Hub connection, as the CLI and the app give it.
            async with HubClient(HubTarget(endpoint=url, token=TOKEN)) as hub:
                options = DeployOptions(folder, SPACE, follow=False, probe=False)
                deployer = Deployer(hub, options, emit=print_no)
                return await deployer.run()

        start = time.perf_counter()
        result = asyncio.run(run())
        elapsed = time.perf_counter() - start
    finally:
        stat_cache.StatCache.save = real_save  # type: ignore[method-assign]
    return elapsed, result.outcome, counts["hits"], counts["misses"]


def plan_steps(url: str, folder: Path) -> tuple[float, float, float, float, float]:
    """A cached deploy's steps: (cache load, upload set, checks, Space state, comparison) s."""
    from tui.domain import stat_cache
    from tui.domain.auth import HubTarget
    from tui.domain.checks.engine import run_checks
    from tui.domain.deploy import remote_listing
    from tui.domain.deploy.engine import _plan
    from tui.domain.hub.client import HubClient
    from tui.domain.upload_set import collect_upload_set

    async def state_of(cache: stat_cache.StatCache) -> object:
        async with HubClient(HubTarget(endpoint=url, token=TOKEN)) as hub:
            hub.http  # noqa: B018 - the client is built first: its TLS setup is not the request
            start = time.perf_counter()
            state = await remote_listing.fetch_remote_state(hub, SPACE, cache=cache)
            marks.append(time.perf_counter() - start)
            return state

    marks: list[float] = []
    start = time.perf_counter()
    with stat_cache.using(folder) as cache:
        loaded = time.perf_counter()
        upload_set = collect_upload_set(folder)
        listed = time.perf_counter()
        run_checks(folder, upload_set=upload_set)
        checked = time.perf_counter()
        state = asyncio.run(state_of(cache))
        fetched = time.perf_counter()
        plan = _plan(SPACE, upload_set, state)  # type: ignore[arg-type]
        compared = time.perf_counter()
    assert not plan.has_changes(delete=True), plan.summary()
    return loaded - start, listed - loaded, checked - listed, marks[0], compared - fetched


def serve(folder: Path) -> None:
    """`--serve FOLDER`: an emulator whose Space holds FOLDER's files; prints its URL, then runs
    until stdin closes. Its own process, so its work is not charged to the clients measured."""
    from tui.emulator.server import serve_emulator

    content = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }
    with serve_emulator(users={USER: TOKEN}, speed=100, quota=10**9) as emu:
        emu.state.create_space(SPACE, sdk="static")
        emu.state.commit(SPACE, content, "the folder, as deployed before")
        del content
        print(emu.url, flush=True)
        sys.stdin.read()


def head(url: str) -> str:
    from huggingface_hub import HfApi

    return str(HfApi(endpoint=url, token=TOKEN).space_info(SPACE).sha)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--mb", type=int, default=1024, help="total size in MB")
    parser.add_argument("--quick", action="store_true", help="2,000 files, 100 MB")
    parser.add_argument(
        "--suffix",
        default=".txt",
        help="file name suffix (default .txt: text the secret checks read; .npy: binary they skip)",
    )
    parser.add_argument("--serve", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve))
        return
    files, mb = (2_000, 100) if args.quick else (args.files, args.mb)
    load_before = _load()

    with tempfile.TemporaryDirectory(prefix="bench-stat-") as tmp:
        root = Path(tmp)
        # The cache and the deploy records go to a scratch folder, never the user's.
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")
        os.environ["XDG_DATA_HOME"] = str(root / "data")
        os.environ["BENCH_PYCACHE"] = str(root / "pycache")
        folder = root / "space"
        start = time.perf_counter()
        make_folder(folder, files, mb, args.suffix)
        print(
            f"folder: {files:,} *{args.suffix} files + 2, {mb} MB, "
            f"written in {time.perf_counter() - start:.1f} s"
        )
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            url = server.stdout.readline().strip() if server.stdout else ""
            if not url:
                raise SystemExit("the emulator did not start")
            before = head(url)
            hf_upload(url, folder)  # compiles hf's bytecode into the prefix (not measured)
            hf = min(hf_upload(url, folder) for _ in range(2))
            assert head(url) == before, "hf upload made a commit: the folder was not unchanged"
            cold, outcome, _, cold_misses = deploy(url, folder)
            assert outcome == "unchanged", outcome
            warm_runs = [deploy(url, folder) for _ in range(5)]
            warm = min(run[0] for run in warm_runs)
            assert all(run[1] == "unchanged" for run in warm_runs)
            hits, misses = warm_runs[-1][2], warm_runs[-1][3]
            cli_deploy(url, folder)  # compiles spacetui's bytecode into the prefix (not measured)
            whole = min(cli_deploy(url, folder, stamped=False) for _ in range(3))
            cli_deploy(url, folder)  # the whole way ends by stamping the folder again
            if not stamp_answered(url, folder):
                raise SystemExit("the deploy stamp did not answer the unchanged re-deploy")
            cli = min(cli_deploy(url, folder) for _ in range(3))
            probed = min(cli_deploy(url, folder, probe=True) for _ in range(3))
            steps = [plan_steps(url, folder) for _ in range(3)]
            loading, listing, checking, fetching, comparing = (
                min(c) for c in zip(*steps, strict=True)
            )
        finally:
            if server.stdin:
                server.stdin.close()
            server.wait(timeout=30)

    print(f"hf upload (unchanged, subprocess)     {hf:7.2f} s")
    print(f"spacetui deploy, no cache (fills it)  {cold:7.2f} s   files read: {cold_misses:,}")
    print(
        f"spacetui deploy, stat cache           {warm:7.2f} s   files read: {misses:,}, "
        f"answered by the cache: {hits:,}"
    )
    print(
        f"spacetui deploy, stat cache, CLI      {whole:7.2f} s   (a subprocess, start-up "
        "included; no deploy stamp: the whole way)"
    )
    print(
        f"spacetui deploy, deploy stamp, CLI    {cli:7.2f} s   (the same command, the stamp's "
        "check answering: the one a re-deploy takes)"
    )
    print(
        f"  its steps alone (best of 3): cache load {loading:.2f} s, upload set {listing:.2f} s, "
        f"checks {checking:.2f} s, Space state {fetching:.2f} s, comparison {comparing:.2f} s"
    )
    print(
        f"spacetui deploy, deploy stamp + probe  {probed:7.2f} s   (the same, asking the app too,"
        " as by default)"
    )
    print(f"ratio hf upload / cached deploy, in-process: {hf / warm:.1f}x")
    print(f"ratio hf upload / cached deploy, both as commands: {hf / whole:.1f}x (no stamp)")
    print(f"ratio hf upload / re-deploy, both as commands: {hf / cli:.1f}x (target >= 10x)")
    print(f"ratio no cache / cached deploy:  {cold / warm:.1f}x")
    print(f"load average before / after: {load_before} / {_load()}")


def _load() -> str:
    """The 1-minute load average: the machine's conditions, printed with the figures."""
    try:
        return f"{os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)"
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
