"""Many new rows of one model at the speed of the database (imports of 100,000 rows; issue #20).

``FieldRules`` is ``Model.clean_fields`` prepared once per model: a value of the expected type that is obviously
valid (a known choice, a string within its length, an integer within its validators' range, a date) passes at the
cost of a comparison; any other value goes through the field's own ``clean``, so the rule and its message are
Django's. ``insert`` writes objects' prepared values in one ``executemany`` (SQLite) or ``COPY`` (PostgreSQL),
their ids reserved first and given to the objects, instead of ``bulk_create`` compiling every value into SQL.
``New`` is ``model(**values)`` prepared once, for a record built per row of a file: the same attributes, cached
relations and state as the model's ``__init__`` gives, without its generic path over every field.
Neither replaces a service: services call them after their rules, inside their transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, router
from django.db.models.base import ModelState
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

_PLAIN_TEXT = (models.CharField, models.SlugField)
_PLAIN_INTEGER = (models.IntegerField, models.PositiveIntegerField, models.SmallIntegerField, models.BigIntegerField)
# Classes whose database value is the Python value itself, for values of these types.
_SAME_IN_DATABASE = {
    models.CharField: str,
    models.TextField: str,
    models.SlugField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.PositiveIntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.ForeignKey: int,
}


def _country_field() -> type[models.Field]:
    from django_countries.fields import CountryField

    return CountryField


# A country field's ``pre_save`` only returns its code, as the converter does.
_PLAIN_PRE_SAVE = (
    models.Field.pre_save,
    models.DateField.pre_save,
    models.DateTimeField.pre_save,
    _country_field().pre_save,
)
# Fields whose database value depends on the value alone, asked once per value (a date, a moment, a country).
_BY_VALUE = (models.DateField, _country_field())


def _fast_check(field: models.Field) -> Callable[[Any], bool] | None:
    """A test that a value is valid for ``field`` without cleaning, or None where only ``field.clean`` can tell.

    It never passes a value ``field.clean`` would refuse or change; it may leave a valid value to ``clean``.
    """
    kind = type(field)
    choices = {str(value) for value, _label in field.flatchoices} if field.choices else None
    if kind in _PLAIN_TEXT and not _other_validators(field, ()):
        limit = field.max_length or 0
        if choices is not None:
            return lambda v: type(v) is str and v in choices and len(v) <= limit
        return lambda v: type(v) is str and len(v) <= limit
    if (
        kind in _PLAIN_INTEGER
        and choices is None
        and not _other_validators(field, (MinValueValidator, MaxValueValidator))
    ):
        low, high = _range(field)
        return lambda v: type(v) is int and low <= v <= high
    if kind is models.BooleanField and choices is None and not field.validators:
        return lambda v: type(v) is bool
    if kind is models.DateField and choices is None and not field.validators:
        return lambda v: type(v) is date
    if (
        kind is models.JSONField
        and choices is None
        and not field.validators
        and getattr(field, "encoder", None) is None
    ):
        return lambda v: type(v) is list and all(type(item) is str for item in v)
    return None


def _other_validators(field: models.Field, allowed: tuple[type, ...]) -> bool:
    """Whether ``field`` has validators beyond its length and those of the ``allowed`` classes."""
    from django.core.validators import MaxLengthValidator

    return any(not isinstance(v, (MaxLengthValidator, *allowed)) for v in field.validators)


def _range(field: models.Field) -> tuple[float, float]:
    low, high = float("-inf"), float("inf")
    for validator in field.validators:
        if not isinstance(validator, (MinValueValidator, MaxValueValidator)):
            continue
        limit = validator.limit_value() if callable(validator.limit_value) else validator.limit_value
        if isinstance(validator, MinValueValidator):
            low = max(low, limit)
        else:
            high = min(high, limit)
    return low, high


class FieldRules:
    """``full_clean``'s field validation of ``model``, prepared once: ``errors(obj)`` for each of many new records.

    The same as ``obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)``, the model's
    ``clean()`` included: relations, uniqueness and constraints are the service's and the database's. ``special``
    replaces a field's check (a country field rebuilds its 250 choices at every validation).
    """

    def __init__(
        self,
        model: type[models.Model],
        *,
        exclude: Iterable[str] = (),
        special: dict[str, Callable[[models.Model], list[str]]] | None = None,
    ):
        self.model_clean = model.clean is not models.Model.clean
        excluded = set(exclude)
        special = special or {}
        self.special = [(name, check) for name, check in special.items()]
        self.fields = [
            (field, field.attname, field.blank, _fast_check(field))
            for field in model._meta.concrete_fields
            if field.name not in excluded and field.name not in special and not field.primary_key
        ]

    def errors(self, obj: models.Model) -> dict[str, list]:
        errors: dict[str, list] = {}
        for field, attname, blank, fast in self.fields:
            raw = getattr(obj, attname)
            if raw in field.empty_values:
                if blank:
                    continue
            elif fast is not None and fast(raw):
                continue
            try:
                setattr(obj, attname, field.clean(raw, obj))
            except ValidationError as error:
                errors[field.name] = error.error_list
        for name, check in self.special:
            messages = check(obj)
            if messages:
                errors.setdefault(name, []).extend(messages)
        if self.model_clean:
            try:
                obj.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        return errors

    def clean(self, obj: models.Model) -> None:
        errors = self.errors(obj)
        if errors:
            raise ValidationError(errors)


M = TypeVar("M", bound=models.Model)


class New(Generic[M]):
    """``New(model)(**values)`` is ``model(**values)`` for a new record, built many times over (a row of a file).

    The same ``__dict__``, cached relations and ``_state`` as ``Model.__init__`` gives: each field's default where
    ``values`` gives none, a relation given as a record cached and its id set, a field with a descriptor of its own
    (a country) set through it. A model with init signals, a value under another name than a field's, or a related
    record of the wrong model is left to ``model(**values)`` itself.
    """

    def __init__(self, model: type[M]):
        self.model = model
        self.signals = pre_init.has_listeners(model) or post_init.has_listeners(model)
        self.plain = list(model._meta.concrete_fields) == list(model._meta.fields) and not model._meta.private_fields
        self.constant: dict[str, Any] = {}
        self.made: list[tuple[str, Callable[[], Any]]] = []
        self.names: dict[str, str] = {}  # field name -> attname, for fields stored as given
        self.described: set[str] = set()  # fields with a descriptor of their own: set through it
        self.relations: dict[str, tuple[str, str, type[models.Model]]] = {}  # name -> attname, target's, model
        for field in model._meta.concrete_fields:
            if field.has_default() and callable(field.default):
                self.made.append((field.attname, field.default))
            else:
                self.constant[field.attname] = field.get_default()
            if isinstance(field, models.ForeignKey) and not field.one_to_one:  # a one-to-one through its descriptor
                related: Any = field.related_model
                self.relations[field.name] = (field.attname, field.target_field.attname, related)
            elif type(getattr(model, field.attname, None)) is DeferredAttribute:
                self.names[field.name] = field.attname
            else:
                self.described.add(field.name)

    def __call__(self, **values: Any) -> M:
        model = self.model
        if self.signals or not self.plain:
            return model(**values)
        obj = model.__new__(model)
        state = obj._state = ModelState()
        attributes = obj.__dict__
        attributes.update(self.constant)
        for attname, make in self.made:
            attributes[attname] = make()
        described: list[tuple[str, Any]] = []
        for name, value in values.items():
            plain = self.names.get(name)
            if plain is not None:
                attributes[plain] = value
                continue
            relation = self.relations.get(name)
            if relation is None:
                if name not in self.described:
                    return model(**values)  # an attname, a property or an unknown name: the model's own answer
                described.append((name, value))
                continue
            attname, target, related = relation
            if value is None:
                attributes[attname] = None
            elif not isinstance(value, related):
                return model(**values)  # the descriptor's own error
            else:
                if state.db is None:
                    state.db = router.db_for_write(model, instance=value)
                if value._state.db is None:
                    value._state.db = router.db_for_write(related, instance=obj)
                attributes[attname] = getattr(value, target)
            state.fields_cache[name] = value
        for name, value in described:
            setattr(obj, name, value)
        return obj


def _memo(prepare: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``prepare`` asked once per value of the types where the database value depends on the value alone."""
    known: dict[tuple[type, Any], Any] = {}

    def prepared(value):
        kind = type(value)
        if kind is not date and kind is not datetime and kind is not str:
            return prepare(value)
        key = (kind, value)
        if key not in known:
            known[key] = prepare(value)
        return known[key]

    return prepared


def _converter(field: models.Field) -> Callable[[Any], Any]:
    """The value ``field`` stores for a Python value: the value itself where the database takes it as it is."""
    same = _SAME_IN_DATABASE.get(type(field))
    prepare = field.get_db_prep_save
    if isinstance(field, models.JSONField) and connection.vendor == "sqlite":
        # Text on SQLite: the rows of a file share a few lists of codes, each turned into JSON once.
        known: dict[tuple, Any] = {}

        def json_text(value):
            if type(value) is not list or not all(type(item) is str for item in value):
                return prepare(value, connection)
            key = tuple(value)
            if key not in known:
                known[key] = prepare(value, connection)
            return known[key]

        return json_text
    if same is None:
        if isinstance(field, _BY_VALUE):  # a file's rows share a few thousand days and a few countries
            return _memo(lambda value: None if value is None else prepare(value, connection))
        return lambda value: prepare(value, connection)
    return lambda value: value if value is None or type(value) is same else prepare(value, connection)


def _reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """``n`` new ids of ``model``'s table, never given to another row.

    PostgreSQL: from the table's sequence. SQLite: after the largest id ever given (AUTOINCREMENT keeps it); the
    transaction holds the database's write lock (``transaction_mode`` IMMEDIATE), so no one else writes meanwhile.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            pk = model._meta.pk.column
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, n])
            return [row[0] for row in cursor.fetchall()]
        pk = connection.ops.quote_name(str(model._meta.pk.column))
        cursor.execute(f"SELECT MAX({pk}) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a model's names
        largest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(largest, row[0] if row else 0) + 1
    return list(range(start, start + n))


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Rows of database values (tuples in the order of ``columns``) into ``model``'s table: executemany or COPY."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - a model's names
        cursor.executemany(sql, list(rows))  # a chunk's rows


def insert(objects: Sequence[M]) -> list[M]:
    """New records of one model saved as ``bulk_create`` saves them (no ``save()``, no signals), faster.

    Each gets its id; ``auto_now``/``auto_now_add`` dates are one moment for all; a field's own ``pre_save`` runs.
    """
    if not objects:
        return list(objects)
    model = type(objects[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                setattr(obj, field.attname, now if isinstance(field, models.DateTimeField) else now.date())
        elif type(field).pre_save not in _PLAIN_PRE_SAVE:
            for obj in objects:
                setattr(obj, field.attname, field.pre_save(obj, True))
    ids = _reserve_ids(model, len(objects))
    attnames = [f.attname for f in fields]
    converters = [_converter(f) for f in fields]
    pk = model._meta.pk.attname
    prepared = list(zip(converters, attnames, strict=True))
    rows = []
    for obj, new_id in zip(objects, ids, strict=True):
        setattr(obj, pk, new_id)
        obj._state.adding, obj._state.db = False, connection.alias
        values = obj.__dict__  # the attributes as set, not what a descriptor builds from them (a country)
        rows.append(
            (new_id, *[convert(values[name] if name in values else getattr(obj, name)) for convert, name in prepared])
        )
    insert_rows(model, [str(model._meta.pk.column), *[str(f.column) for f in fields]], rows)
    return list(objects)


def insert_copies(template: models.Model, varying: dict[str, Sequence[Any]]) -> int:
    """Rows like ``template`` (a new, unsaved record) but for the fields of ``varying``, one per value (their ids are
    not needed): an audit row per record of a file. Returns the rows written."""
    model = type(template)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            setattr(template, field.attname, now if isinstance(field, models.DateTimeField) else now.date())
    fixed = {f.attname: _converter(f)(getattr(template, f.attname)) for f in fields if f.attname not in varying}
    lengths = {len(values) for values in varying.values()}
    if len(lengths) != 1:
        raise ValueError("every varying field needs one value per row")
    (n,) = lengths
    converted = {f.attname: list(map(_converter(f), varying[f.attname])) for f in fields if f.attname in varying}
    columns = [
        converted[f.attname] if f.attname in converted else itertools.repeat(fixed[f.attname], n) for f in fields
    ]
    insert_rows(model, [str(f.column) for f in fields], zip(*columns, strict=False))  # repeat() is endless
    return n
