"""Running profiles: select controls, run them on one target or a fleet, write the reports.

:mod:`.runner` runs one target; :mod:`.fleet` runs many at once;
:mod:`.report_output` hands the frozen results to the reporters.
"""
