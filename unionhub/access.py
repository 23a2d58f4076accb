"""The one door to data: ``Model.objects.visible_to(user)``.

Federation staff see every row; anybody else sees the rows that ``owner_lookup`` ties to them
(``"chair"`` for a union, ``"union__chair"`` for its members, ``"cadre"`` for a secondment…);
anonymous users see nothing. Where ``staff_permission`` is set, only staff holding it see every row
(the duty that handles sensitive rows: hardship files, a minor's school-place request); other staff
are treated like anybody else. A view that fetches one object through it answers 404 outside the
user's scope."""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    owner_lookup: str = ""
    staff_permission: str = ""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_federation_staff and (not self.staff_permission or user.has_perm(self.staff_permission)):
            return self
        return self.filter(**{self.owner_lookup: user})
