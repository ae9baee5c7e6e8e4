import django.db.models
from django.db import migrations

import baqylau.core.dates

HELP = "The deadline first ordered; never changed after issue. Discipline is measured against it."


def _field():
    return django.db.models.DateField(
        help_text=HELP, validators=[baqylau.core.dates.validate_plan_date], verbose_name="original due"
    )


class Migration(migrations.Migration):
    dependencies = [("instructions", "0007_instruction_control_data")]
    operations = [
        migrations.AlterField(model_name="instruction", name="original_due", field=_field()),
        migrations.AlterField(model_name="historicalinstruction", name="original_due", field=_field()),
    ]
