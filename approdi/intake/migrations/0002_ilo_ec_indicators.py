"""Loads version 1 of the ILO/EC indicator lists from data/ilo_ec_indicators_2009.json."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "ilo_ec_indicators_2009.json"


def load(apps, schema_editor):
    IndicatorList = apps.get_model("intake", "IndicatorList")
    Indicator = apps.get_model("intake", "Indicator")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for code, items in data["lists"].items():
        indicator_list = IndicatorList.objects.create(code=code, version=data["version"], source=data["source"], is_current=True)
        Indicator.objects.bulk_create([
            Indicator(indicator_list=indicator_list, ref=item["id"], dimension=item["dimension"], strength=item["strength"],
                      text_en=item["text_en"], text_it=item["text_it"])
            for item in items
        ])


def unload(apps, schema_editor):
    apps.get_model("intake", "Indicator").objects.all().delete()
    apps.get_model("intake", "IndicatorList").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
