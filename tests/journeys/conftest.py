from tests.demo.conftest import seeded  # noqa: F401  (one seed competition per module)
