from django import template
from django.forms import CheckboxInput, RadioSelect, Select, SelectMultiple

register = template.Library()


@register.filter
def styled(field):
    """Renders a bound field with Bootstrap Italia classes and its help text linked for screen readers."""
    widget = field.field.widget
    attrs = {}
    if isinstance(widget, CheckboxInput):
        attrs["class"] = "form-check-input"
    elif isinstance(widget, (Select, SelectMultiple)) and not isinstance(widget, RadioSelect):
        attrs["class"] = "form-select"
    elif not isinstance(widget, RadioSelect):
        attrs["class"] = "form-control"
    if field.errors:
        attrs["class"] = attrs.get("class", "") + " is-invalid"
        attrs["aria-invalid"] = "true"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-help")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_choice_list(field) -> bool:
    """Radio buttons and multiple check boxes: a fieldset with one labelled option each."""
    return isinstance(field.field.widget, RadioSelect)  # CheckboxSelectMultiple is a RadioSelect too


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, CheckboxInput)


@register.filter
def add_check_class(tag: str) -> str:
    from django.utils.safestring import mark_safe

    return mark_safe(str(tag).replace("<input ", '<input class="form-check-input" ', 1))


@register.filter
def add_segment_class(tag: str) -> str:
    """A radio of a segmented row (core.forms.SegmentedRadio): hidden behind its label, which is the button."""
    from django.utils.safestring import mark_safe

    return mark_safe(str(tag).replace("<input ", '<input class="btn-check" autocomplete="off" ', 1))
