from django.contrib.auth.forms import PasswordResetForm

from .tasks import send_password_reset_email_task


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose email leaves through a task, in the account's language.

    The request only queues the task (see convene/core/password_reset.py), so the answer
    takes the same time whether the address has an account or not.
    """

    def save(self, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset_email_task.enqueue(user.pk)
