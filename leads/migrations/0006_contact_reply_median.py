

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('leads', '0005_seed_keywords'),
    ]

    operations = [
        migrations.AddField(
            model_name='contact',
            name='reply_median_s',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
    ]
