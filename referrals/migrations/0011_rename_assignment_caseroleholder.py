# The history of who held a role on the case was called Assignment ("toewijzing"), which in iJw means a
# JW301; it is renamed to what it is. RenameModel renames the table with its data; nothing else refers to it.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0010_case_search_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="Assignment", new_name="CaseRoleHolder"),
        migrations.AlterModelOptions(
            name="caseroleholder",
            options={
                "ordering": ["-started_at", "-pk"],
                "verbose_name": "rol op de casus",
                "verbose_name_plural": "rollen op de casus",
            },
        ),
        migrations.AlterField(
            model_name="caseroleholder",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="role_history", to="referrals.case"
            ),
        ),
        migrations.AlterField(
            model_name="caseroleholder",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="case_roles_held",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
