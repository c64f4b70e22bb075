"""A value a process reads from the database once and then trusts for a while.

Pages read a few small tables (category codes, the engine configuration) far more often than
staff change them; each reader says how long a stale copy is acceptable, and may also say when
a copy is no longer valid at all (a configuration is for one day in Kyiv)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class Trusted(Generic[Value]):
    """`read()` again once `seconds` have passed since the last read, or when `still_valid`
    says the copy held is not; otherwise the copy held."""

    def __init__(
        self,
        read: Callable[[], Value],
        seconds: float,
        still_valid: Callable[[Value], bool] = lambda _value: True,
    ) -> None:
        self.read = read
        self.seconds = seconds
        self.still_valid = still_valid
        self._at = float("-inf")
        self._value: Value | None = None

    def __call__(self) -> Value:
        value = self._value
        if (
            value is None
            or time.monotonic() - self._at > self.seconds
            or not self.still_valid(value)
        ):
            value = self.read()
            self._value, self._at = value, time.monotonic()
        return value

    def forget(self) -> None:
        """Read afresh next time (tests: each starts a new database)."""
        self._value, self._at = None, float("-inf")
