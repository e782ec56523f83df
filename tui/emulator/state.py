"""The emulated Hub's memory: accounts, organisations, Spaces, their revisions and LFS objects.

One re-entrant lock guards everything: routes run on uvicorn's event loop thread while tests and
the demo seed call in from other threads.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tui.emulator.blobs import Blob
from tui.emulator.clock import Clock, SystemClock
from tui.emulator.lifecycle import SpaceLife

#: The `.gitattributes` a new Space gets in its initial commit (the Hub's default LFS patterns).
DEFAULT_GITATTRIBUTES = "".join(
    f"{pattern} filter=lfs diff=lfs merge=lfs -text\n"
    for pattern in (
        "*.7z",
        "*.arrow",
        "*.bin",
        "*.bz2",
        "*.ckpt",
        "*.ftz",
        "*.gz",
        "*.h5",
        "*.joblib",
        "*.lfs.*",
        "*.mlmodel",
        "*.model",
        "*.msgpack",
        "*.npy",
        "*.npz",
        "*.onnx",
        "*.ot",
        "*.parquet",
        "*.pb",
        "*.pickle",
        "*.pkl",
        "*.pt",
        "*.pth",
        "*.rar",
        "*.safetensors",
        "saved_model/**/*",
        "*.tar.*",
        "*.tar",
        "*.tflite",
        "*.tgz",
        "*.wasm",
        "*.xz",
        "*.zip",
        "*.zst",
        "*tfevents*",
    )
).encode()

SPACE_SDKS = ("gradio", "docker", "static", "streamlit")
#: Flavours a Space may request or be created on (the Hub client's SpaceHardware enum plus cpu-xl).
HARDWARE_FLAVORS = (
    "cpu-basic",
    "cpu-upgrade",
    "cpu-xl",
    "zero-a10g",
    "t4-small",
    "t4-medium",
    "l4x1",
    "l4x4",
    "l40sx1",
    "l40sx4",
    "l40sx8",
    "a10g-small",
    "a10g-large",
    "a10g-largex2",
    "a10g-largex4",
    "a100-large",
    "a100x4",
    "a100x8",
    "h100",
    "h100x8",
)
#: Account plans; each has its own rate-limit quotas (see ratelimit.PLANS).
USER_PLANS = ("free", "pro")
#: Organisation plans; Team and Enterprise pay for hosting like PRO does (see plans.py).
ORG_PLANS = ("free", "team", "enterprise")


def mongo_id(*parts: str) -> str:
    """A stable 24-hex id in the style of the Hub's `_id` fields."""
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()[:24]


@dataclass
class User:
    """An account, the one token that authenticates it, its plan (`free` or `pro`), whether it
    has a payment method, and the plan its rate-limit quotas follow."""

    name: str
    token: str
    fullname: str
    orgs: list[str] = field(default_factory=list)
    plan: str = "pro"
    payment_method: bool = True
    #: An account added without a plan hosts like PRO but keeps the free tier's quotas, as
    #: every account had before plans were modelled (scripts and rate-limit tests rely on it).
    quota_plan: str = "free"


@dataclass
class Org:
    """An organisation's plan and whether it has a payment method."""

    plan: str = "team"
    payment_method: bool = True


@dataclass(frozen=True)
class CommitRecord:
    """What git remembers about one commit besides its tree."""

    sha: str
    parent: str | None
    message: str
    time: float
    author: str


@dataclass
class Discussion:
    """A discussion or pull request; a PR owns the branch `refs/pr/{num}`."""

    num: int
    title: str
    author: str
    created_at: float
    is_pull_request: bool
    description: str = ""

    @property
    def ref(self) -> str | None:
        return f"refs/pr/{self.num}" if self.is_pull_request else None


@dataclass
class Space:
    """One Space repository and its runtime life."""

    id: str
    sdk: str
    private: bool
    created_at: float
    life: SpaceLife
    last_modified: float = 0.0
    revisions: dict[str, dict[str, Blob]] = field(default_factory=dict)
    commits: dict[str, CommitRecord] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, dict[str, object]] = field(default_factory=dict)
    variables: dict[str, dict[str, object]] = field(default_factory=dict)
    dev_mode: bool = False
    likes: int = 0
    discussions: dict[int, Discussion] = field(default_factory=dict)

    @property
    def author(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[1]

    @property
    def head(self) -> str:
        return self.refs["main"]

    @property
    def subdomain(self) -> str:
        """`ns-name` lowercased with `_` and `.` turned into `-`, like the Hub's hf.space hosts."""
        return self.id.replace("/", "-").replace("_", "-").replace(".", "-").lower()

    @property
    def host(self) -> str:
        return f"https://{self.subdomain}.hf.space"

    def resolve(self, revision: str) -> str | None:
        """The commit sha a branch name, PR ref or full sha points at, or None."""
        if revision in self.refs:
            return self.refs[revision]
        if revision in self.revisions:
            return revision
        return None

    def files(self, revision: str = "main") -> dict[str, Blob] | None:
        sha = self.resolve(revision)
        return None if sha is None else self.revisions[sha]


class HubState:
    """Everything the emulated Hub knows. Mutate it only through these methods."""

    def __init__(self, *, clock: Clock | None = None, speed: float = 1.0) -> None:
        self.clock: Clock = clock or SystemClock()
        self.speed = speed
        self.lock = threading.RLock()
        self.users: dict[str, User] = {}
        self.orgs: dict[str, set[str]] = {}
        #: Plan of each organisation; one created implicitly by `add_user` is a Team org.
        self.org_plans: dict[str, Org] = {}
        self.spaces: dict[str, Space] = {}
        #: LFS objects uploaded but not necessarily committed yet, by (space id, sha256): an
        #: object belongs to the repo it was uploaded to (a private one is nobody else's).
        self.lfs_objects: dict[tuple[str, str], bytes] = {}
        #: LFS objects a batch call announced and the storage routes may accept: key -> size.
        self.lfs_pending: dict[tuple[str, str], int] = {}
        #: Multipart uploads in flight: key -> part number -> bytes.
        self.lfs_parts: dict[tuple[str, str], dict[int, bytes]] = {}
        #: LFS objects above this size are offered as multipart uploads of parts this big.
        self.lfs_chunk_size = 8 * 1024 * 1024
        #: Items per page of `GET /api/spaces` and tree listings (the Hub uses ~1000).
        self.page_size = 1000
        #: Answer preupload with `lfs` where the Hub would (see routes_upload for why it is opt-in).
        self.lfs_uploads = False
        #: The largest request body accepted (413 above): a commit of regular files is sent
        #: base64-encoded in one body; LFS parts are at most `lfs_chunk_size`.
        self.max_body_bytes = 1 << 30
        self._commit_counter = itertools.count(1)

    # -- accounts ---------------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        token: str,
        *,
        orgs: Sequence[str] = (),
        fullname: str | None = None,
        plan: str | None = None,
        payment_method: bool | None = None,
    ) -> None:
        """Add an account. Without a `plan` it hosts like PRO (so scripts written before plans
        keep working) with the free tier's rate-limit quotas; `payment_method` defaults to
        True except on an explicit free plan."""
        if plan is not None and plan not in USER_PLANS:
            raise ValueError(f"plan must be one of {', '.join(USER_PLANS)}, not {plan!r}")
        if payment_method is None:
            payment_method = plan != "free"
        with self.lock:
            self.users[name] = User(
                name,
                token,
                fullname or name.title(),
                list(orgs),
                plan or "pro",
                payment_method,
                plan or "free",
            )
            for org in orgs:
                self.orgs.setdefault(org, set()).add(name)
                self.org_plans.setdefault(org, Org())

    def set_org_plan(self, org: str, plan: str, *, payment_method: bool | None = None) -> None:
        """Give an organisation (created here if new) a plan; `payment_method` follows a paid plan."""
        if plan not in ORG_PLANS:
            raise ValueError(f"plan must be one of {', '.join(ORG_PLANS)}, not {plan!r}")
        with self.lock:
            self.orgs.setdefault(org, set())
            paying = plan != "free" if payment_method is None else payment_method
            self.org_plans[org] = Org(plan, paying)

    def org_plan(self, org: str) -> Org:
        with self.lock:
            return self.org_plans.get(org) or Org()

    def user_for_token(self, token: str) -> User | None:
        with self.lock:
            return next((user for user in self.users.values() if user.token == token), None)

    def plan_for_token(self, token: str) -> str | None:
        """The plan of the token's account (the rate limiter's quota), None for an unknown token."""
        user = self.user_for_token(token)
        return None if user is None else user.quota_plan

    def namespace_exists(self, namespace: str) -> bool:
        with self.lock:
            return namespace in self.users or namespace in self.orgs

    def can_write_namespace(self, user: User | None, namespace: str) -> bool:
        if user is None:
            return False
        with self.lock:
            return namespace == user.name or user.name in self.orgs.get(namespace, set())

    def can_read(self, user: User | None, space: Space) -> bool:
        return not space.private or self.can_write_namespace(user, space.author)

    # -- Spaces -----------------------------------------------------------------------------

    def create_space(
        self, space_id: str, *, sdk: str, private: bool = False, hardware: str | None = None
    ) -> Space:
        """A new Space with the Hub's initial commit (a default `.gitattributes`), not yet built."""
        if space_id.count("/") != 1 or not all(space_id.split("/")):
            raise ValueError(f"a Space id is 'namespace/name', not {space_id!r}")
        with self.lock:
            if space_id in self.spaces:
                raise ValueError(f"{space_id} already exists")
            now = self.clock.now()
            life = SpaceLife(space_id, sdk, self.clock, self.speed, hardware or "cpu-basic")
            space = Space(id=space_id, sdk=sdk, private=private, created_at=now, life=life)
            self.spaces[space_id] = space
            self._record(
                space,
                {".gitattributes": Blob(DEFAULT_GITATTRIBUTES)},
                "initial commit",
                "main",
                space.author,
            )
            return space

    def delete_space(self, space_id: str) -> bool:
        with self.lock:
            return self.spaces.pop(space_id, None) is not None

    def get_space(self, space_id: str) -> Space | None:
        with self.lock:
            return self.spaces.get(space_id)

    def commit(
        self, space_id: str, files: Mapping[str, bytes | None], message: str = "Update"
    ) -> str:
        """Commit raw files to main (None deletes a path); a convenience for seeds and tests."""
        from tui.emulator.lfs_rules import LfsRules

        with self.lock:
            space = self.spaces.get(space_id)
            if space is None:
                raise ValueError(f"no Space {space_id!r}")
            current = space.revisions[space.head]
            rules = LfsRules.from_files(current, files)
            changes = {
                path: None if data is None else Blob(data, lfs=rules.wants_lfs(path, data))
                for path, data in files.items()
            }
            return self.apply_commit(space, changes, message=message)

    def apply_commit(
        self,
        space: Space,
        changes: Mapping[str, Blob | None],
        *,
        message: str,
        deleted_folders: Sequence[str] = (),
        ref: str = "main",
        author: str | None = None,
    ) -> str:
        """Write a new revision on `ref`; a commit to main starts a build of the new tree."""
        with self.lock:
            base = space.refs.get(ref, space.head)
            tree = dict(space.revisions[base])
            for folder in deleted_folders:
                prefix = folder.rstrip("/") + "/"
                tree = {path: blob for path, blob in tree.items() if not path.startswith(prefix)}
            for path, blob in changes.items():
                if blob is None:
                    tree.pop(path, None)
                else:
                    tree[path] = blob
            sha = self._record(space, tree, message, ref, author or space.author)
            snapshot = {path: blob.data for path, blob in tree.items()}
        if ref == "main":
            space.life.on_commit(snapshot, sha)
        return sha

    def open_discussion(
        self, space: Space, *, title: str, author: str, pull_request: bool, description: str = ""
    ) -> Discussion:
        """A new discussion; a pull request also gets its branch `refs/pr/N`, starting at main."""
        with self.lock:
            num = len(space.discussions) + 1
            discussion = Discussion(num, title, author, self.clock.now(), pull_request, description)
            space.discussions[num] = discussion
            if discussion.ref is not None:
                space.refs[discussion.ref] = space.head
            return discussion

    def find_lfs_object(self, sha256: str, space_id: str) -> bytes | None:
        """An LFS object of `space_id`: uploaded to it, or committed in any of its revisions.

        Objects belong to repos: knowing another repo's sha256 reads or commits nothing.
        """
        with self.lock:
            if (space_id, sha256) in self.lfs_objects:
                return self.lfs_objects[(space_id, sha256)]
            space = self.spaces.get(space_id)
            if space is None:
                return None
            for tree in space.revisions.values():
                for blob in tree.values():
                    if blob.lfs and blob.sha256 == sha256:
                        return blob.data
            return None

    def _record(
        self, space: Space, tree: dict[str, Blob], message: str, ref: str, author: str
    ) -> str:
        now = self.clock.now()
        parent = space.refs.get(ref)
        seed = f"{space.id}\0{parent}\0{message}\0{now}\0{next(self._commit_counter)}\0"
        digest = hashlib.sha1(seed.encode())
        for path in sorted(tree):
            digest.update(f"{path}\0{tree[path].blob_id}\0".encode())
        sha = digest.hexdigest()
        space.revisions[sha] = tree
        space.commits[sha] = CommitRecord(sha, parent, message, now, author)
        space.refs[ref] = sha
        space.last_modified = now
        return sha
