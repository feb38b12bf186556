"""Import formats ``contacts`` and ``referrals`` of DESIGN.md §9.

Rows are read here and filed by the services, by the rules a form or the API follows (partners, person code,
first contact, validation, audit): an import is many records filed at once, not another way in.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from approdi.core.importing import Importer, RowContext, register
from approdi.network.dates import activity_problem
from approdi.network.models import Area, Organisation
from approdi.network.services import current_partner_ids, not_a_partner
from approdi.people.codes import Gender

from . import services
from .codes import AgeBand, Channel, Exploitation, Sector, SourceType, TargetGroup
from .models import MAX_HEADCOUNT, Referral

COUNTRY_CODES = {code.upper() for code, _name in countries}
# Read once: an enumeration builds its list of values at every reading, and a file has 100,000 rows.
GENDERS, EXPLOITATIONS, CHANNELS = Gender.values, Exploitation.values, Channel.values
AGE_BANDS, SOURCE_TYPES = AgeBand.values, SourceType.values
SECTORS, TARGET_GROUPS = Sector.values, TargetGroup.values
ORGANISATION, AREA = gettext_lazy("organisation"), gettext_lazy("area")


def _prepare(options):
    return {
        "organisations": {o.code.lower(): o for o in Organisation.objects.all()},
        "areas": {a.code.lower(): a for a in Area.objects.all()},
        "partners": current_partner_ids(options["programme"]),
        # A file is saved a chunk at a time: its first contacts are marked across the chunks.
        "first_contacts": services.FirstContacts(),
    }


def _organisation(row: RowContext):
    organisation = row.lookup("organisation", row.options["organisations"], label=ORGANISATION)
    if organisation is None:
        return None
    allowed = row.options.get("allowed_organisations")
    if allowed is not None and organisation.pk not in allowed:
        row.error("organisation", _("you cannot import records of '%(code)s'") % {"code": organisation.code})
    elif organisation.pk not in row.options["partners"]:
        row.error("organisation", not_a_partner(row.options["programme"], organisation))
    return organisation


def _common(row: RowContext) -> dict:
    nationality = row.text("nationality", required=False).upper()
    if nationality and nationality not in COUNTRY_CODES:
        row.error("nationality", _("'%(value)s' is not an ISO 3166 alpha-2 country code") % {"value": nationality})
    day = row.date("date")
    problem = activity_problem(day, programme=row.options["programme"])
    if problem:
        row.error("date", problem)
    return {
        "date": day,
        "organisation": _organisation(row),
        "person_code": row.text("person_code", required=False),
        "gender": row.choice("gender", GENDERS, required=False),
        "nationality": nationality,
        "exploitation": row.choice("exploitation", EXPLOITATIONS, required=False),
        # The labour desk's facts (seed 002); the service's rule decides where they belong (check_labour_facts).
        "sector": row.choice("sector", SECTORS, required=False),
        "target_group": row.choice("target_group", TARGET_GROUPS, required=False),
    }


def _built(row: RowContext, errors_before: int, build, values: dict):
    """The record the service builds from a clean row; its refusals become the row's errors, column by column."""
    if len(row.errors) > errors_before:
        return None
    actor = row.options.get("actor")
    try:
        return build(
            programme=row.options["programme"],
            created_by=actor if actor is not None and actor.is_authenticated else None,
            **values,
        )
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            for message in messages:
                row.error(column, message)
        return None


def _validate_contact(row: RowContext):
    before = len(row.errors)
    value = _common(row)
    first = row.text("first_contact", required=False).lower()
    if first and first not in ("yes", "no"):
        row.error("first_contact", _("use yes or no"))
    value.update(
        channel=row.choice("channel", CHANNELS),
        area=row.lookup("area", row.options["areas"], required=False, label=AREA),
        age_band=row.choice("age_band", AGE_BANDS, required=False),
        first_contact={"yes": True, "no": False}.get(first),
        headcount=row.integer("headcount", required=False, minimum=1, default=1),
    )
    if value["headcount"] and value["headcount"] > MAX_HEADCOUNT:
        row.error("headcount", _("must be at most %(maximum)s") % {"maximum": MAX_HEADCOUNT})
    if value["headcount"] and value["headcount"] > 1 and value["person_code"]:
        row.error("headcount", _("a group of people is recorded without a person code"))
    return _built(row, before, services.build_contact, value)


def _validate_referral(row: RowContext):
    before = len(row.errors)
    value = _common(row)
    value.update(
        source_type=row.choice("source_type", SOURCE_TYPES),
        referring_body=row.name("referring_body", required=False),
        notes=row.text("notes", required=False),
    )
    if not Referral(**value).says_who_or_why():  # the rule of the form and the API
        row.error("person_code", _("give the person code or, in notes, why the person is referred"))
    return _built(row, before, services.build_referral, value)


def _write_contacts(values, options):
    saved = services.save_contacts(
        actor=options.get("actor"),
        programme=options["programme"],
        contacts=values,
        first_contacts=options["first_contacts"],
    )
    return len(saved)


def _write_referrals(values, options):
    return len(services.save_referrals(actor=options.get("actor"), programme=options["programme"], referrals=values))


register(
    Importer(
        "contacts",
        ("date", "organisation", "channel"),
        (
            "area",
            "person_code",
            "gender",
            "age_band",
            "nationality",
            "exploitation",
            "first_contact",
            "headcount",
            "sector",
            "target_group",
        ),
        _prepare,
        _validate_contact,
        _write_contacts,
        needs_programme=True,
        chunked=True,
    )
)
register(
    Importer(
        "referrals",
        ("date", "organisation", "source_type"),
        ("referring_body", "person_code", "gender", "nationality", "exploitation", "notes", "sector", "target_group"),
        _prepare,
        _validate_referral,
        _write_referrals,
        needs_programme=True,
        chunked=True,
    )
)
