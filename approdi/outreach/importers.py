"""Import formats ``contacts`` and ``referrals`` of DESIGN.md §9."""

from django.utils.translation import gettext as _
from django_countries import countries

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.importing import Importer, RowContext, register
from approdi.network.models import Area, Organisation

from .codes import AgeBand, Channel, Exploitation, Gender, SourceType
from .models import Contact, Referral
from .person_code import NotEnoughFacts, code_from_identifier

COUNTRY_CODES = {code.upper() for code, _name in countries}


def _prepare(options):
    return {
        "organisations": {o.code.lower(): o for o in Organisation.objects.all()},
        "areas": {a.code.lower(): a for a in Area.objects.all()},
    }


def _organisation(row: RowContext):
    organisation = row.lookup("organisation", row.options["organisations"], label=_("organisation"))
    allowed = row.options.get("allowed_organisations")
    if organisation is not None and allowed is not None and organisation.pk not in allowed:
        row.error("organisation", _("you cannot import records of '%(code)s'") % {"code": organisation.code})
    return organisation


def _common(row: RowContext) -> dict:
    code = row.text("person_code", required=False)
    if code:
        try:
            code = code_from_identifier(code)
        except NotEnoughFacts as error:
            row.error("person_code", str(error))
    nationality = row.text("nationality", required=False).upper()
    if nationality and nationality not in COUNTRY_CODES:
        row.error("nationality", _("'%(value)s' is not an ISO 3166 alpha-2 country code") % {"value": nationality})
    return {
        "date": row.date("date"),
        "organisation": _organisation(row),
        "person_code": code,
        "gender": row.choice("gender", Gender.values, required=False),
        "nationality": nationality,
        "exploitation": row.choice("exploitation", Exploitation.values, required=False),
    }


def _validate_contact(row: RowContext):
    value = _common(row)
    first = row.text("first_contact", required=False).lower()
    if first and first not in ("yes", "no"):
        row.error("first_contact", _("use yes or no"))
    value.update(
        channel=row.choice("channel", Channel.values),
        area=row.lookup("area", row.options["areas"], required=False, label=_("area")),
        age_band=row.choice("age_band", AgeBand.values, required=False),
        first_contact={"yes": True, "no": False}.get(first),
        headcount=row.integer("headcount", required=False, minimum=1, default=1),
    )
    if value["headcount"] and value["headcount"] > 1 and value["person_code"]:
        row.error("headcount", _("a group of people is recorded without a person code"))
    return value


def _writer(model):
    """Writes validated rows of ``model`` for the import's programme in bulk, with one audit row."""

    def write(values, options):
        programme, actor = options["programme"], options.get("actor")
        author = actor if actor is not None and actor.is_authenticated else None
        model.objects.bulk_create([model(programme=programme, created_by=author, **v) for v in values], batch_size=2000)
        record(
            actor=actor,
            action=Action.CREATE,
            object_type=model._meta.label_lower,
            reason=f"import of {len(values)} rows",
            fields=["import"],
        )
        return len(values)

    return write


def _validate_referral(row: RowContext):
    value = _common(row)
    value.update(
        source_type=row.choice("source_type", SourceType.values),
        referring_body=row.text("referring_body", required=False)[:200],
        notes=row.text("notes", required=False),
    )
    if not Referral(**value).says_who_or_why():  # the rule of the form and the API
        row.error("person_code", _("give the person code or, in notes, why the person is referred"))
    return value


register(
    Importer(
        "contacts",
        ("date", "organisation", "channel"),
        ("area", "person_code", "gender", "age_band", "nationality", "exploitation", "first_contact", "headcount"),
        _prepare,
        _validate_contact,
        _writer(Contact),
        needs_programme=True,
    )
)
register(
    Importer(
        "referrals",
        ("date", "organisation", "source_type"),
        ("referring_body", "person_code", "gender", "nationality", "exploitation", "notes"),
        _prepare,
        _validate_referral,
        _writer(Referral),
        needs_programme=True,
    )
)
