"""Federation staff duties as Django groups. A staff user's duties decide what they may change;
being staff (``is_staff``) decides what they may see."""

from django.contrib.auth.models import Group, Permission

ORGANISATION = "organisation"
FINANCE = "finance"
CASEWORK = "casework"
AID = "aid"

# app_label.codename for each duty.
DUTY_PERMISSIONS = {
    ORGANISATION: [
        "members.add_member", "members.change_member", "members.view_member", "members.reveal_id_number",
        "members.add_enterprise", "members.change_enterprise", "members.view_enterprise",
        "members.add_grassrootsunion", "members.change_grassrootsunion", "members.view_grassrootsunion",
        "unionhub.add_calendarday", "unionhub.change_calendarday", "unionhub.delete_calendarday",
        "unionhub.view_calendarday",
        # honours, workers' homes, grid areas and the rules library
        "honours.add_awardtype", "honours.change_awardtype", "honours.view_awardtype",
        "honours.add_awardround", "honours.change_awardround", "honours.view_awardround",
        "honours.change_honournomination", "honours.view_honournomination", "honours.add_honour",
        "honours.change_honour", "honours.view_honour",
        "homes.change_workershome", "homes.view_workershome", "homes.add_homeinspection",
        "homes.view_homeinspection", "homes.add_checklistitem", "homes.change_checklistitem",
        "homes.view_checklistitem",
        "members.add_area", "members.change_area", "members.view_area",
        "unionhub.add_rule", "unionhub.change_rule", "unionhub.add_ruleversion", "unionhub.view_ruleversion",
    ],
    FINANCE: ["members.view_member", "members.view_enterprise", "members.view_grassrootsunion",
              "members.add_remittance", "members.view_remittance", "members.view_duesperiod",
              "members.add_duesrate", "members.change_duesrate", "members.view_duesrate",
              "aid.view_fundentry"],
    # Casework staff see every case and the complainants' identities.
    CASEWORK: ["members.view_member", "members.view_enterprise", "members.view_grassrootsunion",
               "grievances.view_case", "grievances.add_case", "grievances.change_case", "grievances.view_identity",
               "grievances.handle_case", "grievances.view_caseevent", "grievances.add_caseevent"],
    # Hardship files are sensitive: only staff with this duty (and the submitting chair) see them.
    AID: ["members.view_member", "members.view_enterprise", "members.view_grassrootsunion",
          "aid.view_hardshipfile", "aid.add_hardshipfile", "aid.change_hardshipfile", "aid.review_hardshipfile",
          "aid.view_application", "aid.change_application", "aid.decide_application",
          "aid.view_fundentry", "aid.add_fundentry", "aid.view_programme", "aid.add_programme",
          "aid.change_programme", "aid.view_mutualaidfund", "aid.add_mutualaidfund", "aid.change_mutualaidfund",
          "aid.view_ticketcampaign", "aid.add_ticketcampaign", "aid.change_ticketcampaign",
          "aid.view_ticketapplication", "aid.change_ticketapplication",
          # school places for members' children (a minor's data: this duty and the submitting chair only)
          "aid.view_schoolplacerequest", "aid.change_schoolplacerequest", "aid.add_enrolmentdeadline",
          "aid.change_enrolmentdeadline", "aid.view_enrolmentdeadline"],
}


def ensure_duty_groups(**kwargs) -> dict[str, Group]:
    """Create the duty groups and give them their permissions; safe to run any number of times."""
    groups = {}
    for name, perms in DUTY_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*wanted)
        groups[name] = group
    return groups
