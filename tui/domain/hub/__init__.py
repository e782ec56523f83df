"""Hub access: the async `HubClient` facade and the value types it returns."""

from tui.domain.hub.client import HubClient
from tui.domain.hub.parse import merge_runtime
from tui.domain.hub.types import Account, SecretInfo, VariableInfo

__all__ = ["Account", "HubClient", "SecretInfo", "VariableInfo", "merge_runtime"]
