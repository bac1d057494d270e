"""Domain exceptions: the few failures that stop a command. The CLI maps each to an exit code.

Data problems in the units' files are never exceptions; they are `Problem` values.
"""


class ChuangchengError(Exception):
    """Base class; the message is Chinese and meant for the office."""


class ConfigError(ChuangchengError):
    """campaign.yaml cannot be used; carries every mistake found, one per line."""

    def __init__(self, path: str, messages: list[str]) -> None:
        self.path = path
        self.messages = messages
        super().__init__("\n".join(messages))


class UsageError(ChuangchengError):
    """A command-line argument that cannot be used (a folder that is not there, a bad date)."""
