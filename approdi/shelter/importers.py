from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.importing import Importer, ImportFailed, RowContext, RowError, register
from approdi.network.closing import closed_problem
from approdi.network.dates import future_problem, stay_problem, today
from approdi.network.models import Area, Organisation, Programme
from approdi.network.services import current_partner_ids, not_a_partner

from . import admission, services
from .models import AdmittedAges, ExitReason, Placement, Stage, Structure, StructureType, TargetGender
from .services import sync_beds

GENDER_ALIASES = {"woman": "women", "women": "women", "man": "men", "men": "men", "any": "any", "mixed": "any"}

# docs/contracts.md's codes: "continued" is written by the continuation in the next edition alone.
IMPORTED_EXIT_REASONS = [value for value in ExitReason.values if value != ExitReason.CONTINUED]


def _prepare(options):
    from django.db.models import Count, Q

    with scopes_disabled():  # structure codes are unique across the network, whoever manages them
        existing_codes = {c.lower() for c in Structure.objects.values_list("code", flat=True)}
        # What the funder figures already read of each structure: a change of it may reach a closed period.
        standing = {s.code.lower(): s for s in Structure.objects.prefetch_related("programmes")}
        residents = dict(
            Structure.objects.annotate(n=Count("placements", filter=Q(placements__end__isnull=True)))
            .filter(n__gt=0)
            .values_list("code", "n")
        )
    programme = options.get("programme")
    return {
        "partners": current_partner_ids(programme) if programme is not None else None,
        "organisations": {o.code.lower(): o for o in Organisation.objects.all()},
        "areas": {a.code.lower(): a for a in Area.objects.all()},
        "existing_codes": existing_codes,
        "residents": {code.lower(): n for code, n in residents.items()},
        "standing": standing,
        "seen": set(),
    }


def _validate(row: RowContext):
    code = row.text("code")
    if code.lower() in row.options["seen"]:
        row.error("code", _("'%(code)s' appears more than once in the file") % {"code": code})
    row.options["seen"].add(code.lower())
    value = {
        "code": code,
        "name": row.name("name"),
        "organisation": row.lookup("organisation", row.options["organisations"], label=_("organisation")),
        "type": row.choice("type", StructureType.values),
        "area": row.lookup("area", row.options["areas"], label=_("area")),
        "beds": row.integer("beds", minimum=1),
        "gender": GENDER_ALIASES.get(row.text("gender", required=False).lower()),
        "ages": row.choice("ages", AdmittedAges.values, required=False),
        "open_from": row.date("open_from", required=False),
        "open_to": row.date("open_to", required=False),
    }
    partners, organisation = row.options["partners"], value["organisation"]
    if partners is not None and organisation is not None and organisation.pk not in partners:
        row.error("organisation", not_a_partner(row.options["programme"], organisation))
    living = row.options["residents"].get(code.lower(), 0)
    if value["beds"] and value["beds"] < living:  # the rule of change_capacity
        row.error(
            "beds",
            ngettext(
                "%(count)s person lives in %(code)s now: it cannot have fewer beds",
                "%(count)s people live in %(code)s now: it cannot have fewer beds",
                living,
            )
            % {"count": living, "code": code},
        )
    if row.text("gender", required=False) and value["gender"] is None:
        row.error("gender", _("'%(value)s' is not one of: women, men, any") % {"value": row.values.get("gender")})
    if value["open_from"] and value["open_to"] and value["open_to"] < value["open_from"]:
        row.error("open_to", _("the structure closes before it opens"))
    _closed_change(row, row.options["standing"].get(code.lower()), value)
    return value


def _closed_change(row: RowContext, before: Structure | None, value: dict) -> None:
    """A file's new beds or opening dates rewrite the figures of every day they reach: refused in a closed period.

    Beds without a dated capacity change count from the start; a new opening date from the earlier of the two.
    """
    if before is None:
        return
    days = [
        day
        for name in ("open_from", "open_to")
        if value[name] != getattr(before, name)
        for day in (value[name], getattr(before, name))
        if day is not None
    ]
    beds = bool(value["beds"]) and value["beds"] != before.beds
    if not (days or beds):
        return
    for programme in before.programmes.all():
        first = min(days + [programme.start] * beds)
        problem = closed_problem(first, programme=programme, last=today())
        if problem:
            row.error("beds" if beds else "open_from", problem)
            return


def _write(values, options):
    programme: Programme | None = options.get("programme")
    for value in values:
        with scopes_disabled():  # an update may touch a structure of another organisation (CLI only)
            structure = Structure.objects.filter(code__iexact=value["code"]).first() or Structure(code=value["code"])
        created = structure.pk is None
        for name in ("name", "organisation", "type", "area", "beds", "open_from", "open_to"):
            setattr(structure, name, value[name])
        structure.gender = value["gender"] or TargetGender.ANY
        # Without the column a new structure is for adults (the model's default), an updated one keeps its ages.
        structure.ages = value["ages"] or structure.ages
        structure.full_clean(exclude=["programmes"])
        structure.save()
        sync_beds(structure)
        if programme is not None:
            structure.programmes.add(programme)
        record(
            actor=options.get("actor"),
            action=Action.CREATE if created else Action.CHANGE,
            obj=structure,
            fields=["code", "name", "type", "beds"],
            reason="import",
            organisation_id=structure.organisation_id,
        )
    return len(values)


register(
    Importer(
        "structures",
        ("code", "name", "organisation", "type", "area", "beds"),
        ("gender", "ages", "open_from", "open_to"),
        _prepare,
        _validate,
        _write,
    )
)


def _prepare_placements(options):
    from approdi.people.models import Person

    programme = options["programme"]
    try:
        services.lead_entity(programme)
    except ValidationError as error:
        raise ImportFailed([RowError(0, "programme", m) for m in error.message_dict["programme"]]) from None
    with scopes_disabled():  # the command line imports for the whole network
        structures = {s.code.lower(): s for s in Structure.objects.select_related("organisation")}
        placed = set(
            Placement.objects.filter(programme=programme, end__isnull=True).values_list("person__code", flat=True)
        )
    return {
        "structures": structures,
        "partners": current_partner_ids(programme),
        "people": {p.code: p for p in Person.objects.filter(programme=programme)},
        "open_people": placed,
    }


def _validate_placement(row: RowContext):
    from approdi.people.codes import Gender
    from approdi.people.person_code import NotEnoughFacts, code_from_identifier

    raw_code = row.text("person_code")
    code = ""
    if raw_code:
        try:
            code = code_from_identifier(raw_code)
        except NotEnoughFacts as error:
            row.error("person_code", str(error))
    value = services.Stay(
        key=row.number,
        code=code,
        gender=row.choice("gender", Gender.values),
        structure=row.lookup("structure", row.options["structures"], label=_("structure")),
        stage=row.choice("stage", Stage.values),
        start=row.date("start"),  # type: ignore[arg-type]  # None only in a row with errors, which is refused
        end=row.date("end", required=False),
        exit_reason=row.choice("exit_reason", IMPORTED_EXIT_REASONS, required=False),
    )
    structure = value.structure
    if structure is not None and structure.organisation_id not in row.options["partners"]:
        row.error("structure", not_a_partner(row.options["programme"], structure.organisation))
    elif structure is not None and value.start and services.closed_on(structure, value.start):
        row.error("structure", _("the structure is closed on that date"))
    if value.start and value.end and value.end < value.start:
        row.error("end", _("the placement ends before it starts"))
    for column in ("start", "end"):
        problem = future_problem(getattr(value, column))
        if problem:
            row.error(column, problem)
    problem = stay_problem(value.start, value.end, programme=row.options["programme"])
    if problem:
        row.error("start" if value.start and value.start > row.options["programme"].end else "end", problem)
    if value.end and not value.exit_reason:
        row.error("exit_reason", _("an ended placement needs its exit reason"))
    if value.structure and value.stage and value.start and code:
        _check_admission(row, value)
    if not value.end and code:
        if code in row.options["open_people"]:
            row.error("person_code", _("the person is placed twice at the same time"))
        row.options["open_people"].add(code)
    return value


def _check_admission(row: RowContext, value) -> None:
    """The rule of place(): a known person by her record, a new one by the row's gender."""
    from django.core.exceptions import ValidationError

    from approdi.people.models import Person

    person = row.options["people"].get(value.code) or Person(gender=value.gender)
    try:
        admission.check(person=person, structure=value.structure, stage=value.stage, day=value.start)
    except ValidationError as refused:
        for message in refused.message_dict["structure"]:
            row.error("structure", message)


def _write_placements(values, options):
    """Past and current stays, filed by the shelter service; a refusal names the file's row."""
    actor = options.get("actor")
    author = actor if actor is not None and actor.is_authenticated else _system_user()
    try:
        saved = services.record_stays(actor=actor, programme=options["programme"], stays=values, author=author)
    except services.StayRefused as refusal:
        raise ImportFailed([RowError(refusal.stay.key, refusal.field, refusal.message)]) from None
    return len(saved)


def _system_user():
    from approdi.accounts.models import User

    user, _created = User.objects.get_or_create(username="approdi-import", defaults={"is_active": False})
    return user


register(
    Importer(
        "placements",
        ("person_code", "gender", "structure", "stage", "start"),
        ("end", "exit_reason"),
        _prepare_placements,
        _validate_placement,
        _write_placements,
        needs_programme=True,
    )
)
