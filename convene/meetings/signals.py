"""What other apps may hear from meetings, without meetings importing them."""

from django.dispatch import Signal

# Sent by set_meeting_status inside its transaction, after the change is saved, with
# meeting, old_status, new_status and actor: what a receiver writes commits with it.
meeting_status_changed = Signal()
