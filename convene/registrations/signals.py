"""What the apps above registrations may add to it, without registrations importing them."""

from django.dispatch import Signal

# Sent by delivery.render_notification with registration and event (an Event) while an
# email is rendered: each receiver returns a list of attachments, (filename, content,
# mimetype) tuples, that the email carries. The confirmation PDF of an approval comes
# this way from convene.onsite.
email_attachments_requested = Signal()
