import convene.core.validators
import convene.practices.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """GoodPractice leaves the labels app for this one. Only the state moves: the table
    keeps its name (labels_goodpractice) and its rows; labels 0005 drops the model from
    the labels state."""

    initial = True

    dependencies = [
        ('dialogues', '0002_single_line_fields'),
        ('meetings', '0002_single_line_fields'),
        ('registrations', '0003_outbox_retries'),
        ('labels', '0004_outbox_retries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='GoodPractice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('status', models.CharField(choices=[('submitted', 'Awaiting moderation'), ('published', 'Published'), ('rejected', 'Not published')], default='submitted', max_length=12, verbose_name='status')),
                        ('title', models.CharField(max_length=250, validators=[convene.core.validators.validate_single_line], verbose_name='title')),
                        ('summary', models.TextField(max_length=5000, verbose_name='summary')),
                        ('language', models.CharField(choices=[('en', 'English'), ('fr', 'French')], default='en', max_length=2, verbose_name='language of the text')),
                        ('level_of_government', models.CharField(choices=[('national', 'National authority'), ('regional', 'Regional authority'), ('local', 'Local authority'), ('international_organisation', 'International organisation'), ('civil_society', 'Civil society'), ('academia', 'Academia and research'), ('other', 'Other')], max_length=32, verbose_name='level of government')),
                        ('contact_name', models.CharField(max_length=200, validators=[convene.core.validators.validate_single_line], verbose_name='contact name')),
                        ('contact_email', models.EmailField(max_length=254, verbose_name='contact email')),
                        ('attachment', models.FileField(blank=True, max_length=200, upload_to=convene.practices.models.practice_file_path, verbose_name='attachment')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                        ('search_text', models.TextField(default='', editable=False)),
                        ('domain', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='good_practices', to='dialogues.domain', verbose_name='domain')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='good_practices', to='meetings.meeting', verbose_name='meeting')),
                        ('objective', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='good_practices', to='dialogues.objective', verbose_name='objective')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='good_practices', to='dialogues.partner', verbose_name='partner')),
                        ('session', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='good_practices', to='meetings.session', verbose_name='session')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                        ('submitted_by_registration', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='good_practices', to='registrations.registration', verbose_name='submitted by the delegate')),
                    ],
                    options={
                        'verbose_name': 'good practice',
                        'verbose_name_plural': 'good practices',
                        'db_table': 'labels_goodpractice',
                        'ordering': ['-published_at', '-id'],
                        'indexes': [models.Index(fields=['status', 'published_at'], name='labels_good_status_5ca146_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
