"""README001–README026, table-driven: every rule has failing and passing folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.domain.checks.engine import run_checks
from tui.domain.checks.frontmatter import REGEX_YAML_BLOCK, parse_front_matter

GOOD = {
    "title": "Test Space",
    "emoji": "🚀",
    "colorFrom": "blue",
    "colorTo": "green",
    "sdk": "docker",
    "app_port": "7860",
    "short_description": "A small test Space",
}
DOCKERFILE = 'FROM python:3.12-slim\nCMD ["python", "-m", "http.server", "7860"]\n'


def readme(base: dict[str, str] | None = None, **over: str | None) -> str:
    """README text from GOOD with `over` applied (None drops a key); values are raw YAML."""
    card = dict(GOOD if base is None else base)
    card.update(over)
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in card.items() if v is not None) + "---\n# T\n"


def gradio(**over: str | None) -> dict[str, str]:
    card = {**GOOD, "sdk": "gradio", "sdk_version": '"5.49.1"', "app_port": None}
    return {"README.md": readme(card, **over), "app.py": "import gradio as gr\n"}


def docker(**over: str | None) -> dict[str, str]:
    return {"README.md": readme(**over), "Dockerfile": DOCKERFILE}


def static(**over: str | None) -> dict[str, str]:
    card = {**GOOD, "sdk": "static", "app_port": None}
    return {"README.md": readme(card, **over), "index.html": "<p>hi</p>"}


E, W, I = "error", "warning", "info"  # noqa: E741
# (rule, expected severity or None when the rule must stay silent, files)
ROWS = [
    ("README001", E, {"readme.md": readme(), "Dockerfile": DOCKERFILE}),
    ("README001", None, docker()),
    ("README002", E, {"README.md": "# just markdown\n"}),
    ("README002", E, {"README.md": "\ufeff" + readme()}),
    ("README002", E, {"README.md": "---\ntitle: x\nsdk: docker\n"}),
    ("README002", None, {"README.md": "\n\n" + readme()}),
    ("README002", None, {"README.md": readme().replace("\n", "\r\n")}),
    ("README003", E, {"README.md": "---\ntitle: a\nsdk: docker\ntitle: b\n---\n"}),
    ("README003", E, {"README.md": "---\nsdk: docker\ncustom_headers:\n\tx: y\n---\n"}),
    ("README003", E, {"README.md": "---\ntitle: [unclosed\nsdk: docker\n---\n"}),
    ("README003", E, {"README.md": "---\n- a\n- b\n---\n"}),
    ("README003", None, docker()),
    ("README004", E, docker(sdk=None)),
    ("README004", E, docker(sdk="gradiio")),
    ("README004", None, docker()),
    ("README005", I, docker(title=None)),
    ("README005", W, docker(title="[1, 2]")),
    ("README005", None, docker()),
    ("README006", E, docker(emoji="hvac")),
    ("README006", E, docker(emoji='":rocket:"')),
    ("README006", I, docker(emoji="🚀🚀")),
    ("README006", None, docker(emoji="👨‍👩‍👧")),
    ("README006", None, docker(emoji="❤️")),
    ("README007", E, docker(colorTo="orange")),
    ("README007", E, docker(colorFrom="'#00C9FF'")),
    ("README007", E, docker(colorFrom="Blue")),
    ("README007", E, docker(colorTo="grey")),
    ("README007", None, docker(colorFrom="gray", colorTo="indigo")),
    ("README008", E, docker(short_description="a" * 61)),
    ("README008", E, docker(short_description="🚀" * 31)),  # 31 characters, 62 UTF-16 units
    ("README008", None, docker(short_description="a" * 60)),
    ("README009", E, docker(app_port="80")),
    ("README009", E, docker(app_port="70000")),
    ("README009", E, docker(app_port="abc")),
    ("README009", W, docker(app_port='"7860"')),
    ("README009", I, gradio(app_port="7860")),
    ("README009", None, docker(app_port="8080")),
    ("README010", E, gradio(sdk_version="3.27")),
    ("README010", E, gradio(sdk_version='"3.27"')),
    ("README010", I, docker(sdk_version='"1.0.0"')),
    ("README010", None, gradio(sdk_version='"5.49.1"')),
    ("README011", E, gradio(python_version="3.10")),
    ("README011", E, gradio(python_version='"2.7"')),
    ("README011", I, docker(python_version='"3.12"')),
    ("README011", None, gradio(python_version='"3.10"')),
    ("README012", E, gradio(app_file="missing.py")),
    ("README012", E, gradio(app_file="/abs/app.py")),
    ("README012", E, gradio(app_file="../app.py")),
    ("README012", E, gradio(app_file="app.txt")),
    ("README012", I, docker(app_file="app.py")),
    ("README012", None, gradio(app_file="app.py")),
    ("README013", W, docker(app_build_command="npm run build")),
    ("README013", W, static(app_build_command="npm run build")),
    ("README013", None, static(app_build_command="npm run build", app_file="dist/index.html")),
    ("README014", E, docker(base_path="docs")),
    ("README014", None, docker(base_path="/docs")),
    ("README015", E, docker(header="big")),
    ("README015", E, docker(pinned="yes")),
    ("README015", E, docker(fullWidth="maybe")),
    ("README015", None, docker(header="mini", pinned="true", fullWidth="false")),
    ("README016", E, docker(suggested_hardware="gpu-large")),
    ("README016", W, docker(suggested_hardware="zero-a10g")),
    ("README016", None, docker(suggested_hardware="t4-small")),
    ("README017", I, docker(suggested_storage="small")),
    ("README017", None, docker()),
    ("README018", E, docker(startup_duration_timeout="30")),
    ("README018", E, docker(startup_duration_timeout="7h")),
    ("README018", I, docker(startup_duration_timeout="1h30m")),
    ("README018", None, docker(startup_duration_timeout="20m")),
    ("README019", E, docker(custom_headers="{x-frame-options: deny}")),
    ("README019", E, docker(custom_headers="{Cross-Origin-Opener-Policy: same-origin}")),
    ("README019", E, docker(custom_headers="{cross-origin-opener-policy: Same-Origin}")),
    ("README019", W, docker(custom_headers="{cross-origin-opener-policy: whatever}")),
    ("README019", E, docker(custom_headers="nope")),
    ("README019", None, docker(custom_headers="{cross-origin-embedder-policy: require-corp}")),
    ("README020", E, docker(preload_from_hub="[{repo_id: a/b, filename: x}]")),
    ("README020", E, docker(preload_from_hub="owner/model")),
    ("README020", E, docker(preload_from_hub='["bad--id"]')),
    ("README020", E, docker(preload_from_hub='["a/b f.bin notasha"]')),
    (
        "README020",
        W,
        {
            "README.md": readme(preload_from_hub='["a/b"]'),
            "Dockerfile": "FROM python:3.12\nENV HF_HOME=/data/hf\n",
        },
    ),
    (
        "README020",
        None,
        docker(preload_from_hub=f'["openai/whisper-tiny", "a/b x.bin,y.json {"0" * 40}"]'),
    ),
    ("README021", E, docker(models="owner/name")),
    ("README021", E, docker(tags="[1, 2]")),
    ("README021", W, docker(datasets='["-bad-"]')),
    ("README021", None, docker(models='["owner/name", "gpt2"]', tags="[demo]")),
    ("README022", W, docker(license="apache")),
    ("README022", W, docker(license="other")),
    ("README022", None, docker(license="other", license_name="my-license")),
    ("README022", None, docker(license="mit")),
    ("README023", E, docker(hf_oauth="true", hf_oauth_scopes="[not-a-scope]")),
    ("README023", W, docker(hf_oauth_scopes="[read-repos]")),
    ("README023", E, docker(hf_oauth="true", hf_oauth_expiration_minutes="0")),
    ("README023", I, docker(hf_oauth="true", hf_oauth_scopes="[openid]")),
    ("README023", E, docker(hf_oauth_authorized_org="{a: b}")),
    (
        "README023",
        None,
        docker(
            hf_oauth="true",
            hf_oauth_scopes="[read-repos, email]",
            hf_oauth_expiration_minutes="480",
            hf_oauth_authorized_org="org",
        ),
    ),
    ("README024", I, docker(thumbnail="not a url")),
    ("README024", None, docker(thumbnail="https://example.org/t.png")),
    ("README025", W, docker(app_port=None, appPort="8080")),
    ("README025", W, docker(colourFrom="blue", colorFrom=None)),
    ("README025", W, docker(**{"short-description": "x", "short_description": None})),
    ("README025", W, docker(port="8080", app_port=None)),
    ("README025", None, docker(my_own_metadata="x")),
    ("README026", W, {**gradio(), "app.py": None, "Dockerfile": DOCKERFILE}),
    ("README026", I, {"README.md": readme(), "app.py": "print()"}),
    ("README026", None, docker()),
    # Static without index.html beside a Dockerfile still asks "did you mean docker?"...
    ("README026", W, {**static(), "index.html": None, "Dockerfile": DOCKERFILE}),
    # ...but not when app_build_command makes the app_file (a Vite build, say).
    (
        "README026",
        None,
        {
            **static(app_build_command="npm run build", app_file="dist/index.html"),
            "index.html": None,
            "Dockerfile": DOCKERFILE,
            "package.json": '{"scripts": {"build": "vite build"}}',
        },
    ),
]


def _write(root: Path, files: dict[str, str | None]) -> None:
    root.mkdir(exist_ok=True)
    for rel, text in files.items():
        if text is not None:
            (root / rel).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("rule", "severity", "files"),
    ROWS,
    ids=[f"{r}-{s or 'clean'}-{i}" for i, (r, s, _) in enumerate(ROWS)],
)
def test_readme_rule(tmp_path: Path, rule: str, severity: str | None, files: dict) -> None:
    root = tmp_path / "space"
    _write(root, files)
    report = run_checks(root)
    found = [f for f in report.findings if f.id == rule]
    assert not [f for f in report.findings if f.id == "INTERNAL"]
    if severity is None:
        assert found == [], found
        return
    assert found, f"{rule} not reported; got {[f.id for f in report.findings]}"
    assert severity in {f.severity.value for f in found}, found
    for finding in found:
        assert finding.file is None or finding.file == "README.md" or rule == "README001"
        assert finding.message.endswith((".", ")", "?")), finding.message


def test_findings_carry_the_readme_line(tmp_path: Path) -> None:
    root = tmp_path / "space"
    _write(root, docker(colorTo="orange", short_description="x" * 70))
    report = run_checks(root)
    lines = {f.id: f.line for f in report.findings if f.id.startswith("README")}
    text = (root / "README.md").read_text().splitlines()
    assert text[lines["README007"] - 1].startswith("colorTo:")
    assert text[lines["README008"] - 1].startswith("short_description:")


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    root = tmp_path / "space"
    _write(root, {"README.md": "---\ntitle: a\nsdk: docker\ntitle: b\n---\n"})
    (finding,) = [f for f in run_checks(root).findings if f.id == "README003"]
    assert finding.line == 4 and "first on line 2" in finding.message


def test_a_duplicate_key_does_not_hide_the_other_findings(tmp_path: Path) -> None:
    # QA: sdk twice plus a bad colour, port and description gave README003 alone.
    root = tmp_path / "space"
    card = (
        "---\ntitle: T\nsdk: gradio\ncolorFrom: orange\nsdk: docker\napp_port: 80\n"
        f"short_description: {'x' * 70}\n---\n"
    )
    _write(root, {"README.md": card, "Dockerfile": DOCKERFILE})
    found = {f.id: f for f in run_checks(root).findings if f.id.startswith("README")}
    assert {"README003", "README007", "README008", "README009"} <= set(found)
    assert found["README003"].line == 5 and "first on line 3" in found["README003"].message
    assert "keeps only the last value" in found["README003"].message
    # The last sdk (docker) is the one checked: app_port is judged as a Docker port, not ignored.
    assert found["README009"].severity == "error" and "80" in found["README009"].message


def test_every_duplicate_is_reported_and_the_last_value_wins() -> None:
    parsed = parse_front_matter("---\nsdk: gradio\ntitle: a\nsdk: docker\ntitle: b\n---\n")
    assert parsed.data == {"sdk": "docker", "title": "b"}
    assert [(p.id, p.line) for p in parsed.problems] == [("README003", 4), ("README003", 5)]
    assert parsed.key_lines == {"sdk": 4, "title": 5}


def test_unquoted_python_version_explains_the_float(tmp_path: Path) -> None:
    root = tmp_path / "space"
    _write(root, gradio(python_version="3.10"))
    (finding,) = [f for f in run_checks(root).findings if f.id == "README011"]
    assert "3.1" in finding.message and 'python_version: "3.10"' in finding.message


def test_typo_suggests_the_right_key(tmp_path: Path) -> None:
    root = tmp_path / "space"
    _write(root, docker(app_port=None, appPort="8080"))
    (finding,) = [f for f in run_checks(root).findings if f.id == "README025"]
    assert "did you mean app_port?" in finding.message


def test_front_matter_regex_is_huggingface_hubs() -> None:
    from huggingface_hub.repocard import REGEX_YAML_BLOCK as HUB_REGEX

    assert REGEX_YAML_BLOCK.pattern == HUB_REGEX.pattern


def test_parse_keeps_key_lines_and_raw_scalars() -> None:
    front = parse_front_matter("\n---\ntitle: x\npython_version: 3.10\nsdk: 'gradio'\n---\nbody")
    assert front.problems == ()
    assert front.key_lines == {"title": 3, "python_version": 4, "sdk": 5}
    assert front.data["python_version"] == 3.1
    assert front.scalars["python_version"].text == "3.10" and front.scalars["python_version"].plain
    assert not front.scalars["sdk"].plain


def test_an_unclosed_bracket_is_reported_where_it_opens() -> None:
    from tui.domain.checks.frontmatter import parse_front_matter

    front = parse_front_matter("---\ntitle: x\nsdk: docker\ncolorFrom: [blue\n---\n")
    [problem] = front.problems
    assert problem.line == 4 and "close the [" in problem.message
