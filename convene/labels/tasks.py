from django_tasks import task

from .delivery import send_proposal_emails


@task()
def send_proposal_emails_task(email_ids: list[int]) -> int:
    return send_proposal_emails(email_ids)
