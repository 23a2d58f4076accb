"""When a membership ends (transfer out, withdrawal, striking off), the member's card stops working
at once, in the same transaction as the change. The daily task catches rows changed without signals
(bulk imports)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from members.models import Member

from .services.cards import cancel_for_ended_memberships


@receiver(post_save, sender=Member, dispatch_uid="perks.cancel_card_when_membership_ends")
def cancel_card_when_membership_ends(sender, instance: Member, created: bool, update_fields=None, **kwargs):
    if kwargs.get("raw") or instance.is_active_member:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    cancel_for_ended_memberships(member=instance)
