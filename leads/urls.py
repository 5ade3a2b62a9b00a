from django.urls import path

from leads import views

app_name = "leads"
# In this namespace `pk` is always a Lead's pk: tests/integration/test_access.py walks every such route.
urlpatterns = [
    path("board/", views.board_page, name="board"),
    path("board/column/<slug:stage>/", views.board_column, name="board_column"),
    path("board/recheck/", views.bulk_recheck, name="bulk_recheck"),
    path("jobs/<int:job_id>/", views.job_progress, name="job_progress"),
    path("leads/new/", views.new_inquiry, name="new"),
    path("leads/<int:pk>/", views.lead_detail, name="detail"),
    path("leads/<int:pk>/card/", views.lead_card, name="card"),
    path("leads/<int:pk>/checks/", views.lead_checks, name="checks"),
    path("leads/<int:pk>/actions/", views.lead_actions, name="actions"),
    path("leads/<int:pk>/claim/", views.claim, name="claim"),
    path("leads/<int:pk>/assign/", views.assign, name="assign"),
    path("leads/<int:pk>/release/", views.release, name="release"),
    path("leads/<int:pk>/move/", views.move, name="move"),
    path("leads/<int:pk>/junk/", views.junk, name="junk"),
    path("leads/<int:pk>/snooze/", views.snooze, name="snooze"),
    path("leads/<int:pk>/recheck/", views.recheck, name="recheck"),
    path("leads/<int:pk>/messages/", views.log_message, name="log_message"),
    path("leads/<int:pk>/notes/", views.add_note, name="add_note"),
]
