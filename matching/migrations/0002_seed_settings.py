from django.db import migrations


def seed(apps, schema_editor):
    from firms.taxonomy import SYNONYM_GROUPS

    Synonym = apps.get_model("matching", "Synonym")
    EngineSettings = apps.get_model("matching", "EngineSettings")
    for terms in SYNONYM_GROUPS:
        Synonym.objects.get_or_create(terms=terms)
    if not EngineSettings.objects.exists():
        EngineSettings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
