from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.importing import Importer, RowContext, register

from .models import Organisation
from .services import add_partner


def _prepare(options):
    return {"existing": {o.code.lower(): o for o in Organisation.objects.all()}, "seen": set()}


def _validate(row: RowContext):
    code = row.text("code").lower()
    name = row.name("name")
    kind = row.choice("type", Organisation.Type.values)
    if code and not code.replace("-", "").replace("_", "").isalnum():
        row.error("code", _("use letters, digits, - and _ only"))
    if code in row.options["seen"]:
        row.error("code", _("'%(code)s' appears more than once in the file") % {"code": code})
    row.options["seen"].add(code)
    existing = row.options["existing"].get(code)
    if kind == Organisation.Type.ENFORCEMENT and existing is not None and existing.memberships.exists():
        # The firewall of DESIGN.md §5: a body whose staff hold accounts cannot quietly become one that may not.
        row.error(
            "type", _("'%(code)s' has user accounts: remove them before making it an enforcement body") % {"code": code}
        )
    return {"code": code, "name": name, "type": kind}


# With --programme P, these rows become partners of P (DESIGN.md §9); network bodies and the others never do.
PARTNER_TYPES = {Organisation.Type.LEAD, Organisation.Type.PARTNER}


def _write(values, options):
    programme = options.get("programme")
    for value in values:
        organisation, created = Organisation.objects.update_or_create(
            code=value["code"], defaults={"name": value["name"], "type": value["type"]}
        )
        organisation.full_clean()
        record(
            actor=options.get("actor"),
            action=Action.CREATE if created else Action.CHANGE,
            obj=organisation,
            fields=["code", "name", "type"],
            reason="import",
        )
        if programme is not None and organisation.type in PARTNER_TYPES:
            add_partner(actor=options.get("actor"), programme=programme, organisation=organisation)
    return len(values)


register(Importer("organisations", ("code", "name", "type"), (), _prepare, _validate, _write))
