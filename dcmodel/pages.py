"""The pages' URLs: models (workbooks), sheets and cells, mismatch review, live jobs."""

from django.urls import path

from imports import views as imports
from jobs import views as jobs
from validation import views as validation

app_name = "pages"

urlpatterns = [
    path("models/", imports.workbook_index, name="workbook_list"),
    path("models/upload/", imports.upload, name="upload"),
    path("models/<int:pk>/", imports.workbook_detail, name="workbook_detail"),
    path("models/<int:pk>/delete/", imports.workbook_remove, name="workbook_delete"),
    path("models/<int:pk>/validate/", validation.workbook_validate, name="workbook_validate"),
    path("models/<int:pk>/sheets/<int:index>/", imports.sheet_grid, name="sheet_grid"),
    path("models/<int:pk>/sheets/<int:index>/cells", imports.sheet_cells, name="sheet_cells"),
    path(
        "models/<int:pk>/sheets/<int:index>/cells/<str:address>/",
        imports.cell_detail,
        name="cell_detail",
    ),
    path("models/<int:pk>/mismatches/", validation.mismatch_index, name="mismatch_list"),
    path(
        "models/<int:pk>/mismatches/<int:mismatch_id>/review/",
        validation.mismatch_review,
        name="mismatch_review",
    ),
    path("jobs/<uuid:job_id>/", jobs.job_detail, name="job_detail"),
    path("jobs/<uuid:job_id>/events", jobs.job_events, name="job_events"),
    path("jobs/<uuid:job_id>/cancel/", jobs.job_stop, name="job_cancel"),
]
