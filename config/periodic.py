"""The one list of periodic jobs. Each app's tasks.py holds the task; the schedule lives here.

Importing this module registers them with Huey (`manage.py run_huey` runs the worker and the
scheduler; `jiayuan.core.apps.CoreConfig.ready` imports it).
"""

from huey import crontab
from huey.contrib.djhuey import periodic_task

from jiayuan.cases import tasks as case_tasks

# Deadlines of cases: due-soon reminders and escalation of overdue cases (docs/cases.md).
sweep_case_deadlines = periodic_task(crontab(minute="*/15"), name="cases.sweep_deadlines")(
    case_tasks.sweep_deadlines
)
