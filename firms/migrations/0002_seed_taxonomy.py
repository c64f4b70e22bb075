from django.db import migrations


def seed(apps, schema_editor):
    from firms.taxonomy import CHILDREN, PARENTS, RELATIONS

    Category = apps.get_model("firms", "Category")
    CategoryRelation = apps.get_model("firms", "CategoryRelation")
    parents = {}
    for code, (en, uk) in PARENTS.items():
        parents[code], _ = Category.objects.get_or_create(
            code=code, defaults={"label_en": en, "label_uk": uk}
        )
    for code, (en, uk) in CHILDREN.items():
        Category.objects.get_or_create(
            code=code, defaults={"label_en": en, "label_uk": uk, "parent": parents[code.split(".")[0]]}
        )
    by_code = {c.code: c for c in Category.objects.all()}
    for a, b in RELATIONS:
        CategoryRelation.objects.get_or_create(category=by_code[a], related_to=by_code[b])


class Migration(migrations.Migration):
    dependencies = [("firms", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
