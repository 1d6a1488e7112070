"""Form widgets for long choice lists."""

from html import escape

from django import forms
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A single <select> written out in Python straight from its choices.

    Django builds a dictionary per option and renders every option through its own template; with the 342
    gemeenten of the country that was most of a case list's time (docs/performance.md). The HTML is the
    same: name, attributes, options with value, `selected` and label, all escaped; groups as <optgroup>."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{escape(name)}"{_attrs(final_attrs)}>']
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(str(option_value))}">')
                parts.extend(_option(v, lab, selected) for v, lab in label)
                parts.append("</optgroup>")
            else:
                parts.append(_option(option_value, label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value above is escaped


def _option(value, label, selected: set[str]) -> str:
    value = "" if value is None else str(value)
    chosen = " selected" if value in selected else ""
    return f'<option value="{escape(value)}"{chosen}>{escape(str(label))}</option>'


def _attrs(attrs: dict) -> str:
    """As django.forms.utils.flatatt: True is a bare attribute, False and None are left out."""
    out = []
    for key, value in attrs.items():
        if value is True:
            out.append(f" {escape(key)}")
        elif value is not False and value is not None:
            out.append(f' {escape(key)}="{escape(str(value))}"')
    return "".join(out)
