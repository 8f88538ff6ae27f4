"""What other apps may hear from meetings, without meetings importing them."""

from django.dispatch import Signal

# Sent by set_meeting_status inside its transaction, after the change is saved, with
# meeting, old_status, new_status and actor: what a receiver writes commits with it.
meeting_status_changed = Signal()

# Sent by the capacity service with meeting, under the meeting's lock: each receiver
# returns the places its records hold against the meeting's limits, as a dict keyed by
# CAPACITY_FIELDS (for the delegation limits, the most that one delegation holds), so
# that no limit is set below them. Meetings cannot count registrations themselves: the
# registrations app sits above them.
places_held_requested = Signal()

# Sent by the capacity service with meeting (its new limits) and actor, under the
# meeting's lock, once a change of its limits is saved: a raised limit frees places, and
# the app that keeps the waiting list gives them out in the same transaction, before any
# registration waiting for the lock can take them.
limits_changed = Signal()

# Sent by the load_demo_data command once the demo meetings exist, with dialogue, actor
# (the demo Secretariat officer) and report (writes one line of the command's output):
# the apps above meetings load their own demo records on it.
demo_meetings_loaded = Signal()
