"""Registry pages: add and correct units, owners and ownerships of an estate.

Each page looks its object up among what the actor sees (out of scope is 404, like missing), shows a
form, and hands the cleaned data to the service in `estates.services`, which checks the permission
and the scope again and writes the audit event. A refusal shows on the form, never as a 500.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.core import permissions
from jiayuan.core.exceptions import DomainError, NotPermitted
from jiayuan.core.forms import add_domain_error
from jiayuan.core.views import ActorMixin, View
from jiayuan.estates import services
from jiayuan.estates.forms import (
    OwnershipEndForm,
    OwnershipRegisterForm,
    OwnershipUpdateForm,
    OwnerUpdateForm,
    UnitCreateForm,
    UnitUpdateForm,
)
from jiayuan.estates.models import Estate, Owner, Ownership, Unit
from jiayuan.estates.selectors import estate_list, owner_list, ownership_list, units_visible


class RegistryFormView(ActorMixin, View):
    """GET shows the form for the object of the URL, POST runs the service with the cleaned data.

    Subclasses say how to find the object (`lookup`), the form (`form_class`, `initial`), what to call
    (`save`) and where to go after (`done_url`). Writing the registry needs `estates.change`.
    """

    required_permission = permissions.ESTATES_CHANGE
    form_class: ClassVar[type[forms.Form]]
    title: ClassVar[Any]
    done_message: ClassVar[Any] = gettext_lazy("Saved.")
    button: ClassVar[Any] = gettext_lazy("Save")

    def lookup(self, pk: int) -> Model:
        raise NotImplementedError

    def estate_of(self, obj: Model) -> Estate:
        raise NotImplementedError

    def initial(self, obj: Model) -> dict[str, Any]:
        return {}

    def save(self, obj: Model, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def done_url(self, obj: Model) -> str:
        return reverse("estates:detail", args=[self.estate_of(obj).pk]) + "#units"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.lookup(pk)
        return self.render(self.form_class(initial=self.initial(obj)), obj)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.lookup(pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render(form, obj)
        try:
            self.save(obj, dict(form.cleaned_data))
        except NotPermitted as refused:
            raise PermissionDenied from refused
        except DomainError as refused:
            add_domain_error(form, refused)
            return self.render(form, obj)
        messages.success(request, str(self.done_message))
        return redirect(self.done_url(obj))

    def render(self, form: forms.Form, obj: Model) -> HttpResponse:
        context = {
            "form": form,
            "object": obj,
            "estate": self.estate_of(obj),
            "title": self.title,
            "button": self.button,
            "subject": self.subject(obj),
        }
        return render(self.request, "estates/registry_form.html", context)

    def subject(self, obj: Model) -> str:
        """What the page is about, under its title (masked where it names an owner)."""
        return ""


def unit_label(unit: Unit) -> str:
    return _("Building %(building)s, unit %(number)s") % {
        "building": unit.building.number,
        "number": unit.number,
    }


class UnitCreateView(RegistryFormView):
    form_class = UnitCreateForm
    title = gettext_lazy("Add a unit")
    done_message = gettext_lazy("Unit added.")

    def lookup(self, pk: int) -> Estate:
        return get_object_or_404(estate_list(actor=self.actor), pk=pk)

    def estate_of(self, obj: Any) -> Estate:
        return obj

    def save(self, obj: Any, data: dict[str, Any]) -> Unit:
        return services.unit_add(actor=self.actor, estate=obj, **data)


class UnitUpdateView(RegistryFormView):
    form_class = UnitUpdateForm
    title = gettext_lazy("Correct a unit")

    def lookup(self, pk: int) -> Unit:
        return get_object_or_404(units_visible(self.actor), pk=pk)

    def estate_of(self, obj: Any) -> Estate:
        return obj.estate

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"number": obj.number, "exclusive_area": obj.exclusive_area}

    def save(self, obj: Any, data: dict[str, Any]) -> Unit:
        return services.unit_update(actor=self.actor, unit=obj, **data)

    def subject(self, obj: Any) -> str:
        return unit_label(obj)


class OwnershipRegisterView(RegistryFormView):
    form_class = OwnershipRegisterForm
    title = gettext_lazy("Add an owner of the unit")
    done_message = gettext_lazy("Owner recorded.")

    def lookup(self, pk: int) -> Unit:
        return get_object_or_404(units_visible(self.actor), pk=pk)

    def estate_of(self, obj: Any) -> Estate:
        return obj.estate

    def save(self, obj: Any, data: dict[str, Any]) -> Ownership:
        return services.ownership_register(actor=self.actor, unit=obj, **data)

    def subject(self, obj: Any) -> str:
        return unit_label(obj)


class OwnershipView(RegistryFormView):
    def lookup(self, pk: int) -> Ownership:
        return get_object_or_404(ownership_list(actor=self.actor), pk=pk)

    def estate_of(self, obj: Any) -> Estate:
        return obj.unit.estate

    def subject(self, obj: Any) -> str:
        return f"{unit_label(obj.unit)} · {obj.owner}"  # str(owner) is masked


class OwnershipUpdateView(OwnershipView):
    form_class = OwnershipUpdateForm
    title = gettext_lazy("Correct an ownership")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"since": obj.since}

    def save(self, obj: Any, data: dict[str, Any]) -> Ownership:
        return services.ownership_update(actor=self.actor, ownership=obj, **data)


class OwnershipEndView(OwnershipView):
    form_class = OwnershipEndForm
    title = gettext_lazy("End an ownership")
    button = gettext_lazy("End the ownership")
    done_message = gettext_lazy("The ownership has ended.")

    def save(self, obj: Any, data: dict[str, Any]) -> None:
        services.ownership_end(actor=self.actor, ownership=obj, **data)


class OwnerUpdateView(RegistryFormView):
    """The owner's kind (person or organisation); names and numbers come with the ownership."""

    form_class = OwnerUpdateForm
    title = gettext_lazy("Correct an owner")

    def lookup(self, pk: int) -> Owner:
        owner: Owner = get_object_or_404(owner_list(actor=self.actor), pk=pk)
        first = ownership_list(actor=self.actor).filter(owner=owner).first()
        owner.first_unit = first.unit if first else None  # type: ignore[attr-defined]
        return owner

    def estate_of(self, obj: Any) -> Estate:
        unit = obj.first_unit
        if unit is None:  # no unit left in sight: no estate page to come from or go back to
            raise Http404
        return unit.estate

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"kind": obj.kind}

    def save(self, obj: Any, data: dict[str, Any]) -> Owner:
        return services.owner_update(actor=self.actor, owner=obj, **data)

    def subject(self, obj: Any) -> str:
        return str(obj)


__all__ = [
    "OwnerUpdateView",
    "OwnershipEndView",
    "OwnershipRegisterView",
    "OwnershipUpdateView",
    "UnitCreateView",
    "UnitUpdateView",
]
