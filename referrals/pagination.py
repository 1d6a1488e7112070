"""A paginator that never counts more than it can show: on a million cases COUNT(*) costs more than the page.

It reads the order keys of at most CAP + 1 matches in one query without ORDER BY, so PostgreSQL finds them
by whatever index suits the filter (a name's trigrams intersected with a gemeente, say) instead of walking
the list's order until it has seen enough. Up to the cap the keys are sorted here, as the database would,
and a page is fetched by its primary keys. Past the cap the page says "meer dan 1000", its rows are read
in the list's order (dense matches: the walk stops soon) and the pages stop at the cap: narrow the search
to see the rest. Two queries per page either way."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

CAP = 1000


class CappedPaginator(Paginator):
    cap = CAP

    def __init__(self, object_list: QuerySet, per_page: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # The list's ORDER BY as (field, descending); "pk" last, so the order is total.
        self.order = [(f.lstrip("-"), f.startswith("-")) for f in object_list.query.order_by]
        if not any(name in ("pk", "id") for name, _ in self.order):
            self.order.append(("pk", False))

    @cached_property
    def _keys(self) -> list[tuple]:
        names = [name for name, _ in self.order]
        return list(self.object_list.order_by().values_list("pk", *names)[: self.cap + 1])

    @cached_property
    def _sorted_pks(self) -> list:
        """The primary keys of all matches in the list's order (only when there are at most `cap`)."""
        rows = self._keys
        # Stable sorts from the last key to the first; NULL sorts as PostgreSQL's default does: after
        # every value ascending, before every value descending.
        for position, (_, descending) in reversed(list(enumerate(self.order, start=1))):
            rows = sorted(
                rows, key=lambda r, i=position: (r[i] is None, r[i] if r[i] is not None else 0), reverse=descending
            )
        return [row[0] for row in rows]

    @cached_property
    def count(self) -> int:
        return min(len(self._keys), self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count reads 'meer dan CAP'."""
        return len(self._keys) > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if self.capped:
            rows = list(self.object_list[bottom:top])
        else:
            pks = self._sorted_pks[bottom:top]
            found = {obj.pk: obj for obj in self.object_list.filter(pk__in=pks)}
            rows = [found[pk] for pk in pks if pk in found]
        return self._get_page(rows, number, self)
