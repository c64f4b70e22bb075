from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from firms.models import Capability
from matching import index_cache
from matching.index_cache import drop_warm_index, invalidate_everywhere, warm_index
from matching.loading import engine_config
from tests import factories

pytestmark = pytest.mark.django_db


def trl_in_index(capability):
    return warm_index(engine_config()).index.get(capability.pk).trl


def test_an_edit_is_picked_up_by_the_next_task():
    capability = factories.CapabilityFactory(trl=5)
    assert trl_in_index(capability) == 5
    capability.trl = 8
    capability.save()
    assert trl_in_index(capability) == 8


def test_a_late_commit_outside_the_window_is_caught_after_invalidation():
    capability = factories.CapabilityFactory(trl=5)
    assert trl_in_index(capability) == 5
    # As if a long import transaction stamped the row long before it committed.
    Capability.objects.filter(pk=capability.pk).update(
        trl=9, updated_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert trl_in_index(capability) == 5
    invalidate_everywhere()
    assert trl_in_index(capability) == 9


def test_deleted_capabilities_leave_the_index():
    keep, gone = factories.CapabilityFactory(), factories.CapabilityFactory()
    warm = warm_index(engine_config())
    assert gone.pk in warm.index
    gone.delete()
    warm = warm_index(engine_config())
    assert gone.pk not in warm.index
    assert keep.pk in warm.index


def test_a_fresh_process_loads_the_saved_index(monkeypatch):
    monkeypatch.setattr(index_cache, "SAVE_ABOVE", 1)
    capability = factories.CapabilityFactory(trl=6)
    warm_index(engine_config())
    assert index_cache._index_file().exists()
    drop_warm_index()
    monkeypatch.setattr(index_cache, "_build_from_rows", None)  # a rebuild would now fail
    assert trl_in_index(capability) == 6
    index_cache._index_file().unlink()
