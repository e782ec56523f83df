"""README001–README026: the Space's README.md and the config in its front matter."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tui.domain.checks import space_config as cfg
from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.frontmatter import FrontMatter, parse_front_matter

README = "README.md"
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_SDK_VERSION = re.compile(r"\d+\.\d+\.\d+")
_PYTHON_VERSION = re.compile(r"3\.\d+(\.\d+)?")
_HF_CACHE_ENV = re.compile(r"^\s*(ENV|ARG)\s.*\b(HF_HOME|HF_HUB_CACHE)\b", re.MULTILINE | re.I)
_YAML_BOOLEANS = {"true", "false", "True", "False", "TRUE", "FALSE"}


def front_matter(ctx: CheckContext) -> FrontMatter | None:
    """The README parse of the engine, or a fresh one for hand-built contexts."""
    if ctx.front_matter is not None:
        return ctx.front_matter
    text = ctx.read_text(README)
    return parse_front_matter(text) if text is not None else None


def _card(ctx: CheckContext) -> dict[str, Any] | None:
    front = front_matter(ctx)
    if front is not None and front.data is not None:
        return front.data
    return dict(ctx.card) if ctx.card is not None else None


def _at(ctx: CheckContext, key: str) -> int | None:
    front = front_matter(ctx)
    if front is not None and key in front.key_lines:
        return front.key_lines[key]
    return ctx.card_lines.get(key)


def _first_line(ctx: CheckContext) -> int:
    """The README line where the front matter's YAML starts (1 without a front matter)."""
    front = front_matter(ctx)
    return front.first_line if front is not None else 1


def _f(ctx: CheckContext, rule: str, severity: Severity, key: str, message: str) -> Finding:
    return Finding(rule, severity, message, README, _at(ctx, key))


def _plain(ctx: CheckContext, key: str) -> bool:
    """Whether `key`'s value was written as an unquoted YAML scalar."""
    front = front_matter(ctx)
    scalar = front.scalars.get(key) if front is not None else None
    return scalar is not None and scalar.plain


def _raw(ctx: CheckContext, key: str) -> str | None:
    front = front_matter(ctx)
    scalar = front.scalars.get(key) if front is not None else None
    return scalar.text if scalar is not None else None


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_readme_present(ctx: CheckContext) -> Iterator[Finding]:
    """README001: README.md exists at the root, spelled exactly so."""
    if README in ctx.files or ctx.is_file(README):
        return
    near = sorted(p for p in ctx.files if "/" not in p and p.lower() == "readme.md")
    fix = f"rename {near[0]} to README.md" if near else "create README.md with the Space config"
    yield Finding(
        "README001",
        ERROR,
        f"no README.md at the root of the folder, so the Space gets 'Missing configuration in "
        f"README': {fix} (the name is case-sensitive).",
        near[0] if near else None,
    )


def check_front_matter_block(ctx: CheckContext) -> Iterator[Finding]:
    """README002 (block, BOM) and README003 (valid YAML mapping, no tabs, no duplicates)."""
    front = front_matter(ctx)
    if front is None:
        return
    for problem in front.problems:
        yield Finding(problem.id, ERROR, problem.message, README, problem.line)


def check_sdk(ctx: CheckContext) -> Iterator[Finding]:
    """README004: sdk is gradio, docker or static (streamlit is STREAMLIT001)."""
    card = _card(ctx)
    if card is None:
        return
    sdk = card.get("sdk")
    allowed = ", ".join(cfg.SDKS)
    if sdk is None:
        yield Finding(
            "README004",
            ERROR,
            f"the front matter has no sdk, so the Space cannot be built: add 'sdk: docker' "
            f"(or one of {allowed}).",
            README,
            _first_line(ctx),
        )
    elif not isinstance(sdk, str) or sdk not in (*cfg.SDKS, *cfg.LEGACY_SDKS):
        guess = difflib.get_close_matches(str(sdk).lower(), cfg.SDKS, n=1, cutoff=0.6)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        yield _f(
            ctx,
            "README004",
            ERROR,
            "sdk",
            f"sdk {_short(sdk)} is not one the Hub builds{hint}: use one of {allowed}.",
        )


def check_title(ctx: CheckContext) -> Iterator[Finding]:
    """README005: title is present and a string."""
    card = _card(ctx)
    if card is None:
        return
    if "title" not in card:
        yield Finding(  # info: without a title the Hub shows the repository name
            "README005",
            INFO,
            "the front matter has no title: add 'title: My Space' (shown on the Space card).",
            README,
            _first_line(ctx),
        )
    elif not isinstance(card["title"], str):
        yield _f(
            ctx,
            "README005",
            WARNING,
            "title",
            f'title {_short(card["title"])} is not text: quote it, e.g. title: "My Space".',
        )


def check_emoji(ctx: CheckContext) -> Iterator[Finding]:
    """README006: emoji is exactly one emoji (ZWJ sequences and VS16 allowed)."""
    card = _card(ctx)
    if card is None or "emoji" not in card:
        return
    value = card["emoji"]
    if isinstance(value, str):
        import emoji  # the Unicode emoji tables are only needed when the key is set

        if emoji.is_emoji(value.strip()):
            return
        if value.strip() and emoji.purely_emoji(value.strip()):
            # Several emoji and nothing else: the docs ask for one, but we found no report of
            # the Hub rejecting it, so this cannot be sure enough to block a deploy.
            yield _f(
                ctx,
                "README006",
                INFO,
                "emoji",
                f"emoji {_short(value)} is several emoji; the Space card shows one: keep a single "
                "emoji character.",
            )
            return
    yield _f(
        ctx,
        "README006",
        ERROR,
        "emoji",
        f"emoji {_short(value)} is not a single emoji character: put exactly one real emoji "
        "character there (not text, not a :shortcode:).",
    )


def check_colors(ctx: CheckContext) -> Iterator[Finding]:
    """README007: colorFrom/colorTo are one of the eight lowercase colour names."""
    card = _card(ctx)
    if card is None:
        return
    allowed = ", ".join(cfg.COLORS)
    for key in ("colorFrom", "colorTo"):
        if key not in card:
            continue
        value = card[key]
        if isinstance(value, str) and value in cfg.COLORS:
            continue
        hint = ""
        if isinstance(value, str) and value.lower() in cfg.COLORS:
            hint = f" (write it in lowercase: {value.lower()})"
        elif value == "grey":
            hint = " (the Hub spells it gray)"
        yield _f(
            ctx,
            "README007",
            ERROR,
            key,
            f'{key} {_short(value)} is rejected by the Hub (\'"{key}" must be one of '
            f"[...]'){hint}: use one of {allowed}.",
        )


def check_short_description(ctx: CheckContext) -> Iterator[Finding]:
    """README008: short_description is text of at most 60 characters (UTF-16 units)."""
    card = _card(ctx)
    if card is None or "short_description" not in card:
        return
    value = card["short_description"]
    if not isinstance(value, str):
        yield _f(
            ctx,
            "README008",
            ERROR,
            "short_description",
            f"short_description {_short(value)} is not text: quote it.",
        )
        return
    length = cfg.utf16_length(value)
    if length > 60:
        yield _f(
            ctx,
            "README008",
            ERROR,
            "short_description",
            f"short_description is {length} characters long and the Hub rejects more than 60: "
            "shorten it.",
        )


def check_app_port(ctx: CheckContext) -> Iterator[Finding]:
    """README009: docker app_port is an integer in 1025–65535; ignored by other SDKs."""
    card = _card(ctx)
    if card is None or "app_port" not in card:
        return
    value = card["app_port"]
    sdk = card.get("sdk")
    if sdk != "docker":
        yield _f(
            ctx,
            "README009",
            INFO,
            "app_port",
            f"app_port only applies to Docker Spaces; with sdk {_short(sdk)} it is ignored "
            "(remove it).",
        )
        return
    if isinstance(value, str) and value.strip().isdigit():
        port = int(value.strip())
        if 1025 <= port <= 65535:
            yield _f(
                ctx,
                "README009",
                WARNING,
                "app_port",
                f'app_port is the text "{value}", documented as a number: write '
                f"app_port: {port} without quotes.",
            )
            return
        value = port
    if isinstance(value, bool) or not isinstance(value, int):
        yield _f(
            ctx,
            "README009",
            ERROR,
            "app_port",
            f"app_port {_short(value)} is not a port number: write e.g. app_port: 7860.",
        )
    elif not 1025 <= value <= 65535:
        yield _f(
            ctx,
            "README009",
            ERROR,
            "app_port",
            f'app_port {value} is rejected (\'"app_port" must be greater than or equal to '
            "1025' / at most 65535): listen on an unprivileged port such as 7860 and set "
            "app_port to it.",
        )


def check_sdk_version(ctx: CheckContext) -> Iterator[Finding]:
    """README010: gradio sdk_version is a quoted X.Y.Z; ignored for docker/static."""
    card = _card(ctx)
    if card is None or "sdk_version" not in card:
        return
    value = card["sdk_version"]
    sdk = card.get("sdk")
    if sdk in ("docker", "static"):
        yield _f(
            ctx,
            "README010",
            INFO,
            "sdk_version",
            f"sdk_version is ignored by {sdk} Spaces: remove it (pin versions in your "
            "Dockerfile or requirements instead).",
        )
        return
    if sdk != "gradio":
        return
    text = value if isinstance(value, str) else str(value)
    if not isinstance(value, str) or not _SDK_VERSION.fullmatch(value):
        yield _f(
            ctx,
            "README010",
            ERROR,
            "sdk_version",
            f"sdk_version {_short(value)} is not a full X.Y.Z version ('Gradio version does "
            f"not exist'): write it quoted with three parts, e.g. sdk_version: \"{text}"
            f'{".0" * max(0, 2 - text.count("."))}".',
        )


def check_python_version(ctx: CheckContext) -> Iterator[Finding]:
    """README011: python_version is a string like "3.10"; an unquoted 3.10 is the float 3.1."""
    card = _card(ctx)
    if card is None or "python_version" not in card:
        return
    value = card["python_version"]
    if card.get("sdk") == "docker":
        yield _f(
            ctx,
            "README011",
            INFO,
            "python_version",
            "python_version is ignored by Docker Spaces: choose Python with the FROM image "
            "of your Dockerfile and remove this key.",
        )
        return
    raw = _raw(ctx, "python_version")
    if not isinstance(value, str):
        spelled = raw if raw is not None else str(value)
        # 3.10 becomes 3.1 (a wrong Python: error); 3.12 stays "3.12" once turned back into text,
        # so it only deserves the advice to quote it.
        lossy = str(value) != spelled
        yield _f(
            ctx,
            "README011",
            ERROR if lossy else INFO,
            "python_version",
            f"python_version {spelled} is unquoted, so YAML reads the number {value!r}"
            + (" and the wrong Python is requested" if lossy else "")
            + f': quote it, python_version: "{spelled}".',
        )
    elif not _PYTHON_VERSION.fullmatch(value):
        yield _f(
            ctx,
            "README011",
            ERROR,
            "python_version",
            f"python_version {value!r} is not a Python 3 version: write e.g. "
            'python_version: "3.12".',
        )


def check_app_file(ctx: CheckContext) -> Iterator[Finding]:
    """README012: app_file is a relative path to an uploaded file of the right kind."""
    card = _card(ctx)
    if card is None or "app_file" not in card:
        return
    value = card["app_file"]
    sdk = card.get("sdk")
    if sdk == "docker":
        yield _f(
            ctx,
            "README012",
            INFO,
            "app_file",
            "app_file is ignored by Docker Spaces (the Dockerfile's CMD starts the app): "
            "remove it.",
        )
        return
    if not isinstance(value, str) or not value.strip():
        yield _f(
            ctx,
            "README012",
            ERROR,
            "app_file",
            f"app_file {_short(value)} is not a path: write e.g. app_file: app.py.",
        )
        return
    if value.startswith("/") or ".." in value.split("/"):
        yield _f(
            ctx,
            "README012",
            ERROR,
            "app_file",
            f"app_file {value!r} must be a path relative to the Space root without '..': "
            "write e.g. app_file: src/app.py.",
        )
        return
    suffix = {"gradio": ".py", "static": ".html"}.get(sdk if isinstance(sdk, str) else "")
    if suffix and not value.endswith(suffix):
        yield _f(
            ctx,
            "README012",
            ERROR,
            "app_file",
            f"app_file {value!r} must be a {suffix} file for a {sdk} Space.",
        )
        return
    if sdk == "static" and card.get("app_build_command"):
        return
    if value not in ctx.files:
        where = (
            "it is excluded from the upload (" + ctx.excluded[value] + ")"
            if value in ctx.excluded
            else "no such file is uploaded"
        )
        yield _f(
            ctx,
            "README012",
            ERROR,
            "app_file",
            f"app_file {value!r} does not exist in the upload ({where}), so the Space ends in "
            "NO_APP_FILE: fix the path or add the file.",
        )


def check_app_build_command(ctx: CheckContext) -> Iterator[Finding]:
    """README013: app_build_command only with static, and app_file then points at its output."""
    card = _card(ctx)
    if card is None or "app_build_command" not in card:
        return
    if card.get("sdk") != "static":
        yield _f(
            ctx,
            "README013",
            WARNING,
            "app_build_command",
            "app_build_command only runs for static Spaces and is ignored here: remove it, or "
            "build inside your Dockerfile.",
        )
    elif "app_file" not in card or card.get("app_file") == "index.html":
        yield _f(
            ctx,
            "README013",
            WARNING,
            "app_build_command",
            "app_build_command is set but app_file does not point at the build output, so "
            "the built site is not served: set e.g. app_file: dist/index.html.",
        )


def check_base_path(ctx: CheckContext) -> Iterator[Finding]:
    """README014: base_path starts with /; static Spaces use app_file instead."""
    card = _card(ctx)
    if card is None or "base_path" not in card:
        return
    value = card["base_path"]
    if card.get("sdk") == "static":
        yield _f(
            ctx,
            "README014",
            ERROR,
            "base_path",
            "base_path is not used by static Spaces: point app_file at the page instead.",
        )
    elif not isinstance(value, str) or not value.startswith("/"):
        yield _f(
            ctx,
            "README014",
            ERROR,
            "base_path",
            f"base_path {_short(value)} must start with '/': write e.g. base_path: /docs.",
        )


def check_header_and_flags(ctx: CheckContext) -> Iterator[Finding]:
    """README015: header is mini/default; fullWidth, pinned, hf_oauth... are true/false."""
    card = _card(ctx)
    if card is None:
        return
    if "header" in card and card["header"] not in cfg.HEADERS:
        yield _f(
            ctx,
            "README015",
            ERROR,
            "header",
            f"header {_short(card['header'])} is not allowed: use mini or default.",
        )
    for key in cfg.BOOLEAN_KEYS:
        if key not in card:
            continue
        value = card[key]
        raw = _raw(ctx, key)
        if isinstance(value, bool) and (raw is None or raw in _YAML_BOOLEANS):
            continue
        if isinstance(value, bool):
            message = (
                f"{key}: {raw} is a boolean for PyYAML but the text '{raw}' for the Hub's YAML "
                f"1.2 parser: write {key}: {'true' if value else 'false'}."
            )
        else:
            message = f"{key} {_short(value)} must be true or false."
        yield _f(ctx, "README015", ERROR, key, message)


def check_suggested_hardware(ctx: CheckContext) -> Iterator[Finding]:
    """README016: suggested_hardware is a documented flavor (it does not assign hardware)."""
    card = _card(ctx)
    if card is None or "suggested_hardware" not in card:
        return
    value = card["suggested_hardware"]
    if value in cfg.DOCUMENTED_HARDWARE:
        return
    if value in cfg.CLIENT_ONLY_HARDWARE:
        yield _f(
            ctx,
            "README016",
            WARNING,
            "suggested_hardware",
            f"suggested_hardware {value} is known to huggingface_hub but not listed in the "
            "Space config reference: use a documented flavor such as cpu-basic or t4-small "
            "(the value only suggests hardware, it does not assign it).",
        )
        return
    guess = difflib.get_close_matches(str(value), cfg.DOCUMENTED_HARDWARE, n=1, cutoff=0.6)
    hint = f" (did you mean {guess[0]}?)" if guess else ""
    yield _f(
        ctx,
        "README016",
        ERROR,
        "suggested_hardware",
        f"suggested_hardware {_short(value)} is not a Space hardware flavor{hint}: use one of "
        f"{', '.join(cfg.DOCUMENTED_HARDWARE[:6])}, ...",
    )


def check_suggested_storage(ctx: CheckContext) -> Iterator[Finding]:
    """README017: suggested_storage is ignored (persistent storage is gone)."""
    card = _card(ctx)
    if card is None or "suggested_storage" not in card:
        return
    yield _f(
        ctx,
        "README017",
        INFO,
        "suggested_storage",
        "suggested_storage is ignored: Spaces no longer have persistent storage (use a "
        "Storage Bucket); remove the key.",
    )


def check_startup_timeout(ctx: CheckContext) -> Iterator[Finding]:
    """README018: startup_duration_timeout is a duration like 30m or 1h30m, at most 6h."""
    card = _card(ctx)
    if card is None or "startup_duration_timeout" not in card:
        return
    value = card["startup_duration_timeout"]
    seconds = cfg.duration_seconds(value) if isinstance(value, str) else None
    if seconds is None:
        yield _f(
            ctx,
            "README018",
            ERROR,
            "startup_duration_timeout",
            f"startup_duration_timeout {_short(value)} is not a duration with a unit: write "
            "e.g. startup_duration_timeout: 1h (or 45m, 1h30m).",
        )
    elif seconds > 6 * 3600:
        yield _f(
            ctx,
            "README018",
            ERROR,
            "startup_duration_timeout",
            f"startup_duration_timeout {value} is above the 6h maximum: use 6h or less.",
        )
    elif seconds > 30 * 60:
        yield _f(
            ctx,
            "README018",
            INFO,
            "startup_duration_timeout",
            f"startup_duration_timeout {value} is longer than the default 30m: consider "
            "preload_from_hub to download models at build time instead.",
        )


def check_custom_headers(ctx: CheckContext) -> Iterator[Finding]:
    """README019: custom_headers only sets the three cross-origin headers, in lowercase."""
    card = _card(ctx)
    if card is None or "custom_headers" not in card:
        return
    value = card["custom_headers"]
    allowed = ", ".join(cfg.CUSTOM_HEADERS)
    if not isinstance(value, dict):
        yield _f(
            ctx,
            "README019",
            ERROR,
            "custom_headers",
            f"custom_headers must be a mapping of header: value, with keys among {allowed}.",
        )
        return
    for key, header_value in value.items():
        name = str(key)
        if name not in cfg.CUSTOM_HEADERS:
            hint = " (write it in lowercase)" if name.lower() in cfg.CUSTOM_HEADERS else ""
            yield _f(
                ctx,
                "README019",
                ERROR,
                "custom_headers",
                f"custom_headers sets {name!r}, which is not allowed{hint}: only {allowed}.",
            )
            continue
        if not isinstance(header_value, str) or header_value != header_value.lower():
            yield _f(
                ctx,
                "README019",
                ERROR,
                "custom_headers",
                f"custom_headers {name} value {_short(header_value)} must be lowercase text, "
                "or the header is not applied.",
            )
        elif header_value not in cfg.CUSTOM_HEADERS[name]:
            yield _f(
                ctx,
                "README019",
                WARNING,
                "custom_headers",
                f"custom_headers {name}: {header_value} is not a value browsers know: use one "
                f"of {', '.join(cfg.CUSTOM_HEADERS[name])}.",
            )


def _preload_item_problem(item: object) -> str | None:
    if not isinstance(item, str):
        return (
            f'item {_short(item)} is not a string: write each entry as "<repo_id>" or '
            '"<repo_id> file1,file2" (not a mapping)'
        )
    parts = item.split()
    if not parts or len(parts) > 3:
        return f"item {item!r} is not '<repo_id> [files] [revision]'"
    if not cfg.is_valid_repo_id(parts[0]):
        return f"item {item!r} does not start with a valid repo id"
    if len(parts) == 3 and not re.fullmatch(r"[0-9a-f]{40}", parts[2]):
        return f"item {item!r} has a revision that is not a 40-character commit sha"
    return None


def check_preload_from_hub(ctx: CheckContext) -> Iterator[Finding]:
    """README020: preload_from_hub is a list of '<repo_id> [files] [sha]' strings."""
    card = _card(ctx)
    if card is None or "preload_from_hub" not in card:
        return
    value = card["preload_from_hub"]
    if not isinstance(value, list):
        yield _f(
            ctx,
            "README020",
            ERROR,
            "preload_from_hub",
            'preload_from_hub must be a list of "<repo_id> [file1,file2] [sha]" strings.',
        )
        return
    for item in value:
        problem = _preload_item_problem(item)
        if problem:
            yield _f(
                ctx,
                "README020",
                ERROR,
                "preload_from_hub",
                f"preload_from_hub {problem}; the build fails on it.",
            )
    dockerfile = ctx.read_text("Dockerfile") if "Dockerfile" in ctx.files else None
    if dockerfile and _HF_CACHE_ENV.search(dockerfile):
        yield _f(
            ctx,
            "README020",
            WARNING,
            "preload_from_hub",
            "the Dockerfile sets HF_HOME or HF_HUB_CACHE, but preload_from_hub writes to the "
            "default ~/.cache/huggingface/hub: the app will download the files again; keep the "
            "default cache location.",
        )


def check_repo_lists(ctx: CheckContext) -> Iterator[Finding]:
    """README021: models, datasets and tags are lists of strings; ids are valid repo ids."""
    card = _card(ctx)
    if card is None:
        return
    for key in ("models", "datasets", "tags"):
        if key not in card:
            continue
        value = card[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            yield _f(
                ctx,
                "README021",
                ERROR,
                key,
                f'{key} must be a list of strings, e.g. {key}: ["owner/name"].',
            )
            continue
        if key == "tags":
            continue
        for item in value:
            if not cfg.is_valid_repo_id(item):
                yield _f(
                    ctx,
                    "README021",
                    WARNING,
                    key,
                    f"{key} entry {item!r} is not a valid repo id (owner/name with letters, "
                    "digits, '-', '_', '.'), so it will not link: fix the id.",
                )


def check_license(ctx: CheckContext) -> Iterator[Finding]:
    """README022: license is a Hub license id; `other` comes with license_name."""
    card = _card(ctx)
    if card is None or "license" not in card:
        return
    value = card["license"]
    if not isinstance(value, str) or value not in cfg.LICENSES:
        guess = difflib.get_close_matches(str(value).lower(), sorted(cfg.LICENSES), n=1)
        hint = f" (did you mean {guess[0]}?)" if guess else ""
        yield _f(
            ctx,
            "README022",
            WARNING,
            "license",
            f"license {_short(value)} is not a Hub license id{hint}: use an id such as "
            "apache-2.0 or mit, or 'other' with license_name.",
        )
    elif value == "other" and not card.get("license_name"):
        yield _f(
            ctx,
            "README022",
            WARNING,
            "license",
            "license: other needs license_name (and ideally license_link and a LICENSE file).",
        )


def check_oauth(ctx: CheckContext) -> Iterator[Finding]:
    """README023: hf_oauth fields have the documented types, scopes and ranges."""
    card = _card(ctx)
    if card is None:
        return
    scopes = card.get("hf_oauth_scopes")
    if "hf_oauth_scopes" in card:
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            yield _f(
                ctx,
                "README023",
                ERROR,
                "hf_oauth_scopes",
                "hf_oauth_scopes must be a list of scope names, e.g. [read-repos].",
            )
        else:
            for scope in scopes:
                if scope in cfg.IMPLICIT_OAUTH_SCOPES:
                    yield _f(
                        ctx,
                        "README023",
                        INFO,
                        "hf_oauth_scopes",
                        f"scope {scope} is always granted: remove it from hf_oauth_scopes.",
                    )
                elif scope not in cfg.OAUTH_SCOPES:
                    yield _f(
                        ctx,
                        "README023",
                        ERROR,
                        "hf_oauth_scopes",
                        f"hf_oauth_scopes has unknown scope {scope!r}: use scopes such as "
                        "email, read-repos, write-repos, inference-api.",
                    )
            if card.get("hf_oauth") is not True:
                yield _f(
                    ctx,
                    "README023",
                    WARNING,
                    "hf_oauth_scopes",
                    "hf_oauth_scopes has no effect without hf_oauth: true: add it.",
                )
    if "hf_oauth_expiration_minutes" in card:
        minutes = card["hf_oauth_expiration_minutes"]
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 43200:
            yield _f(
                ctx,
                "README023",
                ERROR,
                "hf_oauth_expiration_minutes",
                f"hf_oauth_expiration_minutes {_short(minutes)} must be a whole number of "
                "minutes from 1 to 43200 (default 480).",
            )
    if "hf_oauth_authorized_org" in card:
        org = card["hf_oauth_authorized_org"]
        if not (
            isinstance(org, str)
            or (isinstance(org, list) and org and all(isinstance(o, str) for o in org))
        ):
            yield _f(
                ctx,
                "README023",
                ERROR,
                "hf_oauth_authorized_org",
                "hf_oauth_authorized_org must be an organization name or a list of names.",
            )
    if "hf_oauth_redirect_path" in card:
        yield _f(
            ctx,
            "README023",
            INFO,
            "hf_oauth_redirect_path",
            "hf_oauth_redirect_path was removed from the Space config: delete it.",
        )


def check_thumbnail(ctx: CheckContext) -> Iterator[Finding]:
    """README024: thumbnail is an http(s) URL."""
    card = _card(ctx)
    if card is None or "thumbnail" not in card:
        return
    value = card["thumbnail"]
    if not (isinstance(value, str) and re.match(r"https?://\S+$", value)):
        yield _f(
            ctx,
            "README024",
            INFO,
            "thumbnail",
            f"thumbnail {_short(value)} is not an http(s) URL, so no image is shown.",
        )


def _suggest_key(key: str) -> str | None:
    normalized = cfg.normalize_key(key)
    for known in cfg.KNOWN_KEYS:
        if cfg.normalize_key(known) == normalized:
            return known
    if normalized in cfg.KEY_ALIASES:
        return cfg.KEY_ALIASES[normalized]
    if key.lower() in cfg.KEY_ALIASES:
        return cfg.KEY_ALIASES[key.lower()]
    by_norm = {cfg.normalize_key(k): k for k in cfg.KNOWN_KEYS}
    guess = difflib.get_close_matches(normalized, list(by_norm), n=1, cutoff=0.85)
    return by_norm[guess[0]] if guess else None


def check_unknown_keys(ctx: CheckContext) -> Iterator[Finding]:
    """README025: top-level keys that look like typos of known ones."""
    card = _card(ctx)
    if card is None:
        return
    for key in card:
        if key in cfg.KNOWN_KEYS:
            continue
        suggestion = _suggest_key(key)
        if suggestion is None or suggestion in card:
            continue
        yield _f(
            ctx,
            "README025",
            WARNING,
            key,
            f"unknown key {key!r} is silently ignored by the Hub, so the default applies: "
            f"did you mean {suggestion}?",
        )


def check_sdk_fits_folder(ctx: CheckContext) -> Iterator[Finding]:
    """README026: the sdk matches the folder (a Dockerfile wants docker, and so on)."""
    card = _card(ctx)
    if card is None:
        return
    sdk = card.get("sdk")
    has_dockerfile = "Dockerfile" in ctx.files
    # A static Space with app_build_command serves what its build makes: its app_file is not
    # in the folder by design, and a Dockerfile beside it is for other hosts.
    builds = sdk == "static" and bool(card.get("app_build_command"))
    if sdk in ("gradio", "static") and has_dockerfile and not builds:
        entry = card.get("app_file") or ("app.py" if sdk == "gradio" else "index.html")
        if entry not in ctx.files:
            yield _f(
                ctx,
                "README026",
                WARNING,
                "sdk",
                f"sdk is {sdk} but the folder has a Dockerfile and no {entry}: did you mean "
                "sdk: docker? (a Dockerfile is ignored by other SDKs)",
            )
    elif sdk == "docker" and not has_dockerfile and "Dockerfile" not in ctx.excluded:
        misspelt = any(p.lower().rsplit("/", 1)[-1] == "dockerfile" for p in ctx.files)
        if "app.py" in ctx.files and not misspelt:  # a misspelt Dockerfile is DOCKER001's
            # Info: DOCKER001 already blocks on the missing Dockerfile (one root cause, one
            # error); this only adds the other way out.
            yield _f(
                ctx,
                "README026",
                INFO,
                "sdk",
                "sdk is docker but the folder has only an app.py and no Dockerfile: did you "
                "mean sdk: gradio? Otherwise add a Dockerfile.",
            )


README_CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [
    check_readme_present,
    check_front_matter_block,
    check_sdk,
    check_title,
    check_emoji,
    check_colors,
    check_short_description,
    check_app_port,
    check_sdk_version,
    check_python_version,
    check_app_file,
    check_app_build_command,
    check_base_path,
    check_header_and_flags,
    check_suggested_hardware,
    check_suggested_storage,
    check_startup_timeout,
    check_custom_headers,
    check_preload_from_hub,
    check_repo_lists,
    check_license,
    check_oauth,
    check_thumbnail,
    check_unknown_keys,
    check_sdk_fits_folder,
]
