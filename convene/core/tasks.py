from django_tasks import task

from .password_reset import send_password_reset_email


@task()
def send_password_reset_email_task(user_id: int) -> bool:
    """Email a password reset link (see convene/core/password_reset.py)."""
    return send_password_reset_email(user_id)
