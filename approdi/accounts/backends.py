from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """Checks passwords only. Permissions come from ``rules`` and the membership, never from
    Django's permission tables, so they cost no query and cannot be granted behind the rules' back."""

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False
