"""Benchmark `spacetui check` on a generated 20,000-file Space with a 50-line `.hfignore`.

Anchor: a plain `os.walk` of the same folder, measured in the same run. Prints the median of a
few repetitions for: the walk, the upload set alone, the whole in-process check, and the CLI end
to end (a fresh `python -m tui check --json` process, imports included). Target: under 1.5 s.

    python benchmarks/bench_check.py [--files 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.5

README = """---
title: Bench
emoji: 🚀
colorFrom: blue
colorTo: green
sdk: docker
app_port: 7860
short_description: A generated Space for benchmarks
---
"""
DOCKERFILE = """FROM python:3.12-slim
RUN useradd -m -u 1000 user
USER user
ENV HOME=/home/user PATH=/home/user/.local/bin:$PATH
WORKDIR $HOME/app
COPY --chown=user requirements.txt requirements.txt
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=user . $HOME/app
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]
"""

#: 50 lines in the shapes people write: globs, folders, anchors, negations, deep globs.
HFIGNORE = [
    "# generated for the benchmark",
    "*.log",
    "*.tmp",
    "*.pyc",
    "!keep.log",
    "__pycache__/",
    ".venv/",
    "node_modules/",
    "/build/",
    "/dist/",
    "**/cache/",
    "data/raw/",
    "*.ckpt",
    "*.safetensors",
    "wandb/",
    "mlruns/",
    ".ipynb_checkpoints/",
    "*.bak",
    "*~",
    ".DS_Store",
    "docs/**/*.draft.md",
] + [f"generated_{i}_*.dat" for i in range(29)]
EXTENSIONS = (".py", ".txt", ".json", ".md", ".log", ".tmp", ".csv", ".html")


def generate(root: Path, count: int) -> None:
    """`count` small files over 40 packages x 10 subfolders, plus the Space's own files."""
    (root / "README.md").write_text(README, encoding="utf-8")
    (root / "Dockerfile").write_text(DOCKERFILE)
    (root / "requirements.txt").write_text("fastapi\nuvicorn\n")
    (root / "app.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n")
    (root / ".hfignore").write_text("\n".join(HFIGNORE) + "\n")
    folders = [root / f"pkg{i:02d}" / f"mod{j}" for i in range(40) for j in range(10)]
    for folder in folders:
        folder.mkdir(parents=True)
    for n in range(count - 5):
        ext = EXTENSIONS[n % len(EXTENSIONS)]
        body = f"# file {n}\n" + "x = 1\n" * (n % 7)
        (folders[n % len(folders)] / f"f{n}{ext}").write_text(body)


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tui.domain.checks.engine import run_checks
    from tui.domain.upload_set import collect_upload_set

    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        root = Path(tmp) / "space"
        root.mkdir()
        generate(root, args.files)

        def walk() -> int:
            return sum(len(files) for _, _, files in os.walk(root))

        def cli() -> None:
            subprocess.run(
                [sys.executable, "-m", "tui", "check", "--json", str(root)],
                cwd=ROOT,
                check=False,
                stdout=subprocess.DEVNULL,
            )

        on_disk = walk()  # also warms the page cache for every contender alike
        report = run_checks(root)
        anchor = median_time(walk, args.repeat)
        upload = median_time(lambda: collect_upload_set(root), args.repeat)
        checks = median_time(lambda: run_checks(root), args.repeat)
        end_to_end = median_time(cli, args.repeat)

    summary = report.summary()
    print(
        f"folder: {on_disk:,} files on disk, {summary['files']:,} uploaded, "
        f"{summary['excluded']:,} excluded entries, .hfignore {len(HFIGNORE)} lines, "
        f"{len(report.findings)} findings; median of {args.repeat} runs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'os.walk (anchor)':<28}{anchor * 1000:9.1f} ms   1.0x")
    for name, value in (
        ("upload set", upload),
        ("run_checks (in-process)", checks),
        ("spacetui check (CLI)", end_to_end),
    ):
        print(f"{name:<28}{value * 1000:9.1f} ms  {value / anchor:5.1f}x")
    verdict = "OK" if end_to_end < TARGET_SECONDS else "OVER"
    print(f"target: CLI under {TARGET_SECONDS:.1f} s wall -> {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
