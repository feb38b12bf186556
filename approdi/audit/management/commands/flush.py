from django.core.management.commands import flush

from approdi.audit.apps import emptying_the_database


class Command(flush.Command):
    """Django's flush, which empties the audit log with every other table (the test suite uses it).

    On PostgreSQL it truncates, which the append-only trigger does not see and needs the table owner; on
    SQLite it deletes every row, which the trigger lets through only here.
    """

    def handle(self, *args, **options):
        with emptying_the_database():
            return super().handle(*args, **options)
