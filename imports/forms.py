"""Forms of the pages: the upload (checked like the import's first two stages) and re-validation."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .services.intake import IntakeError
from .uploads import EXTENSIONS, check_upload, upload_on_disk


class TolerancesMixin(forms.Form):
    abs_tol = forms.FloatField(
        label="Absolute tolerance",
        required=False,
        min_value=0,
        help_text="Numbers within this distance match (default 1e-9).",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "1e-9"}),
    )
    rel_tol = forms.FloatField(
        label="Relative tolerance",
        required=False,
        min_value=0,
        help_text="…or within this share of the larger value (default 1e-9).",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "1e-9"}),
    )

    def clean_abs_tol(self):
        return _finite(self.cleaned_data["abs_tol"])

    def clean_rel_tol(self):
        return _finite(self.cleaned_data["rel_tol"])


def _finite(value: float | None) -> float | None:
    if value is not None and value == float("inf"):
        raise forms.ValidationError("Enter a finite number.")
    return value


class UploadForm(TolerancesMixin):
    file = forms.FileField(
        label="Workbook",
        help_text="An .xlsx or .xlsm file saved by Excel (or LibreOffice).",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        error_messages={
            "required": "Choose a workbook to upload.",
            "empty": "The file is empty (0 bytes).",
        },
    )
    name = forms.CharField(
        label="Name",
        max_length=255,
        required=False,
        help_text="Defaults to the file name.",
    )
    force = forms.BooleanField(
        label="Import again even if this file was imported before",
        required=False,
    )
    field_order = ["file", "name", "abs_tol", "rel_tol", "force"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.DCMODEL_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is too large ({filesizeformat(upload.size)}); "
                f"the limit is {filesizeformat(limit)}.",
                code="too_large",
            )
        # The content decides, then the name: a renamed .xls or a CSV gets its own message.
        try:
            with upload_on_disk(upload) as path:
                check_upload(path, upload.name)
        except IntakeError as error:
            raise forms.ValidationError(str(error), code=error.code) from error
        return upload


class ValidateForm(TolerancesMixin):
    """Re-validate a stored model, possibly with other tolerances."""
