"""The DPO's page on the audit log: searching it by scope and reading it in words.

It reads the log the audit app writes, but by role and organisation scope, so it sits in accounts,
above audit (which every app below accounts writes to). Its URLs keep the ``audit`` namespace.
"""
