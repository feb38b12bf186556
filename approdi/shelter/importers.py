from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.importing import Importer, RowContext, register
from approdi.network.models import Area, Organisation, Programme

from .models import Structure, StructureType, TargetGender

GENDER_ALIASES = {"woman": "women", "women": "women", "man": "men", "men": "men", "any": "any", "mixed": "any"}


def _prepare(options):
    with scopes_disabled():  # structure codes are unique across the network, whoever manages them
        existing_codes = {c.lower() for c in Structure.objects.values_list("code", flat=True)}
    return {
        "organisations": {o.code.lower(): o for o in Organisation.objects.all()},
        "areas": {a.code.lower(): a for a in Area.objects.all()},
        "existing_codes": existing_codes,
        "seen": set(),
    }


def _validate(row: RowContext):
    code = row.text("code")
    if code.lower() in row.options["seen"]:
        row.error("code", _("'%(code)s' appears more than once in the file") % {"code": code})
    row.options["seen"].add(code.lower())
    value = {
        "code": code,
        "name": row.text("name"),
        "organisation": row.lookup("organisation", row.options["organisations"], label=_("organisation")),
        "type": row.choice("type", StructureType.values),
        "area": row.lookup("area", row.options["areas"], label=_("area")),
        "beds": row.integer("beds", minimum=1),
        "gender": GENDER_ALIASES.get(row.text("gender", required=False).lower()),
        "open_from": row.date("open_from", required=False),
        "open_to": row.date("open_to", required=False),
    }
    if row.text("gender", required=False) and value["gender"] is None:
        row.error("gender", _("'%(value)s' is not one of: women, men, any") % {"value": row.values.get("gender")})
    if value["open_from"] and value["open_to"] and value["open_to"] < value["open_from"]:
        row.error("open_to", _("the structure closes before it opens"))
    return value


def _write(values, options):
    programme: Programme | None = options.get("programme")
    for value in values:
        with scopes_disabled():  # an update may touch a structure of another organisation (CLI only)
            structure = Structure.objects.filter(code__iexact=value["code"]).first() or Structure(code=value["code"])
        created = structure.pk is None
        for name in ("name", "organisation", "type", "area", "beds", "open_from", "open_to"):
            setattr(structure, name, value[name])
        structure.gender = value["gender"] or TargetGender.ANY
        structure.full_clean(exclude=["programmes"])
        structure.save()
        if programme is not None:
            structure.programmes.add(programme)
        record(actor=options.get("actor"), action=Action.CREATE if created else Action.CHANGE, obj=structure,
               fields=["code", "name", "type", "beds"], reason="import", organisation_id=structure.organisation_id)
    return len(values)


register(Importer(
    "structures",
    ("code", "name", "organisation", "type", "area", "beds"),
    ("gender", "open_from", "open_to"),
    _prepare, _validate, _write,
))
