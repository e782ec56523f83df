"""Watch huggingface_hub's own upload traffic byte by byte, on every path the Hub may choose.

huggingface_hub 2.4 offers no upload progress callback, so a deploy installs three hooks for its
duration (and removes them after):

- a counting transport around huggingface_hub's HTTP transport (httpx2, wrapped through
  `tui/domain/hub/hf_session.py`, the one place that configures that client): regular files travel base64-encoded inside the NDJSON commit body, so
  the body is streamed in slices and each slice is credited to the file whose line it belongs
  to; plain LFS files travel as PUTs (single or multipart) to the hrefs the LFS batch answer
  named, so the batch answer is read to map each href to its oid, hence its file;
- a stand-in for `XetUploadProgressReporter` (a private hook: hf_xet uploads with its own Rust
  HTTP client, invisible to any Python transport), fed per-file byte counts by hf_xet;
- every slice checks the cancel token, so Ctrl+C stops the upload before the last slice of the
  commit body (the point of no return, see `CancelToken.enter_commit`).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx2

from tui._compat.huggingface_hub import set_xet_reporter, xet_reporter
from tui.domain.deploy.cancel import CancelToken
from tui.domain.deploy.progress import ProgressTracker
from tui.domain.hub import hf_session

#: Size of the slices the commit body and LFS bodies are sent in (progress granularity).
SLICE_BYTES = 256 * 1024

_install_lock = threading.Lock()
#: The watch of the deploy in progress (one at a time, under `_install_lock`), or None.
_active: UploadWatch | None = None


def install_counting_transport() -> None:
    """Wrap huggingface_hub's transport in the counting one, once per process.

    Installed before the deploy's first Hub call, so the shared client (its TLS context and its
    pooled connections) is built once and reused; outside a deploy the transport only passes
    through. The client itself is configured in `tui/domain/hub/hf_session.py`.
    """
    hf_session.add_wrapper(_CountingTransport)


class UploadWatch:
    """Context manager: while entered, huggingface_hub's uploads report into `tracker`."""

    def __init__(
        self,
        tracker: ProgressTracker,
        local_paths: Mapping[str, Path],
        cancel: CancelToken,
        *,
        sha256_of_path: Callable[[], Mapping[str, str]] = dict,
        on_committing: Callable[[], None] = lambda: None,
    ) -> None:
        self.tracker = tracker
        self.cancel = cancel
        self._local_paths = local_paths
        # Built on first use: only hf_xet reports by local path, and resolving a thousand paths
        # costs a tenth of a second that the regular and LFS paths never need.
        self._repo_path_by_local: dict[str, str] | None = None
        self._sha256_of_path = sha256_of_path
        self.on_committing = on_committing
        self._oid_by_href: dict[str, str] = {}
        self._lock = threading.Lock()
        self._saved: dict[str, Any] = {}

    # -- installation -------------------------------------------------------------------------

    def __enter__(self) -> UploadWatch:
        global _active
        install_counting_transport()
        _install_lock.acquire()
        _active = self
        utils = importlib.import_module("huggingface_hub.utils")
        self._saved = {
            "xet_reporter": xet_reporter(),
            "bars_disabled": utils.are_progress_bars_disabled,
            "bars_were_disabled": utils.are_progress_bars_disabled(),
        }
        # huggingface_hub's own tqdm bars would scribble over our output; we draw progress.
        utils.disable_progress_bars()
        set_xet_reporter(self._xet_reporter)
        # _upload_xet_files passes a progress callback to hf_xet only when bars are enabled; the
        # stand-in reporter prints nothing, so claim they are on for that one lookup site.
        # `utils` comes from import_module, typed as a bare ModuleType.
        utils.are_progress_bars_disabled = lambda name=None: False  # type: ignore[attr-defined]
        return self

    def __exit__(self, *exc_info: object) -> None:
        global _active
        try:
            _active = None
            utils = importlib.import_module("huggingface_hub.utils")
            set_xet_reporter(self._saved["xet_reporter"])
            utils.are_progress_bars_disabled = self._saved["bars_disabled"]  # type: ignore[attr-defined]
            if not self._saved["bars_were_disabled"]:
                utils.enable_progress_bars()
        finally:
            _install_lock.release()

    def _xet_reporter(self, *args: Any, **kwargs: Any) -> _XetReporter:
        return _XetReporter(self)

    # -- attribution --------------------------------------------------------------------------

    def learn_lfs_batch(self, payload: Any) -> None:
        """Remember which upload hrefs belong to which oid (basic and multipart)."""
        objects = payload.get("objects") if isinstance(payload, dict) else None
        for obj in objects or []:
            upload = (obj.get("actions") or {}).get("upload") or {}
            oid = obj.get("oid")
            if not isinstance(oid, str):
                continue
            hrefs = [upload.get("href")]
            header = upload.get("header") or {}
            if "chunk_size" in header:
                hrefs = [v for k, v in header.items() if k.isdigit()]
            with self._lock:
                for href in hrefs:
                    if isinstance(href, str):
                        self._oid_by_href[_href_key(href)] = oid

    def oid_for(self, url: httpx2.URL) -> str | None:
        with self._lock:
            return self._oid_by_href.get(_href_key(str(url)))

    def path_for_oid(self, oid: str) -> str | None:
        for path, sha in self._sha256_of_path().items():
            if sha == oid:
                return path
        return None

    def path_for_local(self, local: str) -> str | None:
        with self._lock:
            if self._repo_path_by_local is None:
                self._repo_path_by_local = {
                    os.path.realpath(p): repo for repo, p in self._local_paths.items()
                }
        return self._repo_path_by_local.get(os.path.realpath(local))


def _href_key(href: str) -> str:
    # The client may rewrite the host of an href to its endpoint; path and query identify it.
    url = httpx2.URL(href)
    return url.raw_path.decode("ascii", "replace")


class _CountingTransport(httpx2.BaseTransport):
    """Passes requests through, slicing upload bodies and crediting each slice to its file."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        watch = _active
        if watch is None:
            return self._inner.handle_request(request)
        path = request.url.path
        watch.cancel.raise_if_cancelled()
        if request.method == "POST" and "/commit/" in path:
            request.stream = _CommitBody(request.read(), watch)
        elif request.method == "PUT" and (oid := watch.oid_for(request.url)) is not None:
            request.stream = _LfsBody(request.stream, oid, watch)
        response = self._inner.handle_request(request)
        if path.endswith("/info/lfs/objects/batch") and response.status_code < 300:
            response.read()
            try:
                watch.learn_lfs_batch(json.loads(response.content))
            except ValueError:
                pass  # the client reports a malformed answer itself
        return response

    def close(self) -> None:
        self._inner.close()


class _CommitBody(httpx2.SyncByteStream):
    """The NDJSON commit body, sent in slices; bytes of a `file` line count for that file."""

    def __init__(self, body: bytes, watch: UploadWatch) -> None:
        self._body = body
        self._watch = watch
        self._spans = _file_spans(body, watch.tracker.knows)

    def __iter__(self) -> Iterator[bytes]:
        spans = iter(self._spans)
        span = next(spans, None)
        for start in range(0, len(self._body), SLICE_BYTES):
            end = min(start + SLICE_BYTES, len(self._body))
            if end == len(self._body):
                # The point of no return: with the last slice the Hub has the whole commit.
                # Until here a cancel cuts the body short and the Hub commits nothing.
                self._watch.cancel.enter_commit()
            else:
                self._watch.cancel.raise_if_cancelled()
            yield self._body[start:end]
            tracker = self._watch.tracker
            with tracker.batch():  # one slice may carry hundreds of small files: one event
                while span is not None and span[1] <= end:
                    tracker.set_done(span[2], tracker.total_of(span[2]))
                    span = next(spans, None)
                if span is not None and span[0] < end:
                    line_start, line_end, path = span
                    share = (end - line_start) / (line_end - line_start)
                    tracker.set_done(path, int(share * tracker.total_of(path)))
        # Sent in full (after its last slice is counted): from here the Hub applies the commit.
        self._watch.on_committing()


def _file_spans(body: bytes, known: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """(start, end, path) of every `file` line of an NDJSON commit body."""
    spans = []
    offset = 0
    for line in body.split(b"\n"):
        end = offset + len(line) + 1
        if line.startswith((b'{"key": "file"', b'{"key":"file"')):
            path = _line_path(line, known)
            if path is not None:
                spans.append((offset, end, path))
        offset = end
    return spans


_PATH_KEY = re.compile(rb'"path"\s*:\s*(?=")')
_DECODER = json.JSONDecoder()


def _line_path(line: bytes, known: Callable[[str], bool]) -> str | None:
    """The `path` of one `file` line, decoding only that string, not the file's content.

    The content is base64 (no quote can occur in it), so the last `"path":` key of the line is
    the file's own; anything unexpected falls back to parsing the whole line.
    """
    match = None
    at = line.rfind(b'"path"')
    if at >= 0:
        match = _PATH_KEY.match(line, at)
    if match is not None:
        try:
            path, _ = _DECODER.raw_decode(line[match.end() :].decode("utf-8"))
        except ValueError:
            path = None
        if isinstance(path, str) and known(path):
            return path
    try:
        path = json.loads(line)["value"]["path"]
    except (ValueError, KeyError, TypeError):
        return None
    return path if isinstance(path, str) and known(path) else None


class _LfsBody(httpx2.SyncByteStream):
    """An LFS PUT body (a whole file or one part), counted as it is read."""

    def __init__(self, inner: Any, oid: str, watch: UploadWatch) -> None:
        self._inner = inner
        self._oid = oid
        self._watch = watch

    def __iter__(self) -> Iterator[bytes]:
        path = self._watch.path_for_oid(self._oid)
        for chunk in self._inner:
            self._watch.cancel.raise_if_cancelled()
            for start in range(0, len(chunk), SLICE_BYTES):
                piece = chunk[start : start + SLICE_BYTES]
                yield piece
                if path is not None:
                    self._watch.tracker.advance(path, len(piece))


class _XetReporter:
    """Receives hf_xet's per-file reports (keyed by absolute local path) for the tracker."""

    def __init__(self, watch: UploadWatch) -> None:
        self._watch = watch

    def update_progress(self, group_report: Any, item_reports: Mapping[str, Any]) -> None:
        self._watch.cancel.raise_if_cancelled()
        for item in item_reports.values():
            path = self._watch.path_for_local(str(getattr(item, "item_name", "")))
            if path is not None:
                self._watch.tracker.set_done(path, int(getattr(item, "bytes_completed", 0)))

    def reset_for_next_commit(self) -> None:
        """Nothing to reset: the tracker counts absolute bytes per file."""

    def close(self) -> None:
        """Nothing to close: the stand-in draws nothing."""
