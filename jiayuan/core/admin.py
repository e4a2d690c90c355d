"""Loaded by admin autodiscovery: guards the default admin site (see jiayuan/core/admin_site.py)."""

from django.contrib import admin

from jiayuan.core.admin_site import install

install(admin.site)
