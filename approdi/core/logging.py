"""The server console keeps tracebacks for errors, not for refusals.

Django logs every 403 and 404 with the exception that caused it, so each expected refusal (a record the user
may not see, a permission she lacks) printed a whole traceback and buried the real errors. A refusal is one line;
a 500 keeps its traceback.
"""

import logging


class OneLineRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
