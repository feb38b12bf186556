"""The register of processing activities follows the schema: a model holding people's data must be described.

A model holds people's data when it has an encrypted field, or a link (a foreign key, however indirect) to a person,
an outreach contact, a referral or an outing. Each must have its entry in ``approdi/core/processing.py``; an entry
must name a model that exists. Add the entry in the same change that adds the model.
"""

from django.apps import apps

from approdi.core.processing import ACTIVITIES, ENCRYPTED, MODELS, PEOPLE

ROOTS = {"people.Person", "outreach.Contact", "outreach.Referral", "outreach.Outing"}


def holding_peoples_data() -> set[str]:
    ours = [m for m in apps.get_models() if m.__module__.startswith("approdi.")]
    found = {m._meta.label for m in ours if any(isinstance(f, ENCRYPTED) for f in m._meta.concrete_fields)}
    linked = set(ROOTS)
    grew = True
    while grew:
        grew = False
        for model in ours:
            if model._meta.label in linked:
                continue
            targets = {f.related_model._meta.label for f in model._meta.concrete_fields if f.is_relation}
            if targets & linked:
                linked.add(model._meta.label)
                grew = True
    return found | linked


def test_every_model_holding_peoples_data_is_described():
    missing = holding_peoples_data() - set(MODELS)
    assert not missing, f"describe these models in approdi/core/processing.py (MODELS): {sorted(missing)}"


def test_the_cases_people_and_outreach_models_are_found_by_the_rule():
    found = holding_peoples_data()
    assert {"cases.Case", "cases.Note", "cases.BreakGlass", "people.Consent", "shelter.Placement"} <= found


def test_every_entry_names_a_model_an_activity_and_categories_of_people():
    for label, described in MODELS.items():
        apps.get_model(label)  # LookupError for a model renamed or removed
        assert described.activity in ACTIVITIES, label
        assert described.people and set(described.people) <= set(PEOPLE), label
        assert str(described.data).strip(), label
