"""The one list of periodic jobs. Each app's tasks.py holds the task; the schedule lives here.

Later issues add deadline sweeps, reminders and reports. Importing this module registers them with
Huey (`manage.py run_huey` runs the worker and the scheduler).
"""
