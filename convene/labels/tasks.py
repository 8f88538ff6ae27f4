from django_tasks import task

from .notifications import send_proposal_emails


@task()
def send_proposal_email_task(proposal_id: int, event: str, reason: str = "") -> int:
    return send_proposal_emails(proposal_id, event, reason)
