"""Balance models that tie facilities to outcomes: water supply/demand and heat-network wear.

Plain Python and numpy, no Django: the web side stores the inputs as editable rows, rebuilds these
dataclasses and calls the functions. See docs/models.md.
"""

from .assumptions import (
    effective_date,
    figure,
    heat_inputs_from_dict,
    load_heat_demo,
    load_water_demo,
    read_demo,
    reported,
    water_inputs_from_dict,
)
from .heat import HeatInputs, HeatResult, Network, heat_network, network_wear
from .provenance import Assumption
from .service import ServiceDate, in_service
from .water import (
    Assumptions,
    PopulationPoint,
    Source,
    Stage,
    WaterBalance,
    WaterInputs,
    Zone,
    population_on,
    water_balance,
    what_if,
)

__all__ = [
    "Assumption",
    "Assumptions",
    "HeatInputs",
    "HeatResult",
    "Network",
    "PopulationPoint",
    "ServiceDate",
    "Source",
    "Stage",
    "WaterBalance",
    "WaterInputs",
    "Zone",
    "effective_date",
    "figure",
    "heat_inputs_from_dict",
    "heat_network",
    "in_service",
    "load_heat_demo",
    "load_water_demo",
    "network_wear",
    "population_on",
    "read_demo",
    "reported",
    "water_balance",
    "water_inputs_from_dict",
    "what_if",
]
