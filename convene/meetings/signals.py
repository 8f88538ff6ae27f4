"""What other apps may hear from meetings, without meetings importing them."""

from django.dispatch import Signal

# Sent by set_meeting_status inside its transaction, after the change is saved, with
# meeting, old_status, new_status and actor: what a receiver writes commits with it.
meeting_status_changed = Signal()

# Sent by the load_demo_data command once the demo meetings exist, with dialogue, actor
# (the demo Secretariat officer) and report (writes one line of the command's output):
# the apps above meetings load their own demo records on it.
demo_meetings_loaded = Signal()
