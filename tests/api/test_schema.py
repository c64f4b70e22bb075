from __future__ import annotations

from django.core.management import call_command


def test_schema_generates_without_warnings(db, tmp_path):
    # --fail-on-warn turns any warning (an untyped field, a guessed path parameter) into an error.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    text = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/requirements/{reference}/matches/" in text
    assert "A ranked list (staff token)" in text
    assert "tokenAuth" in text
