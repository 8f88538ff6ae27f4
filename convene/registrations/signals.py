"""What the apps above registrations may add to it, without registrations importing them."""

from django.dispatch import Signal

# Sent by delivery.render_notification with registration and event (an Event) while an
# email is rendered: each receiver returns a list of attachments, (filename, content,
# mimetype) tuples, that the email carries. The confirmation PDF of an approval comes
# this way from convene.onsite.
email_attachments_requested = Signal()

# Sent by services.set_registration_status inside the transaction of each change, with
# registration, old_status, new_status and actor, after the audit entry: the apps above
# act in the same transaction (onsite withdraws the visa letter of a registration that
# is no longer approved), so the change and its consequences commit or fail together.
registration_status_changed = Signal()
