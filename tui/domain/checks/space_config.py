"""The vocabulary of Space README front matter: allowed values, known keys, id and duration rules.

Values come from the Hub's config reference (see shared/reference/checks.md §1); the hardware
list and repo-id rule match huggingface_hub 2.4 (`SpaceHardware`, `validate_repo_id`).
"""

from __future__ import annotations

import re

SDKS = ("gradio", "docker", "static")
LEGACY_SDKS = ("streamlit",)
COLORS = ("red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray")
HEADERS = ("mini", "default")
BOOLEAN_KEYS = ("fullWidth", "pinned", "hf_oauth", "disable_embedding")
STORAGE = ("small", "medium", "large")

DOCUMENTED_HARDWARE = tuple(
    (
        "cpu-basic cpu-upgrade t4-small t4-medium l4x1 l4x4 l40sx1 l40sx4 l40sx8 a10g-small "
        "a10g-large a10g-largex2 a10g-largex4 a100-large a100x4 a100x8"
    ).split()
)
#: In huggingface_hub's SpaceHardware but not in the config reference.
CLIENT_ONLY_HARDWARE = (
    "zero-a10g",
    "rtx-pro-6000",
    "rtx-pro-6000x2",
    "rtx-pro-6000x4",
    "rtx-pro-6000x8",
)

OAUTH_SCOPES = tuple(
    (
        "email read-billing read-memberships read-repos gated-repos contribute-repos "
        "write-repos manage-repos read-collections write-collections inference-api "
        "read-endpoints write-endpoints jobs webhooks write-discussions"
    ).split()
)
IMPLICIT_OAUTH_SCOPES = ("openid", "profile")

#: custom_headers key -> the values MDN documents for it.
CUSTOM_HEADERS = {
    "cross-origin-embedder-policy": ("require-corp", "credentialless", "unsafe-none"),
    "cross-origin-opener-policy": ("same-origin", "same-origin-allow-popups", "unsafe-none"),
    "cross-origin-resource-policy": ("same-origin", "same-site", "cross-origin"),
}

#: The Hub's license ids (repositories-licenses.md).
LICENSES = frozenset(
    """apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m
    bigscience-bloom-rail-1.0 bigcode-openrail-m afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause
    bsd-3-clause bsd-3-clause-clear c-uda cc cc0-1.0 cc-by-2.0 cc-by-2.5 cc-by-3.0 cc-by-4.0
    cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0
    cc-by-nc-nd-3.0 cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0
    cdla-sharing-1.0 cdla-permissive-1.0 cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0
    etalab-2.0 eupl-1.1 eupl-1.2 agpl-3.0 gfdl gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1 lgpl-3.0 isc
    h-research intel-research lppl-1.3c ms-pl apple-ascl apple-amlr mpl-2.0 odc-by odbl
    openmdw-1.0 openrail++ osl-3.0 postgresql ofl-1.1 ncsa unlicense zlib pddl lgpl-lr
    deepfloyd-if-license fair-noncommercial-research-license llama2 llama3 llama3.1 llama3.2
    llama3.3 llama4 gemma unknown other""".split()
)

#: Every top-level key the Space config reference (and the common card metadata) knows.
KNOWN_KEYS = tuple(
    (
        "title emoji colorFrom colorTo sdk sdk_version python_version app_file app_port "
        "base_path fullWidth header short_description models datasets tags thumbnail pinned "
        "hf_oauth hf_oauth_scopes hf_oauth_expiration_minutes hf_oauth_authorized_org "
        "hf_oauth_redirect_path disable_embedding startup_duration_timeout custom_headers "
        "preload_from_hub suggested_hardware suggested_storage license license_name "
        "license_link app_build_command language duplicated_from library_name pipeline_tag"
    ).split()
)

#: Wrong spellings seen in the wild whose fix is not a near-miss by edit distance.
KEY_ALIASES = {
    "port": "app_port",
    "appport": "app_port",
    "colour_from": "colorFrom",
    "colourfrom": "colorFrom",
    "colour_to": "colorTo",
    "colourto": "colorTo",
    "description": "short_description",
    "python": "python_version",
    "hardware": "suggested_hardware",
}

_REPO_PART = r"[\w\-.]{1,96}"
_REPO_ID = re.compile(rf"(?:{_REPO_PART}/)?{_REPO_PART}")
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?(?:h|m|s))+")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|m|s)")
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0}


def is_valid_repo_id(value: str) -> bool:
    """huggingface_hub's `validate_repo_id` rule, without raising."""
    if not _REPO_ID.fullmatch(value) or "--" in value or ".." in value:
        return False
    return all(part and part[0] not in "-." and part[-1] not in "-." for part in value.split("/"))


def duration_seconds(value: str) -> float | None:
    """Seconds in a Go-style duration (`30m`, `1h30m`), or None when it is not one."""
    if not _DURATION.fullmatch(value):
        return None
    return sum(float(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(value))


def utf16_length(value: str) -> int:
    """Length as JavaScript counts it (the Hub's validator is JS): UTF-16 code units."""
    return len(value.encode("utf-16-le")) // 2


def normalize_key(key: str) -> str:
    """Key spelling without case, `-` or `_`: `app-port`, `appPort` and `app_port` agree."""
    return key.lower().replace("-", "").replace("_", "")
