"""Options of the emulator process, kept free of heavy imports so `spacetui --help` stays fast."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

SEEDS = ("empty", "demo")
DEMO_USER = "demo"
DEMO_TOKEN = "hf_spacetui_demo_token"
DEMO_ORG = "demo-org"
#: The demo account is PRO (2,500 API calls per 5 minutes): the demo's monitor polls every 2 s
#: while a Space builds, and a long session must never run into the limiter by accident.
DEMO_PLAN = "pro"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", default="0", metavar="N", help="port to listen on (default 0: a free port)"
    )
    parser.add_argument(
        "--seed",
        default="empty",
        metavar="|".join(SEEDS),
        help=f"starting data: 'demo' adds user {DEMO_USER} (token {DEMO_TOKEN}) and its Spaces",
    )
    parser.add_argument(
        "--speed", default="1", metavar="X", help="divide every simulated duration by X (default 1)"
    )
    parser.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="NAME:TOKEN[:PLAN]",
        help="add an account with its token and plan, free or pro (default pro: may host "
        "Gradio and Docker Spaces; the free tier's rate limits unless :pro is given); "
        "repeatable; any other token gets 401",
    )
    parser.add_argument(
        "--quota",
        default=None,
        metavar="N",
        help="rate limit: N requests per 5-minute window for every caller and bucket "
        "(default: the Hub's quotas, e.g. 1000 API calls for a free account)",
    )
    parser.add_argument(
        "--lfs",
        action="store_true",
        help="answer preupload with lfs where the Hub would (for clients with HF_HUB_DISABLE_XET=1)",
    )


class UsageError(ValueError):
    """A bad argument value; reported as one line, exit code 2."""


#: Plans `--user NAME:TOKEN:PLAN` accepts (organisations get theirs through the state API).
USER_PLAN_CHOICES = ("free", "pro")


def parse_users(values: list[str]) -> dict[str, str]:
    """name -> token of every `--user` value."""
    return {name: token for name, (token, _) in _parse_user_values(values).items()}


def parse_plans(values: list[str]) -> dict[str, str]:
    """name -> plan of the `--user` values that state one."""
    return {name: plan for name, (_, plan) in _parse_user_values(values).items() if plan}


def _parse_user_values(values: list[str]) -> dict[str, tuple[str, str | None]]:
    users: dict[str, tuple[str, str | None]] = {}
    for value in values:
        name, sep, rest = value.partition(":")
        token, _, plan = rest.partition(":")
        if not sep or not name.strip() or not token.strip() or "/" in name:
            raise UsageError(f"--user must look like NAME:TOKEN or NAME:TOKEN:PLAN, got {value!r}")
        if plan and plan.strip() not in USER_PLAN_CHOICES:
            raise UsageError(
                f"--user plan must be one of {', '.join(USER_PLAN_CHOICES)}, got {plan!r}"
            )
        users[name.strip()] = (token.strip(), plan.strip() or None)
    return users


def _number(value: str, flag: str, kind: type[int] | type[float]) -> float:
    try:
        return kind(value)
    except ValueError:
        raise UsageError(f"{flag} must be a number, got {value!r}") from None


@dataclass(frozen=True)
class Options:
    """Validated emulator options."""

    host: str
    port: int
    seed: str
    speed: float
    users: dict[str, str]
    lfs: bool
    quota: int | None = None
    #: name -> plan for the `--user` values that named one (the others host like PRO).
    plans: dict[str, str] | None = None


def validate(args: argparse.Namespace) -> Options:
    """The checked options, or UsageError naming the bad one."""
    users = parse_users(args.user)
    plans = parse_plans(args.user)
    port = int(_number(args.port, "--port", int))
    speed = _number(args.speed, "--speed", float)
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {port}")
    if speed <= 0:
        raise UsageError(f"--speed must be positive, got {args.speed}")
    if args.seed not in SEEDS:
        raise UsageError(f"--seed must be one of {', '.join(SEEDS)}, got {args.seed!r}")
    quota = None if args.quota is None else int(_number(args.quota, "--quota", int))
    if quota is not None and quota < 1:
        raise UsageError(f"--quota must be at least 1, got {quota}")
    return Options(args.host, port, args.seed, speed, users, args.lfs, quota, plans)
