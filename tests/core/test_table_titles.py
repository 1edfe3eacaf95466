"""Record tables are titled as people write them: "GPU models", not "Gpu models"."""
from core.export.assumptions import record_tables
from core.presets import default_scenario


def test_gpu_models_table_title():
    titles = {t.name: t.title for t in record_tables(default_scenario())}
    assert titles["gpu_models"] == "GPU models"
    assert titles["tranches"] == "Tranches"
