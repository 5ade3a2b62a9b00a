from django.urls import path

from leads import views

app_name = "leads"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("leads/<int:pk>/", views.lead_detail, name="detail"),
    path("leads/<int:pk>/recheck/", views.recheck, name="recheck"),
]
