"""The one list of periodic jobs. Each app's tasks.py holds the task; the schedule lives here.

Importing this module registers them with Huey (`manage.py run_huey` runs the worker and the
scheduler; `jiayuan.core.apps.CoreConfig.ready` imports it).
"""

from huey import crontab
from huey.contrib.djhuey import periodic_task

from jiayuan.audit import tasks as audit_tasks
from jiayuan.cases import tasks as case_tasks
from jiayuan.imports import tasks as import_tasks

# Deadlines of cases: due-soon reminders and escalation of overdue cases (docs/cases.md).
sweep_case_deadlines = periodic_task(crontab(minute="*/15"), name="cases.sweep_deadlines")(
    case_tasks.sweep_deadlines
)

# The audit chain (docs/audit.md): a signed checkpoint of its head every hour, a full verification
# every night, its result shown to auditors on their home page.
checkpoint_audit_chain = periodic_task(crontab(minute="7"), name="audit.checkpoint")(audit_tasks.checkpoint)
verify_audit_chain = periodic_task(crontab(hour="2", minute="17"), name="audit.verify")(audit_tasks.verify)

# Stored files of import jobs the worker never finished (docs/imports.md): deleted after a day.
sweep_import_files = periodic_task(crontab(hour="3", minute="41"), name="imports.sweep_files")(
    import_tasks.sweep_files
)
