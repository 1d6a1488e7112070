"""A paginator that never counts more than it can show: on a million cases COUNT(*) costs more than the page.

It counts at most CAP + 1 rows (SELECT COUNT(*) FROM (... LIMIT CAP + 1)); past the cap the page says
"meer dan 1000" and the pages stop at the cap: narrow the search to see the rest."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 1000


class CappedPaginator(Paginator):
    cap = CAP

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count reads 'meer dan CAP'."""
        return self._counted > self.cap
