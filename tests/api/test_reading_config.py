"""Pages and API lists explain numbers-only rows with the engine configuration a process read
in the last CONFIG_TRUSTED_FOR seconds and for today (Kyiv): no three queries per page, and a
staff change shows within that time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from matching import trusted
from matching.models import EngineSettings
from matching.selectors import CONFIG_TRUSTED_FOR, reading_config
from requirements.dates import KYIV


@pytest.mark.django_db
def test_read_once_then_reused_without_a_query(django_assert_num_queries):
    first = reading_config()
    with django_assert_num_queries(0):
        assert reading_config() is first


@pytest.mark.django_db
def test_a_weight_change_shows_once_the_trusted_time_has_passed(monkeypatch):
    clock = [1_000.0]
    monkeypatch.setattr(trusted.time, "monotonic", lambda: clock[0])
    assert reading_config().weights["price"] != 0.9
    EngineSettings.objects.update_or_create(pk=1, defaults={"price_weight": 0.9})
    clock[0] += CONFIG_TRUSTED_FOR - 1
    assert reading_config().weights["price"] != 0.9
    clock[0] += 2
    assert reading_config().weights["price"] == 0.9


@pytest.mark.django_db
def test_a_new_day_in_kyiv_is_read_afresh():
    with time_machine.travel(dt.datetime(2026, 12, 1, 23, 50, tzinfo=KYIV), tick=False) as clock:
        assert reading_config().today == dt.date(2026, 12, 1)
        clock.move_to(dt.datetime(2026, 12, 2, 0, 5, tzinfo=KYIV))
        assert reading_config().today == dt.date(2026, 12, 2)
