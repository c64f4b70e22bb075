from django.db import migrations


def room_for_a_whole_page(apps, schema_editor):
    # A requirement's rows are written together, so they share pages, and a rescore rewrites
    # all of them in one transaction: every row of a page needs room for its new version on
    # that page, or the update leaves it (not HOT) and adds an entry to each of the table's
    # three indexes. At fillfactor 70 about 40 % of a full rewrite stayed on its page; at 45,
    # measured on 3 million rows, 99.6 %, and a title edit's rescore took half the time.
    # Applies to pages written from now on; VACUUM FULL matching_match re-packs older ones.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE matching_match SET (fillfactor = 45)")


def back_to_seventy(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE matching_match SET (fillfactor = 70)")


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0007_match_field_index"),
    ]

    operations = [
        migrations.RunPython(room_for_a_whole_page, back_to_seventy),
    ]
