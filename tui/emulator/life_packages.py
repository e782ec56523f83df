"""Believable package-manager output for simulated builds: pip, uv and apt-get.

Texts follow the real tools (pip 24, uv 0.5+, Debian bookworm apt) as seen in the Space build
logs under tests/fixtures/logs; versions come from pins or from a small table of current releases.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

# Current-ish releases, so unpinned requirements resolve to something real-looking.
KNOWN_VERSIONS: dict[str, str] = {
    "fastapi": "0.115.6",
    "uvicorn": "0.34.0",
    "starlette": "0.41.3",
    "pydantic": "2.10.4",
    "pydantic-core": "2.27.2",
    "typing-extensions": "4.12.2",
    "annotated-types": "0.7.0",
    "anyio": "4.7.0",
    "sniffio": "1.3.1",
    "idna": "3.10",
    "click": "8.1.8",
    "h11": "0.14.0",
    "gradio": "5.9.1",
    "gradio-client": "1.5.2",
    "httpx": "0.28.1",
    "httpcore": "1.0.7",
    "certifi": "2024.12.14",
    "huggingface-hub": "0.27.0",
    "numpy": "2.2.1",
    "pandas": "2.2.3",
    "pillow": "11.0.0",
    "requests": "2.32.3",
    "urllib3": "2.3.0",
    "charset-normalizer": "3.4.1",
    "streamlit": "1.41.1",
    "altair": "5.5.0",
    "pyarrow": "18.1.0",
    "protobuf": "5.29.2",
    "flask": "3.1.0",
    "werkzeug": "3.1.3",
    "jinja2": "3.1.5",
    "itsdangerous": "2.2.0",
    "blinker": "1.9.0",
    "markupsafe": "3.0.2",
    "gunicorn": "23.0.0",
    "packaging": "24.2",
    "transformers": "4.47.1",
    "tokenizers": "0.21.0",
    "safetensors": "0.4.5",
    "regex": "2024.11.6",
    "torch": "2.5.1",
    "sympy": "1.13.1",
    "networkx": "3.4.2",
    "filelock": "3.16.1",
    "fsspec": "2024.12.0",
    "triton": "3.1.0",
    "accelerate": "1.2.1",
    "sentence-transformers": "3.3.1",
    "scikit-learn": "1.6.0",
    "scipy": "1.14.1",
    "joblib": "1.4.2",
    "python-multipart": "0.0.20",
    "python-dotenv": "1.0.1",
    "openai": "1.58.1",
    "pyyaml": "6.0.2",
    "tqdm": "4.67.1",
    "ninja": "1.11.1.3",
    "einops": "0.8.0",
    "flash-attn": "2.7.2.post1",
    "spaces": "0.31.1",
    "datasets": "3.2.0",
}

# A few real dependency edges, so installs pull in more than was asked for, as pip does.
DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "fastapi": ("starlette", "pydantic", "typing-extensions"),
    "starlette": ("anyio",),
    "anyio": ("idna", "sniffio"),
    "pydantic": ("annotated-types", "pydantic-core"),
    "uvicorn": ("click", "h11"),
    "gradio": ("fastapi", "gradio-client", "httpx", "huggingface-hub", "numpy", "pandas", "pillow"),
    "httpx": ("anyio", "certifi", "httpcore", "idna"),
    "huggingface-hub": ("filelock", "fsspec", "packaging", "pyyaml", "requests", "tqdm"),
    "requests": ("certifi", "charset-normalizer", "idna", "urllib3"),
    "streamlit": ("altair", "numpy", "pandas", "pillow", "protobuf", "pyarrow", "requests"),
    "flask": ("blinker", "click", "itsdangerous", "jinja2", "werkzeug"),
    "jinja2": ("markupsafe",),
    "werkzeug": ("markupsafe",),
    "transformers": ("huggingface-hub", "numpy", "regex", "safetensors", "tokenizers"),
    "torch": ("filelock", "fsspec", "jinja2", "networkx", "sympy", "triton"),
    "flash-attn": ("einops", "torch"),
    "scikit-learn": ("joblib", "numpy", "scipy"),
}

# Packages whose import name differs from the distribution name.
IMPORT_NAMES: dict[str, str] = {
    "PIL": "pillow",
    "cv2": "opencv-python",
    "sklearn": "scikit-learn",
    "yaml": "pyyaml",
    "dotenv": "python-dotenv",
    "multipart": "python-multipart",
}

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*?)\s*(?:#.*)?$")
_SEP = "\u2501" * 40


@dataclass(frozen=True, slots=True)
class Requirement:
    """One requested package: canonical name, extras, version spec, and where it was asked for."""

    name: str
    extras: str
    spec: str
    origin: str

    @property
    def label(self) -> str:
        return f"{self.name}{self.extras}{self.spec}"


def canonical(name: str) -> str:
    """PEP 503 normalisation (`Flask_Cors` -> `flask-cors`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirements(text: str, source: str) -> list[Requirement]:
    """Requirement lines of a requirements file (options, URLs and includes are skipped)."""
    result: list[Requirement] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "-", "git+", "http")):
            continue
        match = _REQ.match(stripped)
        if match:
            spec = match.group(3).split(";")[0].strip()
            origin = f"-r {source} (line {number})"
            result.append(
                Requirement(canonical(match.group(1)), match.group(2) or "", spec, origin)
            )
    return result


def parse_spec(word: str) -> Requirement | None:
    """A requirement given on a command line (`"uvicorn>=0.14.0"`, `gradio[oauth]==5.9.1`)."""
    match = _REQ.match(word.strip("'\""))
    if not match or word.startswith("-"):
        return None
    return Requirement(canonical(match.group(1)), match.group(2) or "", match.group(3), "")


def version_of(req: Requirement) -> str:
    """The version an install of `req` lands on: the pin, else a known release, else a stable guess."""
    pinned = re.match(r"^===?\s*([A-Za-z0-9.+!-]+)$", req.spec)
    if pinned:
        return pinned.group(1)
    if req.name in KNOWN_VERSIONS:
        return KNOWN_VERSIONS[req.name]
    digest = hashlib.sha256(req.name.encode()).digest()
    return f"{digest[0] % 4}.{digest[1] % 20}.{digest[2] % 10}"


def resolve(requested: list[Requirement]) -> list[tuple[Requirement, str]]:
    """The requested packages then their dependencies (from DEPENDENCIES), each once, in order."""
    seen: dict[str, tuple[Requirement, str]] = {}
    queue = list(requested)
    while queue:
        req = queue.pop(0)
        if req.name in seen:
            continue
        seen[req.name] = (req, version_of(req))
        for dep in DEPENDENCIES.get(req.name, ()):
            if dep not in seen:
                queue.append(Requirement(dep, "", "", f"{req.name}=={version_of(req)}"))
    return list(seen.values())


def _size_kb(name: str, kind: str) -> float:
    digest = hashlib.sha256(f"{name}/{kind}".encode()).digest()
    return round(3 + (digest[0] * 256 + digest[1]) % 4000 / 10, 1)


def _wheel(name: str, version: str) -> str:
    return f"{name.replace('-', '_')}-{version}-py3-none-any.whl"


def pip_install_lines(
    requested: list[Requirement], *, colour: bool, user_install: bool, python: str
) -> list[str]:
    """pip's output for installing `requested` (progress bars coloured like rich when forced)."""
    lines: list[str] = []
    if user_install:
        lines.append(
            "Defaulting to user installation because normal site-packages is not writeable"
        )
    resolved = resolve(requested)
    for req, version in resolved:
        if req.origin.startswith("-r") or not req.origin:
            origin = f" (from {req.origin})" if req.origin else ""
        else:
            origin = f" (from {req.origin})"
        lines.append(f"Collecting {req.label}{origin}")
        lines.append(
            f"  Downloading {_wheel(req.name, version)}.metadata ({_size_kb(req.name, 'm'):.1f} kB)"
        )
    for req, version in resolved:
        size = _size_kb(req.name, "w")
        lines.append(f"Downloading {_wheel(req.name, version)} ({size:.1f} kB)")
        bar = f"   {_SEP} {size:.1f}/{size:.1f} kB 38.2 MB/s eta 0:00:00"
        if colour:
            bar = (
                f"   \x1b[38;2;114;156;31m{_SEP}\x1b[0m \x1b[32m{size:.1f}/{size:.1f} kB\x1b[0m "
                "\x1b[31m38.2 MB/s\x1b[0m eta \x1b[36m0:00:00\x1b[0m"
            )
        lines.append(bar)
    names = [req.name for req, _ in resolved]
    lines.append(f"Installing collected packages: {', '.join(reversed(names))}")
    installed = " ".join(
        f"{req.name}-{version}" for req, version in sorted(resolved, key=lambda r: r[0].name)
    )
    lines.append(f"Successfully installed {installed}")
    if not user_install:
        lines.append(
            "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting "
            "behaviour with the system package manager, possibly rendering your system unusable. It is "
            "recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use the "
            "--root-user-action option if you know what you are doing and want to suppress this warning."
        )
    lines.append("")
    if colour:
        lines.append(
            "\x1b[1m[\x1b[0m\x1b[34;49mnotice\x1b[0m\x1b[1;39;49m]\x1b[0m\x1b[39;49m A new release of pip is "
            "available: \x1b[0m\x1b[31;49m24.0\x1b[0m\x1b[39;49m -> \x1b[0m\x1b[32;49m25.3\x1b[0m"
        )
        lines.append(
            "\x1b[1m[\x1b[0m\x1b[34;49mnotice\x1b[0m\x1b[1;39;49m]\x1b[0m\x1b[39;49m To update, run: "
            "\x1b[0m\x1b[32;49mpip install --upgrade pip\x1b[0m"
        )
    else:
        lines.append("[notice] A new release of pip is available: 24.0 -> 25.3")
        lines.append("[notice] To update, run: pip install --upgrade pip")
    return lines


def uv_install_lines(requested: list[Requirement], *, environment: str, python: str) -> list[str]:
    """uv's output for a successful `uv pip install` into `environment`."""
    resolved = resolve(requested)
    count = len(resolved)
    lines = [
        f"Using Python {python} environment at: {environment}",
        f"Resolved {count} packages in {80 + 13 * count}ms",
        f"Prepared {count} packages in {0.4 + 0.07 * count:.2f}s",
        f"Installed {count} packages in {40 + 9 * count}ms",
    ]
    lines += [
        f" + {req.name}=={version}" for req, version in sorted(resolved, key=lambda r: r[0].name)
    ]
    return lines


def uv_permission_lines(requested: list[Requirement], *, python: str) -> list[str]:
    """uv installing into the system site-packages as a non-root user (error-texts.md §6)."""
    resolved = resolve(requested)
    req, version = resolved[0] if resolved else (Requirement("pip", "", "", ""), "24.0")
    site = f"/usr/local/lib/python{python.rsplit('.', 1)[0]}/site-packages"
    dist = f"{req.name.replace('-', '_')}-{version}.dist-info"
    return [
        f"Using Python {python} environment at: /usr/local",
        f"Resolved {len(resolved)} packages in {80 + 13 * len(resolved)}ms",
        f"error: Failed to install: {_wheel(req.name, version)} ({req.name}=={version})",
        f"  Caused by: failed to create directory `{site}/{dist}`: Permission denied (os error 13)",
    ]


def uv_installer_lines(user: str) -> list[str]:
    """astral's `install.sh` piped into sh: it puts uv and uvx into ~/.local/bin."""
    home = "/root" if user.split(":")[0] in ("", "root", "0") else f"/home/{user.split(':')[0]}"
    return [
        "downloading uv 0.5.11 x86_64-unknown-linux-gnu",
        "no checksums to verify",
        f"installing to {home}/.local/bin",
        "  uv",
        "  uvx",
        "everything's installed!",
    ]


UV_NO_VENV = (
    "error: No virtual environment found; run `uv venv` to create an environment, or pass "
    "`--system` to install into a non-virtual environment"
)


def apt_lines(packages: list[str]) -> list[str]:
    """apt-get update + install output on a Debian bookworm base image."""
    lines = [
        "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]",
        "Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]",
        "Get:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]",
        "Get:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]",
        "Fetched 9046 kB in 1s (8619 kB/s)",
        "Reading package lists...",
    ]
    if not packages:
        return lines
    lines += [
        "Reading package lists...",
        "Building dependency tree...",
        "Reading state information...",
        "The following NEW packages will be installed:",
        "  " + " ".join(packages),
        f"0 upgraded, {len(packages)} newly installed, 0 to remove and 0 not upgraded.",
        f"Need to get {1.2 * len(packages):.1f} MB of archives.",
        f"After this operation, {5.3 * len(packages):.1f} MB of additional disk space will be used.",
    ]
    for index, name in enumerate(packages, start=1):
        lines.append(
            f"Get:{index} http://deb.debian.org/debian bookworm/main amd64 {name} amd64 [{300 + index * 17} kB]"
        )
    lines.append("debconf: delaying package configuration, since apt-utils is not installed")
    for name in packages:
        lines.append(f"Selecting previously unselected package {name}.")
        lines.append(f"Setting up {name} ...")
    lines.append("Processing triggers for libc-bin (2.36-9+deb12u9) ...")
    return lines
