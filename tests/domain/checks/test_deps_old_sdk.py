"""DEPS002 "unpinned stack on an old SDK", on real corpus folders and one-line neighbours of them.

danielrosehill (gradio sdk_version 4.44.0, requirements `gradio>=4.0.0` + `openai`) is the real
case: the Hub installs gradio 4.44.0, whose oauth.py imports HfFolder, over a huggingface_hub
nothing bounds below 1.0. The neighbours change one line of a real folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.domain.checks.real_spaces import CORPUS, check_folder
from tui.domain.checks.findings import Finding


def _deps002(root: Path) -> list[Finding]:
    return [f for f in check_folder(root) if f.id == "DEPS002"]


def _copy(tmp_path: Path, name: str, edits: dict[str, tuple[str, str]]) -> Path:
    """A real folder with `old` replaced by `new` in each named file (the edit must apply)."""
    root = tmp_path / name
    shutil.copytree(CORPUS / name, root)
    for file, (old, new) in edits.items():
        text = (root / file).read_text(encoding="utf-8")
        assert old in text, (file, old)
        (root / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


DANIEL = "danielrosehill__BLUF-Email-Formatter-HF-Space"


def test_old_gradio_sdk_over_a_free_huggingface_hub_is_a_warning() -> None:
    found = _deps002(CORPUS / DANIEL)
    warning = [f for f in found if f.severity.value == "warning"]
    assert [(f.file, f.line) for f in warning] == [("README.md", 7)]
    assert "sdk_version 4.44.0 (gradio) with huggingface-hub unpinned" in warning[0].message
    assert "HfFolder" in warning[0].message
    # The override itself: gradio>=4.0.0 reaches gradio 6 before the Hub installs 4.44.0.
    assert any(f.severity.value == "info" and f.file == "requirements.txt" for f in found)


def test_pinning_huggingface_hub_below_1_clears_it(tmp_path: Path) -> None:
    root = _copy(tmp_path, DANIEL, {"requirements.txt": ("openai", "huggingface_hub<1.0\nopenai")})
    assert [f for f in _deps002(root) if f.severity.value != "info"] == []


def test_a_newer_sdk_version_is_outside_the_row(tmp_path: Path) -> None:
    root = _copy(tmp_path, DANIEL, {"README.md": ('sdk_version: "4.44.0"', 'sdk_version: "5.8.0"')})
    assert [f for f in _deps002(root) if "HfFolder" in f.message] == []


def test_another_requirement_that_may_bound_the_hub_lowers_it_to_info() -> None:
    """arnabd64: spacy-transformers bounds transformers, which bounds huggingface_hub."""
    found = [
        f for f in _deps002(CORPUS / "arnabd64__spacy-ner-hf-space") if "HfFolder" in f.message
    ]
    assert [f.severity.value for f in found] == ["info"]
    assert "other requirements may hold it back" in found[0].message


def test_a_pinned_hub_is_not_reported() -> None:
    """IknasiusAndrePabayo: gradio 4.19.2 with huggingface-hub==0.24.6."""
    found = _deps002(CORPUS / "IknasiusAndrePabayo__stunting-nlp-project")
    assert [f for f in found if "HfFolder" in f.message] == []


def test_docker_file_pin_with_only_leaves_beside_it_is_an_error(tmp_path: Path) -> None:
    """Milad-aghdam (Docker, gradio==4.44.1) stripped to gradio and leaves: pip alone decides."""
    root = tmp_path / "space"
    shutil.copytree(CORPUS / "Milad-aghdam__Kavosh-ai", root)
    (root / "requirements.txt").write_text("gradio==4.44.1\nnumpy>=1.24.0\n", encoding="utf-8")
    found = [f for f in _deps002(root) if "HfFolder" in f.message]
    assert [(f.severity.value, f.file, f.line) for f in found] == [("error", "requirements.txt", 1)]
    # The real file has sentence-transformers and langchain beside it: only info.
    real = [f for f in _deps002(CORPUS / "Milad-aghdam__Kavosh-ai") if "HfFolder" in f.message]
    assert [f.severity.value for f in real] == ["info"]


CASANDA = "Casanda00__mappingliberia"


def test_old_streamlit_sdk_with_altair_5_reachable(tmp_path: Path) -> None:
    """Casanda00 (streamlit, geemap, earthengine-api, pandas, matplotlib) on streamlit 1.19.0:
    geemap is not a leaf, so the break is stated as possible (info); alone, a warning."""
    root = _copy(
        tmp_path, CASANDA, {"README.md": ('sdk_version: "1.28.0"', 'sdk_version: "1.19.0"')}
    )
    found = [f for f in _deps002(root) if "altair" in f.message]
    assert [f.severity.value for f in found] == ["info"]
    (root / "requirements.txt").write_text("streamlit\npandas\nmatplotlib\n", encoding="utf-8")
    found = [f for f in _deps002(root) if "altair" in f.message]
    assert [(f.severity.value, f.file) for f in found] == [("warning", "README.md")]
    (root / "requirements.txt").write_text("altair<5\npandas\n", encoding="utf-8")
    assert [f for f in _deps002(root) if "altair" in f.message] == []


def test_the_real_streamlit_folder_on_1_28_is_clean() -> None:
    assert [f for f in _deps002(CORPUS / CASANDA) if "altair" in f.message] == []
