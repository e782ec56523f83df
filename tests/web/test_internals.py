"""textual-serve's private parts tui/web/_serve_internals.py relies on: fails by name if they move."""

from __future__ import annotations

import inspect

import textual_serve
from textual_serve.app_service import AppService
from textual_serve.server import Server

from tui.web._serve_internals import app_environment


def test_app_service_still_builds_its_environment_in_build_environment() -> None:
    method = AppService.__dict__.get("_build_environment")
    assert method is not None, "AppService._build_environment is gone: update _serve_internals"
    assert list(inspect.signature(method).parameters) == ["self", "width", "height"]
    assert "_build_environment(" in inspect.getsource(AppService._open_app_process)


def test_app_service_still_keeps_its_process_in_process() -> None:
    assert "self._process = process" in inspect.getsource(AppService._open_app_process)
    assert "self._process" in inspect.getsource(AppService.__init__)


def test_server_still_offers_the_public_parts_we_use() -> None:
    params = inspect.signature(Server.__init__).parameters
    assert {"command", "host", "port", "title", "public_url"} <= set(params)
    assert callable(Server.handle_download)
    assert textual_serve.__file__  # the wheel's static files are served from beside it


def test_app_environment_keeps_only_what_apps_need() -> None:
    environ = {
        "PATH": "/bin",
        "HOME": "/home/u",
        "LC_ALL": "C.UTF-8",
        "HF_TOKEN": "hf_x",
        "SPACETUI_WEB_SECRET": "s",
        "AWS_SECRET_ACCESS_KEY": "k",
        "SPACE_ID": "a/b",
    }
    added = {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver", "COLUMNS": "80"}
    demo = app_environment(environ, added, pass_token=False)
    assert demo == {
        "PATH": "/bin",
        "HOME": "/home/u",
        "LC_ALL": "C.UTF-8",
        "SPACE_ID": "a/b",
        "TEXTUAL_DRIVER": added["TEXTUAL_DRIVER"],
        "COLUMNS": "80",
        "SPACETUI_WEB": "1",
    }
    real = app_environment(environ, added, pass_token=True)
    assert real["HF_TOKEN"] == "hf_x" and "SPACETUI_WEB_SECRET" not in real
