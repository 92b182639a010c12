"""URLs of the data lifecycle (namespace ``lifecycle``): imports, archive, register, rights."""

from django.urls import path

from cases.lifecycle.views import archive, imports, rights

app_name = "lifecycle"

urlpatterns = [
    path("import/", imports.import_start, name="import_start"),
    path(
        "import/modele/<str:template>.<str:fmt>",
        imports.import_template,
        name="import_template",
    ),
    path("import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("import/<int:pk>/confirmer/", imports.import_confirm, name="import_confirm"),
    path("import/<int:pk>/annuler/", imports.import_undo, name="import_undo"),
    path("archives/", archive.archive_list, name="archive_list"),
    path("archives/<int:pk>/", archive.archive_open, name="archive_open"),
    path("registre/", archive.register, name="register"),
    path("personnes/<int:pk>/droits/", rights.rights_home, name="rights"),
    path("personnes/<int:pk>/droits/export/", rights.rights_export, name="rights_export"),
    path("personnes/<int:pk>/droits/rectifier/", rights.rights_rectify, name="rights_rectify"),
    path("personnes/<int:pk>/droits/effacer/", rights.rights_erase, name="rights_erase"),
]
