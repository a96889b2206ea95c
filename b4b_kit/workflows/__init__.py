"""What users run: case studies, sweeps, reports, exercises, grading, serving, the machine check.

Each module is one workflow, called by the ``b4b`` command (:mod:`b4b_kit.cli`)
and usable from Python:

* ``cases`` — case-study parameters, checks, papermill runs, results records;
* ``sweep`` and ``forked_kernels`` — parallel, resumable parameter sweeps;
  ``dask_cluster`` — the same on Dask workers, with or without a shared file system;
* ``progress`` — progress bars and log lines for sweeps and other batch jobs;
* ``sensitivity`` and ``report`` — what moves what in a sweep, and the self-contained HTML
  report and comparison notebook that show it;
* ``exercises`` and ``grading`` — answer checks and feedback; releasing, keys and grading of exercise sets;
* ``sandbox`` and ``grade_runner`` — a sandbox with limits for each graded submission, and what runs in it;
* ``serve`` and ``doctor`` — the dashboards under Voila, and a check of the machine.
"""
