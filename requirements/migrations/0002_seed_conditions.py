from django.db import migrations


def seed(apps, schema_editor):
    from firms.taxonomy import REPORT_CONDITIONS

    ReportCondition = apps.get_model("requirements", "ReportCondition")
    for code, (en, uk) in REPORT_CONDITIONS.items():
        ReportCondition.objects.get_or_create(code=code, defaults={"label_en": en, "label_uk": uk})


class Migration(migrations.Migration):
    dependencies = [("requirements", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
