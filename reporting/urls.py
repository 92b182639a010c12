from django.urls import path

from reporting import step_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("statistiques/", views.dashboard, name="dashboard"),
    path("nouveau/", views.report_create, name="create"),
    path("methodologie/", views.methodology, name="methodology"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/etat/", views.report_status, name="status"),
    path("<int:pk>/evaluation/<str:part>/", views.report_evaluation, name="evaluation"),
    path("<int:pk>/valider/", step_views.report_validate, name="validate"),
    path("<int:pk>/envoyer/", step_views.report_send, name="send"),
    path("<int:pk>/nouvelle-version/", views.report_regenerate, name="regenerate"),
    path("<int:pk>/pdf/", views.report_download, name="download"),
    path("<int:pk>/pdf/relancer/", views.report_pdf_retry, name="retry_pdf"),
    path("<int:pk>/export.<str:fmt>", views.report_export, name="export"),
]
