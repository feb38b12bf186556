"""A case conference's follow-up action becomes the meeting engine's action (governance.models.OwedAction): its
``done`` flag becomes ``status`` (open/done), every action done so far stays done, with its day."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def done_to_status(apps, schema_editor):
    FollowUpAction = apps.get_model("intake", "FollowUpAction")
    FollowUpAction._base_manager.filter(done=True).update(status="done")


def status_to_done(apps, schema_editor):
    FollowUpAction = apps.get_model("intake", "FollowUpAction")
    FollowUpAction._base_manager.filter(status="done").update(done=True)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0009_erasure_request"),
        ("governance", "0002_owed_action"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="followupaction", name="conference_action_done_on_when_done"),
        migrations.RemoveIndex(model_name="followupaction", name="open_conference_action"),
        migrations.AddField(
            model_name="followupaction",
            name="status",
            field=models.CharField(
                choices=[("open", "Open"), ("done", "Done")], default="open", max_length=10, verbose_name="status"
            ),
        ),
        migrations.RunPython(done_to_status, status_to_done),
        migrations.RemoveField(model_name="followupaction", name="done"),
        migrations.AlterField(
            model_name="followupaction",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="%(app_label)s_owed_actions",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
        migrations.AddIndex(
            model_name="followupaction",
            index=models.Index(
                condition=models.Q(("status", "open")), fields=["owner", "due"], name="open_conference_action"
            ),
        ),
        migrations.AddConstraint(
            model_name="followupaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("done_on__isnull", True), ("status", "open")),
                    models.Q(("done_on__isnull", False), ("status", "done")),
                    _connector="OR",
                ),
                name="conference_action_done_on_when_done",
            ),
        ),
    ]
