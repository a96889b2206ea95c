"""The sample service catalogue and its synthetic revenue (the ``service_catalogue`` and ``service_revenue`` datasets).

Examples
--------
>>> len(make_service_catalogue())
21
"""

from __future__ import annotations

import numpy as np

from ..errors import B4BError
from .model import REVENUE_COLUMNS

# Northwind Instruments (the fictional instrument maker of lesson 1) and three
# offers named in seed 001. Attributes of the named offers are the kit's
# reading of one-line descriptions; the source does not say how they are
# priced, so paid_for is "unknown" there.
_CATALOGUE = (
    # service_id, supplier, name, description, legacy_line, need, acts_on, paid_for, activity
    ("NW-S01", "Northwind Instruments", "Standard support contract",
     "Help desk for faults and questions, with software patches, under a yearly contract per installed controller.",
     "support", "fix_faults", "asset", "asset_contract", "troubleshoot"),
    ("NW-S02", "Northwind Instruments", "Premium support with remote watch",
     "The support contract plus remote watching of controller alarms, sold as a per-controller uplift.",
     "support", "keep_running", "asset", "asset_contract", "monitor"),
    ("NW-S03", "Northwind Instruments", "Remote health monitoring",
     "Watches plant instruments from Northwind's centre so the customer can cut its own inspection rounds; "
     "a yearly fee per site.",
     "support", "lower_operating_cost", "operations", "availability", "monitor"),
    ("NW-E01", "Northwind Instruments", "Operator training courses",
     "Classroom and online courses on running Northwind controllers, priced per seat.",
     "education", "skilled_users", "asset", "time_and_materials", "train"),
    ("NW-E02", "Northwind Instruments", "Adoption coaching",
     "A two-day course sold as 'adoption' to new analytics users; priced per seat, it never looks at real usage.",
     "education", "more_adoption", "adoption", "time_and_materials", "train"),
    ("NW-P01", "Northwind Instruments", "Controller implementation",
     "Installs and configures controllers on a new production line, billed by the day.",
     "professional", "get_running", "asset", "time_and_materials", "implement"),
    ("NW-P02", "Northwind Instruments", "Plant systems integration",
     "Connects controllers to the customer's plant and business systems, billed by the day.",
     "professional", "get_running", "asset", "time_and_materials", "integrate"),
    ("NW-P03", "Northwind Instruments", "Line analytics success plan",
     "Reads usage data of the line analytics software, reports adoption by team and switches on the features "
     "each team is ready for; priced per active user.",
     "professional", "more_adoption", "adoption", "usage", "analyse_usage"),
    ("NW-P04", "Northwind Instruments", "Process risk audit",
     "Reviews how the customer runs its lines for risks and wasted effort, billed by the day.",
     "professional", "lower_operating_cost", "operations", "time_and_materials", "audit_risk"),
    ("NW-P05", "Northwind Instruments", "Carbon footprint report",
     "A yearly report on the emissions of the customer's lines, sold as a subscription.",
     "professional", "report_emissions", "compliance", "subscription", "report_emissions"),
    ("NW-F01", "Northwind Instruments", "On-site repair",
     "Engineers travel to fix failed instruments, billed per call-out and hour.",
     "field", "fix_faults", "asset", "time_and_materials", "repair_on_site"),
    ("NW-F02", "Northwind Instruments", "Preventive maintenance plan",
     "Scheduled site visits to service instruments under a yearly contract.",
     "field", "keep_running", "asset", "asset_contract", "maintain_on_site"),
    ("NW-F03", "Northwind Instruments", "Capacity planning service",
     "Field engineers size instruments and spares to demand so the customer runs with less slack; "
     "a yearly fee per site.",
     "field", "lower_operating_cost", "operations", "availability", "plan_capacity"),
    ("NW-F04", "Northwind Instruments", "Uptime bundle",
     "Instruments plus maintenance visits at one yearly package price, marketed as 'uptime'; "
     "nothing is refunded when the line stops.",
     "field", "production_uptime", "asset", "asset_contract", "maintain_on_site"),
    ("NW-M01", "Northwind Instruments", "Managed control systems",
     "Northwind runs the customer's control systems to an availability target for a monthly fee.",
     "managed", "keep_running", "asset", "availability", "operate"),
    ("NW-M02", "Northwind Instruments", "Remote operations centre",
     "Administers the customer's instrument fleet remotely to cut what it costs to run; a monthly fee per site.",
     "managed", "lower_operating_cost", "operations", "availability", "administer"),
    ("NW-M03", "Northwind Instruments", "Guaranteed line uptime",
     "Northwind supplies, runs and maintains whatever the line needs and is paid per hour of production delivered.",
     "managed", "production_uptime", "outcome", "outcome", "guarantee_outcome"),
    ("NW-M04", "Northwind Instruments", "Managed analytics adoption",
     "Adoption reports and feature provisioning for the analytics suite, run by the managed services team; "
     "priced per active user.",
     "managed", "more_adoption", "adoption", "usage", "report_adoption"),
    ("ORCL-ACS", "Oracle", "Advanced Customer Services",
     "Named in seed 001: services that monitor customers' systems to reduce operational complexity.",
     "unknown", "lower_operating_cost", "operations", "unknown", "monitor"),
    ("SAAS-PREMIER", "A SaaS provider", "Premier Success services",
     "Named in seed 001: services that monitor usage and help customers speed up adoption.",
     "unknown", "more_adoption", "adoption", "unknown", "analyse_usage"),
    ("SIEMENS-LAB", "Siemens", "Laboratory workflow optimisation",
     "Named in seed 001: workflow optimisation services for laboratories that use Siemens equipment.",
     "unknown", "efficient_lab_workflow", "operations", "unknown", "optimise_workflow"),
)
CATALOGUE_COLUMNS = ("service_id", "supplier", "name", "description", "legacy_line", "need", "acts_on", "paid_for",
                     "activity")

# Revenue paths of Northwind's services: launch year, revenue in its first
# year ($M) and yearly trend. Traditional lines stall or shrink; optimize and
# outcome services start small and grow fast: the left-to-right shift.
_REVENUE_PATHS = {
    "NW-S01": (2014, 9.0, -0.01), "NW-S02": (2014, 3.0, 0.02), "NW-S03": (2017, 0.8, 0.25),
    "NW-E01": (2014, 3.0, -0.04), "NW-E02": (2018, 0.5, 0.05),
    "NW-P01": (2014, 6.0, 0.0), "NW-P02": (2014, 4.0, 0.02), "NW-P03": (2019, 0.6, 0.35),
    "NW-P04": (2014, 0.6, 0.12), "NW-P05": (2021, 0.3, 0.10),
    "NW-F01": (2014, 7.0, -0.05), "NW-F02": (2014, 5.0, -0.02), "NW-F03": (2018, 0.6, 0.20),
    "NW-F04": (2016, 1.5, 0.05),
    "NW-M01": (2014, 3.0, 0.04), "NW-M02": (2015, 1.0, 0.18), "NW-M03": (2020, 1.0, 0.40),
    "NW-M04": (2020, 0.4, 0.30),
}


def make_service_catalogue():
    """The sample catalogue: 18 offers of Northwind Instruments and 3 offers named in seed 001 (hand-written).

    Examples
    --------
    >>> t = make_service_catalogue()
    >>> len(t), t.loc[t["service_id"] == "ORCL-ACS", "acts_on"].item()
    (21, 'operations')
    """
    import pandas as pd

    return pd.DataFrame(list(_CATALOGUE), columns=list(CATALOGUE_COLUMNS))


def make_service_revenue(seed: int = 1, first_year: int = 2014, last_year: int = 2023, noise: float = 0.06):
    """Synthetic yearly revenue of Northwind's services, one row per service and year since its launch.

    Each service follows its trend from :data:`_REVENUE_PATHS` times a seeded
    log-normal noise of ``noise`` (standard deviation of the log). Revenue is in
    million USD, rounded to 0.01.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same table.
    first_year, last_year : int
        The years covered (inclusive).
    noise : float
        Year-to-year noise; 0 gives the pure trends.

    Examples
    --------
    >>> r = make_service_revenue(noise=0)
    >>> r.loc[(r["service_id"] == "NW-P01"), "revenue_musd"].unique().tolist()
    [6.0]
    """
    import pandas as pd

    if first_year > last_year:
        raise B4BError(f"first_year ({first_year}) is after last_year ({last_year})", where="first_year",
                       fix="Swap them.")
    if noise < 0:
        raise B4BError(f"noise must be zero or more, got {noise}", where="noise", fix="Pass e.g. noise=0.06.")
    rng = np.random.default_rng(seed)
    rows = []
    for year in range(first_year, last_year + 1):
        shocks = rng.normal(0.0, noise, len(_REVENUE_PATHS)) if noise else np.zeros(len(_REVENUE_PATHS))
        for (service_id, (launch, start, trend)), shock in zip(_REVENUE_PATHS.items(), shocks):
            if year < launch:
                continue
            value = start * (1 + trend) ** (year - launch) * np.exp(shock)
            rows.append({"service_id": service_id, "year": year, "revenue_musd": float(round(value, 2))})
    return pd.DataFrame(rows, columns=list(REVENUE_COLUMNS))
