import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def copy_partners(apps, schema_editor):
    """Every partner of the old list becomes a partnership from the programme's start, still open."""
    Programme = apps.get_model("network", "Programme")
    Partnership = apps.get_model("network", "Partnership")
    old = Programme._meta.get_field("partners").remote_field.through
    programmes = dict(Programme.objects.values_list("pk", "start"))
    Partnership.objects.bulk_create(
        Partnership(
            programme_id=row.programme_id, organisation_id=row.organisation_id, joined=programmes[row.programme_id]
        )
        for row in old.objects.all()
    )


def copy_back(apps, schema_editor):
    Programme = apps.get_model("network", "Programme")
    Partnership = apps.get_model("network", "Partnership")
    old = Programme._meta.get_field("partners").remote_field.through
    old.objects.bulk_create(
        old(programme_id=p.programme_id, organisation_id=p.organisation_id) for p in Partnership.objects.all()
    )


class Migration(migrations.Migration):
    """Programme.partners gains dates: the automatic table becomes ``Partnership`` (rows kept, joined = start)."""

    dependencies = [("network", "0002_partner_budget")]

    operations = [
        migrations.CreateModel(
            name="Partnership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("joined", models.DateField(default=django.utils.timezone.localdate, verbose_name="joined")),
                ("left", models.DateField(blank=True, null=True, verbose_name="left")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="partnerships",
                        to="network.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="partnerships",
                        to="network.programme",
                    ),
                ),
            ],
            options={
                "verbose_name": "partnership",
                "verbose_name_plural": "partnerships",
                "ordering": ["organisation__name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("programme", "organisation"),
                        name="one_partnership_per_organisation",
                        violation_error_message="This organisation is a partner of this programme already.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("left__isnull", True), ("left__gte", models.F("joined")), _connector="OR"),
                        name="partnership_leaves_after_joining",
                        violation_error_message="A partner cannot leave before it joined.",
                    ),
                ],
            },
        ),
        migrations.RunPython(copy_partners, copy_back),
        migrations.RemoveField(model_name="programme", name="partners"),
        migrations.AddField(
            model_name="programme",
            name="partners",
            field=models.ManyToManyField(
                blank=True,
                related_name="programmes",
                through="network.Partnership",
                to="network.organisation",
                verbose_name="partners",
            ),
        ),
    ]
