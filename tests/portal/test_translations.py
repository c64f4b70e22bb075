"""The Ukrainian catalogue: every entry translated, the committed .mo in step with the .po, and
pages rendered in Ukrainian.

To update the catalogue: `manage.py makemessages -l uk --ignore=.venv --ignore=tests
--ignore=bench --no-obsolete`, translate every new entry, `manage.py compilemessages -l uk`,
and commit both locale/uk/LC_MESSAGES/django.po and django.mo.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

PO = Path(settings.BASE_DIR) / "locale" / "uk" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$')


def _entries() -> list[dict[str, str]]:
    """A small .po reader: enough for Django's catalogue (no obsolete entries)."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, key = {}, ""
        elif line.startswith("#,"):
            current["flags"] = line
        elif match := _KEYWORD.match(line):
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    return [e for e in entries if e.get("msgid")]


def test_every_message_has_a_ukrainian_translation():
    entries = _entries()
    assert len(entries) > 300
    untranslated = [
        e["msgid"]
        for e in entries
        if any(not value for name, value in e.items() if name.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_its_source():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _entries():
        if "msgid_plural" in entry:
            got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            expected = entry["msgstr[0]"]
        else:
            got, expected = compiled.gettext(entry["msgid"]), entry["msgstr"]
        if got != expected:
            stale.append(entry["msgid"])
    assert stale == [], "run manage.py compilemessages -l uk and commit django.mo"


def test_the_dashboard_speaks_ukrainian(client, cast):
    from tests import factories

    factories.CapabilityFactory(firm=cast.firm_unverified)
    client.force_login(cast.supplier_unverified)
    client.post(reverse("set_language"), {"language": "uk", "next": "/"})
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert 'lang="uk"' in html
    assert "Ваші можливості" in html
    assert "Вимоги з’являться тут після перевірки" in html
    assert "Дрони-перехоплювачі" in html
    assert "Interceptor drones" not in html
    for english in ("Your capabilities", "Requirements that fit you", "Sign out", "Active"):
        assert f">{english}<" not in html


def test_form_errors_speak_ukrainian(client, db):
    client.post(reverse("set_language"), {"language": "uk", "next": "/"})
    html = client.post(reverse("accounts:sign-up"), {"email": "x"}).content.decode()
    assert "Виникла проблема" in html
    assert "There is a problem" not in html
