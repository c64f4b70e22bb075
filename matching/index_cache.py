"""The capability-side index each worker process keeps warm between tasks.

Built once per process from every capability, then brought up to date at the start of each task
from rows whose `updated_at` moved, instead of being rebuilt per task."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from firms.models import Capability
from matching.engine import CapabilityData, CapabilityIndex, EngineConfig
from matching.loading import capabilities_data

# A row saved just before another transaction commits can carry an earlier updated_at than rows
# we have already seen; re-reading a short window behind the watermark catches it.
WATERMARK_MARGIN = timedelta(seconds=120)
# Past this many changed rows (a bulk import) one full read is cheaper than a long IN list.
REBUILD_ABOVE = 5000


@dataclass
class WarmIndex:
    index: CapabilityIndex
    synonyms: tuple[tuple[str, ...], ...]
    watermark: datetime | None
    by_category: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    firm_of: dict[int, int] = field(default_factory=dict)
    seen: dict[int, datetime] = field(default_factory=dict)

    def remember(self, capability: CapabilityData) -> None:
        old_firm = self.firm_of.get(capability.id)
        if old_firm is not None:
            for members in self.by_category.values():
                members.discard(capability.id)
        self.by_category[capability.category].add(capability.id)
        self.firm_of[capability.id] = capability.firm_id

    def forget(self, capability_id: int) -> None:
        for members in self.by_category.values():
            members.discard(capability_id)
        self.firm_of.pop(capability_id, None)
        if capability_id in self.index:
            self.index.remove(capability_id)

    def upsert(self, capabilities: list[CapabilityData]) -> None:
        for capability in capabilities:
            self.index.upsert(capability)
            self.remember(capability)

    def in_categories(self, codes: set[str]) -> set[int]:
        found: set[int] = set()
        for code in codes:
            found |= self.by_category.get(code, set())
        return found


_lock = threading.Lock()
_warm: WarmIndex | None = None


def _build(config: EngineConfig) -> WarmIndex:
    started = timezone.now()
    seen = dict(Capability.objects.values_list("pk", "updated_at"))
    capabilities = capabilities_data()
    warm = WarmIndex(
        index=CapabilityIndex(capabilities, config),
        synonyms=config.synonyms,
        watermark=started,
        seen=seen,
    )
    for capability in capabilities:
        warm.remember(capability)
    return warm


def _refresh(warm: WarmIndex) -> None:
    started = timezone.now()
    since = (warm.watermark or started) - WATERMARK_MARGIN
    window = Capability.objects.filter(updated_at__gte=since).values_list("pk", "updated_at")
    changed = {pk: stamp for pk, stamp in window if warm.seen.get(pk) != stamp}
    if len(changed) > REBUILD_ABOVE:
        warm.upsert(capabilities_data())
        warm.seen.update(changed)
    elif changed:
        warm.upsert(capabilities_data(Capability.objects.filter(pk__in=list(changed))))
        warm.seen.update(changed)
    warm.watermark = started
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
