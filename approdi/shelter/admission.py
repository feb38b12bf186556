"""Who a structure may take in: the one rule of place(), the waiting list's proposals, the API and imports.

A structure admits a person when three things fit:

- **gender**: both the structure's type ("Reception structure for men") and its target gender say so;
  a type for men never takes a woman, whatever its target field says. A person whose gender is not
  recorded (empty or "unknown") goes only where everybody is admitted: the Ufficio Filtro has met her
  before placing her, recording her gender is one field, and guessing wrong puts her and the
  residents at risk.
- **age**: a minor is a person marked as such ("minor, or declares to be") or whose birth date makes
  her under 18 on the first day. Both count: the anti-trafficking rules presume minority where there is
  reason to believe it (Directive 2011/36/EU art. 13, L. 47/2017), and the mark is where that doubt is
  recorded. An unknown birth date without the mark counts as an adult: nothing suggests otherwise, and
  refusing every undocumented adult would leave most people the network meets without a bed.
- **stage**: the stage is one the structure's type hosts (``STAGE_TYPES``).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import STAGE_TYPES, AdmittedAges, StructureType, TargetGender

WOMEN = frozenset({"woman", "trans_woman"})
MEN = frozenset({"man", "trans_man"})
EVERYBODY = WOMEN | MEN | {"non_binary", "unknown", ""}

TARGET_TAKES: dict[str, frozenset[str]] = {
    TargetGender.WOMEN: WOMEN,
    TargetGender.MEN: MEN,
    TargetGender.ANY: EVERYBODY,
}
TYPE_TAKES: dict[str, frozenset[str]] = {
    StructureType.EMERGENCY_WOMEN: WOMEN,
    StructureType.WOMEN: WOMEN,
    StructureType.EMERGENCY_PLACES: WOMEN,
    StructureType.MEN: MEN,
    StructureType.DORMITORY_MEN: MEN,
    StructureType.AUTONOMY: EVERYBODY,
}


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(person, day: date) -> bool:
    age = age_on(person.birth_date, day)
    return bool(person.is_minor) or (age is not None and age < 18)


def fitting(*, gender: str, minor: bool, stage: str) -> dict[str, set[str]]:
    """The structures' field values that admit such a person at such a stage, as queryset filters."""
    return {
        "type__in": {t for t in STAGE_TYPES.get(stage, ()) if gender in TYPE_TAKES[t]},
        "gender__in": {g for g, takes in TARGET_TAKES.items() if gender in takes},
        "ages__in": {AdmittedAges.ALL, AdmittedAges.MINORS if minor else AdmittedAges.ADULTS},
    }


def check(*, person, structure, stage: str, day: date) -> None:
    """Raises a ValidationError saying why the structure cannot take the person in at that stage."""
    gender = person.gender or ""
    minor = is_minor(person, day)
    fits = fitting(gender=gender, minor=minor, stage=stage)
    errors = []
    if structure.type not in STAGE_TYPES.get(stage, ()):
        errors.append(
            _("%(structure)s (%(type)s) does not host the stage '%(stage)s'.")
            % {"structure": structure.name, "type": structure.get_type_display(), "stage": _stage_label(stage)}
        )
    if gender not in TYPE_TAKES.get(structure.type, ()) or gender not in TARGET_TAKES.get(structure.gender, ()):
        if gender in ("", "unknown"):
            errors.append(
                _("Record the person's gender first: %(structure)s does not admit everybody.")
                % {"structure": structure.name}
            )
        else:
            errors.append(
                _("%(structure)s does not admit a person of this gender (%(gender)s).")
                % {"structure": structure.name, "gender": _gender_label(gender)}
            )
    if structure.ages not in fits["ages__in"]:
        if minor:
            errors.append(
                _("The person is a minor (or declares to be): %(structure)s admits adults only.")
                % {"structure": structure.name}
            )
        else:
            errors.append(_("%(structure)s admits minors only.") % {"structure": structure.name})
    if errors:
        raise ValidationError({"structure": errors})


def _gender_label(gender: str) -> str:
    from approdi.people.codes import Gender

    return str(dict(Gender.choices).get(gender, gender))


def _stage_label(stage: str) -> str:
    from .models import Stage

    return str(dict(Stage.choices).get(stage, stage))
