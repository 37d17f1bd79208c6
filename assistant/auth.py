"""Signing in to the app: salted PBKDF2 hashes from settings, failures rate-limited."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

ITERATIONS = 240_000
ROLES = ("member", "officer")


def hash_password(password: str, *, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """Return 'pbkdf2_sha256$ITERATIONS$SALT$HASH' for a password."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def verify_password(password: str, stored: str) -> bool:
    """Whether a password matches a stored hash (constant-time comparison)."""
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    candidate = hash_password(password, salt=salt, iterations=int(iterations)).split("$")[3]
    return hmac.compare_digest(candidate, digest)


class SignIn:
    """Checks credentials against the configured users; refuses after repeated failures."""

    def __init__(
        self, users: dict[str, dict[str, str]], *, max_failures: int = 5, window_s: float = 300.0
    ) -> None:
        self.users = users
        self.max_failures = max_failures
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def locked(self, username: str) -> bool:
        """Whether a user name has failed too often recently to be tried now."""
        with self._lock:
            recent = self._failures[username.lower()]
            while recent and time.monotonic() - recent[0] > self.window_s:
                recent.popleft()
            return len(recent) >= self.max_failures

    def check(self, username: str, password: str) -> str | None:
        """Return the user's role if the credentials are right, else None (and count it)."""
        if self.locked(username):
            return None
        user = self.users.get(username)
        role = user.get("role", "") if user else ""
        if user and role in ROLES and verify_password(password, user.get("password_hash", "")):
            return role
        with self._lock:
            self._failures[username.lower()].append(time.monotonic())
        return None
