"""The capability-side index each worker process keeps warm between tasks.

Built once per process from every capability, then brought up to date at the start of each task
from rows whose `updated_at` moved, instead of being rebuilt per task."""

from __future__ import annotations

import gc
import logging
import os
import pickle  # noqa: S403 - only our own index file, see _load_saved
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from firms.models import Capability
from matching.engine import ENGINE_VERSION, CapabilityData, CapabilityIndex, EngineConfig
from matching.loading import capabilities_data

# A row saved just before another transaction commits can carry an earlier updated_at than rows
# we have already seen; re-reading a short window behind the watermark catches it. Long bulk
# transactions are covered by the generation counter below, a saved capability by its own task.
WATERMARK_MARGIN = timedelta(seconds=5)
# Bumped after bulk changes (an import's commit can trail its updated_at stamps by longer than
# the margin); every process that sees a new value re-reads all capability rows once.
GENERATION_KEY = "matching:index-generation"
# Past this many changed rows (a bulk import) one full read is cheaper than a long IN list.
REBUILD_ABOVE = 5000
DELETION_CHECK_EVERY = timedelta(seconds=10)
# Small catalogues build in well under a second; only large ones are worth a file.
SAVE_ABOVE = 2000

logger = logging.getLogger(__name__)


@dataclass
class WarmIndex:
    index: CapabilityIndex
    synonyms: tuple[tuple[str, ...], ...]
    watermark: datetime | None
    by_category: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    firm_of: dict[int, int] = field(default_factory=dict)
    category_of: dict[int, str] = field(default_factory=dict)
    seen: dict[int, Any] = field(default_factory=dict)  # id -> updated_at as the driver gives it
    generation: int = 0
    deletions_checked: datetime = datetime.min.replace(tzinfo=UTC)

    def remember(self, capability: CapabilityData) -> None:
        previous = self.category_of.get(capability.id)
        if previous is not None:
            self.by_category[previous].discard(capability.id)
        self.by_category[capability.category].add(capability.id)
        self.category_of[capability.id] = capability.category
        self.firm_of[capability.id] = capability.firm_id

    def forget(self, capability_id: int) -> None:
        previous = self.category_of.pop(capability_id, None)
        if previous is not None:
            self.by_category[previous].discard(capability_id)
        self.firm_of.pop(capability_id, None)
        if capability_id in self.index:
            self.index.remove(capability_id)

    def upsert(self, capabilities: list[CapabilityData]) -> None:
        self.index.upsert_many(capabilities)
        for capability in capabilities:
            self.remember(capability)

    def in_categories(self, codes: set[str]) -> set[int]:
        found: set[int] = set()
        for code in codes:
            found |= self.by_category.get(code, set())
        return found


_lock = threading.Lock()
_warm: WarmIndex | None = None


def _index_file() -> Path:
    return Path(settings.VAR_DIR) / f"matching-index-{ENGINE_VERSION}.pickle"


def _load_saved(config: EngineConfig) -> WarmIndex | None:
    """The index a previous process saved, if it was built with these synonyms."""
    path = _index_file()
    try:
        with path.open("rb") as handle:
            # Our own file in the project's private var/ folder, written by _save below.
            # Unpickling makes ~a million objects and no cycles: the collector would walk them
            # again and again meanwhile for nothing (half a second of a cold start).
            collecting = gc.isenabled()
            gc.disable()
            try:
                warm = pickle.load(handle)  # noqa: S301 - our own file in private var/
            finally:
                if collecting:
                    gc.enable()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    if not isinstance(warm, WarmIndex) or warm.synonyms != config.synonyms:
        return None
    _refresh(warm)
    return warm


def _save(warm: WarmIndex) -> None:
    """Persist the index so a fresh process (a cold `rematch`) skips the text analysis."""
    path = _index_file()
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        # On PostgreSQL nothing else creates the var folder (SQLite's file lives there).
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            pickle.dump(warm, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError:
        logger.warning("could not save the matching index to %s", path, exc_info=True)
        temporary.unlink(missing_ok=True)


def _build(config: EngineConfig) -> WarmIndex:
    saved = _load_saved(config)
    if saved is not None:
        return saved
    return _build_from_rows(config)


def _build_from_rows(config: EngineConfig) -> WarmIndex:
    started = timezone.now()
    seen = dict(_stamps())
    capabilities = capabilities_data()
    warm = WarmIndex(
        generation=cache.get(GENERATION_KEY, 0),
        index=CapabilityIndex(capabilities, config),
        synonyms=config.synonyms,
        watermark=started,
        seen=seen,
    )
    for capability in capabilities:
        warm.remember(capability)
    if len(capabilities) >= SAVE_ABOVE:
        _save(warm)
    return warm


def invalidate_everywhere() -> None:
    """Make every worker re-read all capabilities before its next scoring (after bulk writes)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def _reload_all(warm: WarmIndex) -> None:
    started = timezone.now()
    seen = dict(_stamps())
    warm.upsert(capabilities_data())
    for gone in set(warm.firm_of) - set(seen):
        warm.forget(gone)
    warm.seen = seen
    warm.watermark = started


def _stamps(since: datetime | None = None) -> list[tuple[int, Any]]:
    """(id, updated_at as the database driver returns it) of rows stamped since `since`.

    Right after a bulk import the refresh window holds every row for a while; comparing the
    driver's raw values (strings on SQLite) spares parsing a hundred thousand timestamps."""
    table = connection.ops.quote_name(Capability._meta.db_table)
    # SQLite's driver would parse each timestamp in Python; as text they compare the same way.
    stamp = "CAST(updated_at AS TEXT)" if connection.vendor == "sqlite" else "updated_at"
    sql = f"SELECT id, {stamp} FROM {table}"  # noqa: S608 - fixed identifiers
    params: list[Any] = []
    if since is not None:
        sql += " WHERE updated_at >= %s"
        params.append(connection.ops.adapt_datetimefield_value(since))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _refresh(warm: WarmIndex) -> None:
    generation = cache.get(GENERATION_KEY, 0)
    if generation != warm.generation:
        _reload_all(warm)
        warm.generation = generation
        return
    started = timezone.now()
    since = (warm.watermark or started) - WATERMARK_MARGIN
    changed = {pk: stamp for pk, stamp in _stamps(since) if warm.seen.get(pk) != stamp}
    if len(changed) > REBUILD_ABOVE:
        _reload_all(warm)
        return
    if changed:
        warm.upsert(capabilities_data(Capability.objects.filter(pk__in=list(changed))))
        warm.seen.update(changed)
    warm.watermark = started
    # Deletions are rare (a firm removed) and counting 100k rows costs ~10 ms, so look at most
    # every few seconds; a row upserted for a capability deleted meanwhile fails its foreign key,
    # and the sweep retries that requirement after this check has caught up.
    if started - warm.deletions_checked < DELETION_CHECK_EVERY:
        return
    warm.deletions_checked = started
    if Capability.objects.count() != len(warm.index):
        existing = set(Capability.objects.values_list("pk", flat=True))
        for gone in set(warm.firm_of) - existing:
            warm.forget(gone)
            warm.seen.pop(gone, None)


def warm_index(config: EngineConfig) -> WarmIndex:
    """This process's index, built on first use or when synonyms change, refreshed otherwise."""
    global _warm
    with _lock:
        if _warm is None or _warm.synonyms != config.synonyms:
            _warm = _build(config)
            # The index holds hundreds of thousands of long-lived objects; moving them out of
            # the collector's sight spares every later task a full scan of them. Only the young
            # generation is collected first: a full collection costs a cold `rematch` 0.3 s, and
            # what it would find is the one-off garbage of loading, frozen for good at worst.
            gc.collect(0)
            gc.freeze()
        else:
            _refresh(_warm)
        return _warm


def reload_capability(warm: WarmIndex, capability_id: int) -> CapabilityData | None:
    """Re-read one capability into the index (the task that saved it must see its own write)."""
    with _lock:
        found = capabilities_data(Capability.objects.filter(pk=capability_id))
        if not found:
            warm.forget(capability_id)
            return None
        warm.upsert(found)
        return found[0]


def drop_warm_index() -> None:
    global _warm
    with _lock:
        _warm = None
