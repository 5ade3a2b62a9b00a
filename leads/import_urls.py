from django.urls import path

from leads import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("<int:run_pk>/", import_views.detail, name="detail"),
    path("<int:run_pk>/mapping/", import_views.mapping, name="mapping"),
    path("<int:run_pk>/mapping/preview/", import_views.mapping_preview, name="preview"),
    path("<int:run_pk>/start/", import_views.start, name="start"),
    path("<int:run_pk>/progress/", import_views.progress, name="progress"),
    path("<int:run_pk>/rejected.csv", import_views.rejected_csv, name="rejected_csv"),
    path("attachments/<int:attachment_pk>/", import_views.attachment, name="attachment"),
]
