from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email written in the account holder's language.

    The link in the email then opens the reset page in that language too.
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        with translation.override(context["user"].language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
