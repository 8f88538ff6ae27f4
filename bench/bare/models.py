from django.db import models


class BareMeeting(models.Model):
    capacity = models.PositiveIntegerField()

    def __str__(self):
        return f"meeting {self.pk}"


class BareRegistration(models.Model):
    meeting = models.ForeignKey(BareMeeting, on_delete=models.CASCADE)
    email = models.CharField(max_length=254)
    waitlisted = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.email
