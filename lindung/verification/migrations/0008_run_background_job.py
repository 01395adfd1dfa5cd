"""A verification run is a background job like the others (lindung.common.jobs): its
failure message under the shared name, a progress figure and a heartbeat."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("verification", "0007_register_models_moved")]

    operations = [
        migrations.RenameField(model_name="verificationrun", old_name="error", new_name="message"),
        migrations.AddField(
            model_name='verificationrun',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='verificationrun',
            name='progress',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name='verificationrun',
            name='status',
            field=models.CharField(choices=[('queued', 'Menunggu'), ('running', 'Diproses'), ('done', 'Selesai'), ('failed', 'Gagal')], default='queued', max_length=10, verbose_name='status'),
        ),
    ]
