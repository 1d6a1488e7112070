"""Rows that are written once and never changed: the access log, the case timeline, messages sent.

Django's ORM offers three ways to rewrite history: `save()` on an existing row, `QuerySet.update()`
and `delete()`. An append-only model refuses all three with a Dutch message."""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(self.model.append_only_message)

    def delete(self):
        raise PermissionError(self.model.append_only_message)


class AppendOnlyModel(models.Model):
    append_only_message = "Deze gegevens kunnen niet worden gewijzigd of verwijderd."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(self.append_only_message)
