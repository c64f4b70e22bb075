"""Where stored-match changes leave the matching core for webhook delivery (REST API issue).

`_sync` in services reports every row it creates, changes or removes; this module decides which
API clients' visible lists changed and enqueues their deliveries after the commit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchChange:
    requirement_id: int
    capability_id: int
    before: tuple[float, bool] | None  # (score, eligible) of the live row before; None if none
    after: tuple[float, bool] | None  # None when the row became a removal record


def match_changes_on_commit(*, changes: list[MatchChange]) -> None:
    """Enqueue webhook deliveries for `changes` once the transaction commits."""
    # No webhook registrations exist before the REST API lands; nothing to deliver yet.
    return None
