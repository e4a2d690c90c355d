"""Imports that run in the worker: a large upload becomes an `ImportJob`, read and imported by Huey.

Each app that has an import page registers its kind (`registry.register_import_kind`, from its
AppConfig.ready): the spec of its sheet, the import service, the permission it needs and the message
of its success. The app's page (`views.BackgroundImportPage`) imports a small file in the request as
before, and hands a larger one (over `JIAYUAN_IMPORT_BACKGROUND_BYTES`) to the worker: the file is
stored, a job queued, and the user follows it on the job's page (docs/imports.md).
"""
