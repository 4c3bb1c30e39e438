from tests.demo.conftest import seeded  # noqa: F401  (one seed competition per module)
from tests.journeys.flows import journey  # noqa: F401  (the seed journeys' fixture)
