from django.urls import path

from .views import break_glass, case, continuation, delivery, document, flags, integration, legal, onward, plan, team

app_name = "cases"

urlpatterns = [
    path("", case.case_list, name="case_list"),
    path("my-work/", case.my_work, name="my_work"),
    path("transfers/<int:pk>/", team.transfer_inbox, name="transfer"),
    # Break-glass: a case opened off its team in an emergency, and the DPO's review of every such access
    path("emergency/", break_glass.emergency_open, name="emergency_open"),
    path("emergency/accesses/", break_glass.break_glass_review, name="break_glass_review"),
    # Continuation in the next edition: the coordinator's list of the cases open in the editions before
    path("continue/", continuation.continue_list, name="continue_list"),
    path("continue/<int:pk>/", continuation.continue_case, name="continue_case"),
    path("<int:pk>/", case.case_detail, name="case_detail"),
    path("<int:pk>/assign/", case.assign, name="case_assign"),
    path("<int:pk>/team/", team.team_add, name="team_add"),
    path("<int:pk>/team/<int:seat>/remove/", team.team_remove, name="team_remove"),
    path("<int:pk>/transfer/", team.transfer_request, name="transfer_request"),
    path("<int:pk>/transfers/<int:transfer>/revoke/", team.transfer_revoke, name="transfer_revoke"),
    # A transfer to another project of the national network: sent, answered, her arrival, the follow-up
    path("<int:pk>/onward/", onward.onward_send, name="onward_send"),
    path("<int:pk>/onward/<int:transfer>/answer/", onward.onward_answer, name="onward_answer"),
    path("<int:pk>/onward/<int:transfer>/arrived/", onward.onward_arrived, name="onward_arrived"),
    path("<int:pk>/onward/<int:transfer>/follow-up/", onward.onward_follow_up, name="onward_follow_up"),
    path("<int:pk>/return/", onward.return_request, name="return_request"),
    path("<int:pk>/return/<int:item>/answer/", onward.return_answer, name="return_answer"),
    path("<int:pk>/return/<int:item>/documents/", onward.return_documents, name="return_documents"),
    path("<int:pk>/return/<int:item>/departed/", onward.return_departed, name="return_departed"),
    path("<int:pk>/return/<int:item>/arrived/", onward.return_arrived, name="return_arrived"),
    path("<int:pk>/return/<int:item>/reintegration/", onward.return_reintegration, name="return_reintegration"),
    path("<int:pk>/return/<int:item>/withdraw/", onward.return_withdraw, name="return_withdraw"),
    path("<int:pk>/notes/", case.note_add, name="note_add"),
    path("<int:pk>/status/", case.status, name="case_status"),
    path("<int:pk>/close/", case.close, name="case_close"),
    # Documents (the person's record keeps its own on the Ufficio Filtro's page, intake:document_add)
    path("<int:pk>/documents/add/", document.document_add, name="document_add"),
    path("documents/<int:pk>/", document.document_download, name="document_download"),
    path("documents/<int:pk>/remove/", document.document_remove, name="document_remove"),
    path("documents/removed/", document.removed_documents, name="removed_documents"),
    path("documents/removed/<int:pk>/purge/", document.document_purge, name="document_purge"),
    # The individual plan and appointments
    path("<int:pk>/plan/goals/add/", plan.goal_add, name="goal_add"),
    path("<int:pk>/plan/goals/<int:goal>/actions/add/", plan.action_add, name="action_add"),
    path("<int:pk>/plan/actions/<int:action>/done/", plan.action_done, name="action_done"),
    path("<int:pk>/plan/review/", plan.plan_review, name="plan_review"),
    path("<int:pk>/plan/history/", plan.plan_history, name="plan_history"),
    path("<int:pk>/appointments/add/", plan.appointment_add, name="appointment_add"),
    # Services delivered
    path("<int:pk>/services/", delivery.service_list, name="service_list"),
    path("<int:pk>/services/add/", delivery.service_add, name="service_add"),
    # Integration
    path("<int:pk>/integration/add/", integration.activity_add, name="activity_add"),
    path("<int:pk>/integration/<int:activity>/", integration.activity_update, name="activity_update"),
    # Legal
    path("<int:pk>/legal/permits/", legal.permit_timeline, name="permit_timeline"),
    path("<int:pk>/legal/permits/apply/", legal.permit_apply, name="permit_apply"),
    path("<int:pk>/legal/permits/<int:permit>/issue/", legal.permit_issue, name="permit_issue"),
    path("<int:pk>/legal/permits/<int:permit>/refuse/", legal.permit_refuse, name="permit_refuse"),
    path("<int:pk>/legal/permits/<int:permit>/follow/", legal.permit_follow, name="permit_follow"),
    path("<int:pk>/legal/matters/open/", legal.matter_open, name="matter_open"),
    path("<int:pk>/legal/matters/<int:matter>/close/", legal.matter_close, name="matter_close"),
    path("<int:pk>/legal/matters/<int:matter>/hearings/add/", legal.hearing_add, name="hearing_add"),
    # A person's safety flags (the case page and the Ufficio Filtro's person page post here)
    path("people/<int:person>/flags/", flags.flag_raise, name="flag_raise"),
    path("people/<int:person>/flags/<int:flag>/lift/", flags.flag_lift_request, name="flag_lift_request"),
    path("people/<int:person>/flags/<int:flag>/approve/", flags.flag_lift_approve, name="flag_lift_approve"),
    # The programme's reference list of service types
    path("service-types/", delivery.service_types, name="service_types"),
    path("service-types/<int:pk>/", delivery.service_type_edit, name="service_type_edit"),
    path("service-types/<int:pk>/active/", delivery.service_type_active, name="service_type_active"),
]
