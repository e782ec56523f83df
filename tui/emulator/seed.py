"""The demo account's Spaces: one per interesting stage, with real-looking files, builds and logs.

Each Space is committed like a user would, then its life is moved into the past (`backdate`) so
the demo opens mid-story: a Docker app serving for hours, a long build still going, a uv mistake,
a start-up timeout, a crash, a paused, a sleeping, a gradio and a static Space. Durations are
simulated seconds, so the same story plays at any `--speed`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from tui.emulator.lifecycle import SpaceLife
from tui.emulator.options import DEMO_ORG, DEMO_PLAN, DEMO_TOKEN, DEMO_USER
from tui.emulator.state import CommitRecord

HOUR = 3600.0


class _Space(Protocol):
    life: SpaceLife
    created_at: float
    last_modified: float
    commits: dict[str, CommitRecord]

    @property
    def head(self) -> str: ...


class _State(Protocol):
    """The part of the core's HubState the seed uses."""

    @property
    def users(self) -> Mapping[str, object]: ...

    def add_user(
        self,
        name: str,
        token: str,
        *,
        orgs: list[str] = ...,
        fullname: str | None = ...,
        plan: str = ...,
    ) -> None: ...
    def create_space(
        self, space_id: str, *, sdk: str, private: bool = ..., hardware: str | None = ...
    ) -> _Space: ...  # noqa: E501
    def commit(self, space_id: str, files: dict[str, bytes | None], message: str = ...) -> str: ...
    def get_space(self, space_id: str) -> _Space | None: ...


def readme(
    title: str,
    emoji: str,
    sdk: str,
    short: str,
    extra: str = "",
    *,
    colors: tuple[str, str] = ("blue", "indigo"),
) -> bytes:  # noqa: E501
    """A README with the front matter the Hub's Space settings page writes."""
    front = (
        f"---\ntitle: {title}\nemoji: {emoji}\ncolorFrom: {colors[0]}\ncolorTo: {colors[1]}\n"
        f"sdk: {sdk}\n{extra}pinned: false\nlicense: apache-2.0\nshort_description: {short}\n---\n"
    )
    body = f"\n# {title}\n\n{short}.\n\nCheck out the configuration reference at https://huggingface.co/docs/hub/spaces-config-reference\n"  # noqa: E501
    return (front + body).encode()


TODO_APP = b'''"""A tiny to-do API: the demo's healthy FastAPI Space."""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI(title="Todo API")
todos: dict[int, str] = {1: "Deploy with spacetui", 2: "Watch the logs"}


class Todo(BaseModel):
    text: str


@app.get("/")
def index() -> dict[str, str]:
    return {"status": "ok", "docs": "/docs"}


@app.get("/todos")
def list_todos() -> dict[int, str]:
    return todos


@app.get("/todos/{todo_id}")
def get_todo(todo_id: int) -> str:
    if todo_id not in todos:
        raise HTTPException(status_code=404, detail="no such todo")
    return todos[todo_id]


@app.post("/todos")
def add_todo(todo: Todo) -> int:
    todo_id = max(todos, default=0) + 1
    todos[todo_id] = todo.text
    return todo_id
'''

TODO_DOCKERFILE = b"""FROM python:3.11-slim

# Coloured pip and uvicorn output in the Space logs.
ENV FORCE_COLOR=1

RUN useradd -m -u 1000 user
WORKDIR /app

COPY --chown=user requirements.txt .
RUN pip install --no-cache-dir --upgrade -r requirements.txt

COPY --chown=user . .
USER user

EXPOSE 7860
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860", "--use-colors"]
"""

FINETUNE_DOCKERFILE = b"""FROM python:3.11

RUN apt-get update && apt-get install -y --no-install-recommends \\
    git \\
    git-lfs \\
    build-essential \\
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir torch==2.5.1 ninja packaging
# flash-attn has no wheel for this base: pip compiles it (slow, like on the Hub).
RUN pip install --no-cache-dir flash-attn --no-build-isolation
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
CMD ["python", "app.py"]
"""

FINETUNE_APP = b'''"""LoRA fine-tuning playground (loads the base model at start-up)."""

import gradio as gr
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL = "Qwen/Qwen2.5-0.5B-Instruct"
tokenizer = AutoTokenizer.from_pretrained(MODEL)
model = AutoModelForCausalLM.from_pretrained(MODEL, torch_dtype=torch.bfloat16)


def generate(prompt: str) -> str:
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(**inputs, max_new_tokens=128)
    tokens = output.shape[-1]
    print(f"Generated {tokens} tokens in {0.5:.2f}s")
    return tokenizer.decode(output[0], skip_special_tokens=True)


gr.Interface(generate, "text", "text").launch(server_name="0.0.0.0", server_port=7860)
'''

UV_DOCKERFILE = b"""FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/

WORKDIR /app
COPY requirements.txt .
RUN uv pip install -r requirements.txt

COPY . .
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "7860"]
"""

UV_MAIN = b"""from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def hello() -> dict[str, str]:
    return {"hello": "uv"}
"""

SENTIMENT_DOCKERFILE = b"""FROM python:3.11-slim
WORKDIR /code
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
# Listens on 8000 while the README keeps the default app_port 7860: never healthy.
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8000"]
"""

SENTIMENT_APP = b"""from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Text(BaseModel):
    text: str


@app.post("/predict")
def predict(body: Text) -> dict[str, float]:
    positive = sum(word in body.text.lower() for word in ("good", "great", "love"))
    return {"positive": positive / max(len(body.text.split()), 1)}
"""

CAPTION_APP = b"""import time

import gradio as gr
from transformers import pipeline

captioner = pipeline("image-to-text", model="Salesforce/blip-image-captioning-base")


def caption(image):
    start = time.perf_counter()
    text = captioner(image)[0]["generated_text"]
    print(f"Captioned {image.width}x{image.height} image in {time.perf_counter() - start:.2f}s")
    return text


demo = gr.Interface(caption, gr.Image(type="pil"), "text", title="Image captioner")
demo.launch()
"""

DASHBOARD_APP = b"""import pandas as pd
import streamlit as st

st.title("Sales dashboard")
sales = pd.DataFrame({"month": ["Jan", "Feb", "Mar"], "revenue": [120, 135, 160]})
st.bar_chart(sales, x="month", y="revenue")
print(f"Rendered the dashboard in {0.1:.2f}s")
"""

NOTES_DOCKERFILE = b"""FROM python:3.12-slim

RUN useradd -m -u 1000 user
USER user
ENV PATH="/home/user/.local/bin:$PATH"
WORKDIR /home/user/app

COPY --chown=user requirements.txt .
RUN pip install --no-cache-dir --upgrade -r requirements.txt

COPY --chown=user . .
CMD ["gunicorn", "-b", "0.0.0.0:7860", "--access-logfile", "-", "app:app"]
"""

NOTES_APP = b"""from flask import Flask, jsonify

app = Flask(__name__)
NOTES = ["buy milk", "ship the demo"]


@app.route("/")
def index():
    return jsonify(notes=NOTES)


@app.route("/notes/<int:index>")
def note(index: int):
    return jsonify(note=NOTES[index % len(NOTES)])
"""

METRICS_DOCKERFILE = b"""FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
"""

METRICS_APP = b"""import os

import pandas as pd
import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/metrics")
def metrics() -> dict[str, float]:
    frame = pd.read_csv(os.environ.get("METRICS_CSV", "metrics.csv"))
    return {"p95_latency_ms": float(frame["latency_ms"].quantile(0.95))}


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=7860)
"""

LANDING_HTML = b"""<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>spacetui demo</title>
    <link rel="stylesheet" href="style.css" />
  </head>
  <body>
    <h1>Hello from a static Space</h1>
    <p>Served straight from the repository, no build needed.</p>
  </body>
</html>
"""


@dataclass
class DemoSpace:
    """One demo Space: files to commit, then how far into its life the demo opens."""

    space_id: str
    sdk: str
    files: dict[str, bytes]
    ago: float
    message: str
    private: bool = False
    hardware: str | None = None
    before: Callable[[SpaceLife], None] | None = None
    after: list[tuple[Callable[[SpaceLife], None], float]] = field(default_factory=list)


def _sleep_after_an_hour(life: SpaceLife) -> None:
    life.set_sleep_time(int(HOUR))


DEMO_SPACES = [
    DemoSpace(
        f"{DEMO_USER}/todo-api",
        "docker",
        {
            "README.md": readme(
                "Todo API", "✅", "docker", "A FastAPI to-do service", "app_port: 7860\n"
            ),
            "Dockerfile": TODO_DOCKERFILE,
            "app.py": TODO_APP,
            "requirements.txt": b"fastapi==0.115.6\nuvicorn[standard]==0.34.0\npydantic>=2\n",
        },
        ago=3 * HOUR,
        message="Add POST /todos",
    ),
    DemoSpace(
        f"{DEMO_USER}/llm-finetune-studio",
        "docker",
        {
            "README.md": readme(
                "LLM Finetune Studio",
                "🧪",
                "docker",
                "LoRA fine-tuning playground",
                colors=("purple", "pink"),
            ),
            "Dockerfile": FINETUNE_DOCKERFILE,
            "app.py": FINETUNE_APP,
            "requirements.txt": b"transformers==4.47.1\naccelerate\ngradio==5.9.1\ndatasets\n",
        },
        ago=40.0,
        message="Compile flash-attn for the bf16 kernels",
        hardware="t4-medium",
    ),
    DemoSpace(
        f"{DEMO_USER}/uv-quickstart",
        "docker",
        {
            "README.md": readme(
                "uv Quickstart",
                "⚡",
                "docker",
                "FastAPI installed with uv",
                colors=("yellow", "green"),
            ),
            "Dockerfile": UV_DOCKERFILE,
            "main.py": UV_MAIN,
            "requirements.txt": b"fastapi\nuvicorn\n",
        },
        ago=20 * 60.0,
        message="Switch from pip to uv",
    ),
    DemoSpace(
        f"{DEMO_USER}/sentiment-bot",
        "docker",
        {
            "README.md": readme(
                "Sentiment Bot", "🤖", "docker", "A keyword sentiment API", colors=("green", "blue")
            ),
            "Dockerfile": SENTIMENT_DOCKERFILE,
            "app.py": SENTIMENT_APP,
            "requirements.txt": b"fastapi\nuvicorn\n",
        },
        ago=35 * 60.0,
        message="Expose the API on port 8000",
    ),
    DemoSpace(
        f"{DEMO_ORG}/image-captioner",
        "gradio",
        {
            "README.md": readme(
                "Image Captioner",
                "🖼️",
                "gradio",
                "BLIP captions for your images",
                "sdk_version: 5.9.1\napp_file: app.py\n",
                colors=("indigo", "purple"),
            ),  # noqa: E501
            "app.py": CAPTION_APP,
            "requirements.txt": b"transformers\ntorch\npillow\n",
        },
        ago=5 * HOUR,
        message="Use the base BLIP checkpoint",
        private=True,
        hardware="t4-small",
    ),
    DemoSpace(
        f"{DEMO_USER}/sales-dashboard",
        "streamlit",
        {
            "README.md": readme(
                "Sales Dashboard",
                "📊",
                "streamlit",
                "Monthly revenue at a glance",
                "sdk_version: 1.41.1\n",
                colors=("red", "yellow"),
            ),  # noqa: E501
            "app.py": DASHBOARD_APP,
            "requirements.txt": b"pandas\n",
        },
        ago=26 * HOUR,
        message="Bar chart of revenue",
        after=[(SpaceLife.pause, 24 * HOUR)],
    ),
    DemoSpace(
        f"{DEMO_USER}/flask-notes",
        "docker",
        {
            "README.md": readme(
                "Flask Notes",
                "📝",
                "docker",
                "A notes API on gunicorn",
                "app_port: 7860\n",
                colors=("gray", "blue"),
            ),  # noqa: E501
            "Dockerfile": NOTES_DOCKERFILE,
            "app.py": NOTES_APP,
            "requirements.txt": b"flask==3.1.0\ngunicorn==23.0.0\n",
        },
        ago=3 * HOUR,
        message="Serve notes with gunicorn",
        before=_sleep_after_an_hour,
    ),
    DemoSpace(
        f"{DEMO_USER}/landing-page",
        "static",
        {
            "README.md": readme(
                "Landing Page",
                "🌐",
                "static",
                "The demo's static landing page",
                colors=("blue", "green"),
            ),
            "index.html": LANDING_HTML,
            "style.css": b"body { font-family: sans-serif; margin: 4rem; }\n",
        },
        ago=2 * 24 * HOUR,
        message="First version of the landing page",
    ),
    DemoSpace(
        f"{DEMO_ORG}/internal-metrics",
        "docker",
        {
            "README.md": readme(
                "Internal Metrics",
                "📈",
                "docker",
                "Latency percentiles for the team",
                colors=("pink", "red"),
            ),
            "Dockerfile": METRICS_DOCKERFILE,
            "app.py": METRICS_APP,
            # pandas is imported by app.py but missing here: the container crashes at start.
            "requirements.txt": b"fastapi\nuvicorn\n",
        },
        ago=50 * 60.0,
        message="Read metrics from CSV",
        private=True,
    ),
    DemoSpace(
        f"{DEMO_USER}/broken-readme",
        "docker",
        {
            "README.md": b"# Broken README\n\nThe YAML block at the top of this file was deleted by mistake.\n",
            "Dockerfile": b'FROM nginx:alpine\nCOPY index.html /usr/share/nginx/html/\nCMD ["nginx", "-g", "daemon off;"]\n',
            "index.html": LANDING_HTML,
        },
        ago=10 * 60.0,
        message="Tidy up the README",
    ),
]

#: The stage each demo Space is in when the demo opens (the seed's tests check it).
EXPECTED_STAGES = {
    f"{DEMO_USER}/todo-api": "RUNNING",
    f"{DEMO_USER}/llm-finetune-studio": "BUILDING",
    f"{DEMO_USER}/uv-quickstart": "BUILD_ERROR",
    f"{DEMO_USER}/sentiment-bot": "RUNTIME_ERROR",
    f"{DEMO_ORG}/image-captioner": "RUNNING",
    f"{DEMO_USER}/sales-dashboard": "PAUSED",
    f"{DEMO_USER}/flask-notes": "SLEEPING",
    f"{DEMO_USER}/landing-page": "RUNNING",
    f"{DEMO_ORG}/internal-metrics": "RUNTIME_ERROR",
    f"{DEMO_USER}/broken-readme": "CONFIG_ERROR",
}


def seed_demo(state: _State) -> None:
    """Create the demo Spaces in `state` (the core adds the demo user and org first)."""
    if DEMO_USER not in state.users:
        # The core normally adds the demo account before seeding; this keeps the seed usable alone.
        state.add_user(DEMO_USER, DEMO_TOKEN, orgs=[DEMO_ORG], fullname="Demo User", plan=DEMO_PLAN)
    for demo in DEMO_SPACES:
        if state.get_space(demo.space_id) is not None:
            continue
        space = state.create_space(
            demo.space_id, sdk=demo.sdk, private=demo.private, hardware=demo.hardware
        )
        life = space.life
        if demo.before is not None:
            demo.before(life)
        with life.backdated(demo.ago):
            state.commit(demo.space_id, dict(demo.files), demo.message)
        for action, ago in demo.after:
            with life.backdated(ago):
                action(life)
        shift = demo.ago / life.speed
        space.created_at -= shift + 7 * 24 * HOUR
        space.last_modified -= shift
        # The commit record is what the API reports as lastModified: it moves into the past too.
        head = space.commits[space.head]
        space.commits[space.head] = replace(head, time=head.time - shift)
        # The Hub's initial commit comes with the repo: dated when the Space was created, so a
        # history listed newest first never shows it younger than the commits built on it.
        for sha, record in list(space.commits.items()):
            if record.parent is None:
                space.commits[sha] = replace(record, time=space.created_at)
