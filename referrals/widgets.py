"""Form widgets for long choice lists."""

from html import escape

from django import forms
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> written out in Python rather than with a template per option.

    Django renders every option through its own template; with the 342 gemeenten of the country that was
    most of a case list's time (docs/performance.md). The HTML is the same: name, attributes, options with
    value, `selected` and label, all escaped."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'<optgroup label="{escape(str(group))}">')
            parts.extend(
                f'<option value="{escape(str(o["value"]))}"{_attrs(o["attrs"])}>{escape(str(o["label"]))}</option>'
                for o in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value above is escaped


def _attrs(attrs: dict) -> str:
    """As django.forms.utils.flatatt: True is a bare attribute, False and None are left out."""
    out = []
    for key, value in attrs.items():
        if value is True:
            out.append(f" {escape(key)}")
        elif value is not False and value is not None:
            out.append(f' {escape(key)}="{escape(str(value))}"')
    return "".join(out)
