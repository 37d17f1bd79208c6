"""The project's exceptions: each names what went wrong for the user and what to do."""


class CouncilError(Exception):
    """Base class for every error the project raises on purpose."""


class UnreadableRecord(CouncilError):
    """A record file that cannot be parsed; the message names the file and the fix."""

    def __init__(self, path: str, reason: str, fix: str = "") -> None:
        self.path = path
        self.reason = reason
        self.fix = fix
        message = f"{path}: {reason}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


class IndexLocked(CouncilError):
    """Another ingest holds the index lock."""


class ConfigError(CouncilError):
    """A setting or manifest entry is wrong."""
