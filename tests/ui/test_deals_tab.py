"""The Deals tab driven as a user drives it: the charts follow an edit, a deal
opens as a scenario beside the others, and deals are imported from a CSV file
into the user's deals file (under the test's own data folder)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import settle

TERM_HOURS = 26_304          # 1 Jun 2026 to 1 Jun 2029: 1,096 days x 24
GPUS = 220_000


@pytest.fixture
def tab(window, qtbot):
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.tab("deals")))
    page = window.tab("deals")
    qtbot.waitExposed(page)
    return page


def chart(tab, title_start: str):
    return next(c for c in tab.charts if c.title.text().startswith(title_start))


def test_the_scenario_bar_follows_an_edit(window, tab, qtbot):
    per_gpu_hour = chart(tab, "GPU cloud: $ per GPU-hour")
    # $45.0B over 220,000 GPUs x 26,304 hours
    assert per_gpu_hour.scenario_bar() == pytest.approx(45e9 / (GPUS * TERM_HOURS))
    assert "2.0x the highest public GPU cloud price per GPU-hour" in tab.finding.text()
    window.binding.set_values("contract", monthly_fee=0.5e9)
    settle(qtbot, window)
    # 36 x $0.5B = $18.0B over the same hours: $3.11, inside the public range (2.72 to 3.97)
    assert per_gpu_hour.scenario_bar() == pytest.approx(18e9 / (GPUS * TERM_HOURS))
    assert "price per GPU-hour" not in tab.finding.text()
    # $20M per MW-year is still 1.5x Oracle's ~$13.3M
    assert "1.5x the highest public GPU cloud price per MW-year" in tab.finding.text()
    per_mw_year = chart(tab, "GPU cloud: $ per MW-year")
    assert per_mw_year.scenario_bar() == pytest.approx(0.5e9 * 12 / 300)       # $20M


def test_table_has_every_deal_with_labels_in_tooltips(tab):
    assert tab.table.rowCount() == 14
    columns = [tab.table.horizontalHeaderItem(c).text() for c in range(tab.table.columnCount())]
    mw = tab.table.item(0, columns.index("MW"))
    assert mw.text() == "\u2265300 [R]"
    assert "[R] 2026-05" in mw.toolTip() and "MARKET.md" in mw.toolTip()
    price = tab.table.item(1, columns.index("$/GPU-hour"))
    assert price.text() == "\u2264$3.97" and "at most" in price.toolTip()


def test_open_as_scenario_adds_the_deal_beside_the_others(window, tab, qtbot):
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert window.workspace.names == ["Colossus lease 2026"]      # nothing selected
    tab.table.selectRow(1)                                         # Microsoft <- Nebius
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert len(window.workspace.names) == 2 and window.workspace.active == 1
    assert "public deal, assumed" in window.workspace.names[1]
    settle(qtbot, window)
    assert window.binding.results.key_figures.total_contract_value == pytest.approx(17.4e9)
    assert "Assumed:" in tab.message.text()


def test_import_deals_from_csv_into_the_user_file(window, tab, tmp_path):
    good = tmp_path / "mine.csv"
    good.write_text("buyer,provider,type,announced,value,term_months,gpus,gpu_model,label,source\n"
                    "Acme,Neo,GPU cloud,2026-10,$2.4B,48,50000,B200,R,Press release\n")
    assert tab.import_file(str(good))
    assert tab.table.rowCount() == 15
    assert (tmp_path / "user_deals.json").exists()      # beside the window's autosave folder
    # 2.4e9 / (4 years x 8,760 x 50,000) = $1.37, now the lowest GPU-cloud bar
    assert min(v for _n, v, _m in chart(tab, "GPU cloud: $ per GPU-hour").rows) == \
        pytest.approx(2.4e9 / (4 * 8_760 * 50_000))
    bad = tmp_path / "bad.csv"
    bad.write_text("buyer,provider,type,announced,value,term_months,label,source\n"
                   "X,Y,GPU cloud,2026-10,lots,48,R,x\n")
    assert not tab.import_file(str(bad))
    assert "row 2, column 'value'" in tab.message.text()
    assert tab.table.rowCount() == 15


def test_text_from_a_deals_file_is_shown_as_plain_text(tab, tmp_path):
    hostile = "<img src='/dev/zero'><b>Acme</b>"
    table = tmp_path / "hostile.csv"
    table.write_text("buyer,provider,type,announced,value,term_months,gpus,label,source\n"
                     f"\"{hostile}\",Neo,GPU cloud,2026-10,1B,12,1000,R,\"<i>blog</i>\"\n")
    assert tab.import_file(str(table))
    row = tab.table.rowCount() - 1
    item = tab.table.item(row, 0)
    assert item.text() == f"{hostile} \u2190 Neo"
    # Tooltips render HTML: the file's text is escaped in them.
    assert "<img" not in item.toolTip() and "&lt;img" in item.toolTip()
    assert "<i>" not in tab.table.item(row, 2).toolTip()


def test_built_in_idle_time_it_lists_the_users_deals_before_its_first_show(window, qtbot,
                                                                           tmp_path):
    """Issue 22: a Deals tab built hidden in idle steps reads the user's deals
    file (the window's data folder) then, so that its first show neither reads
    the file nor fills the table again; shown, it has the deal and the latest
    figures."""
    from core.deals import deals_from_table, user_deals_path, write_user_deals
    from core.importing import read_file
    from ui import registry
    mine = tmp_path / "mine.csv"
    mine.write_text("buyer,provider,type,announced,value,term_months,gpus,gpu_model,label,source\n"
                    "Acme,Neo,GPU cloud,2026-10,$2.4B,48,50000,B200,R,Press release\n")
    deals, refused = deals_from_table(read_file(mine))
    assert not refused
    write_user_deals(deals, user_deals_path(tmp_path))     # beside the autosave folder
    window.build_hidden_tabs_when_idle()
    qtbot.waitUntil(lambda: len(window.tab_pages) == len(registry.TABS)
                    and not window.idle_work_pending, timeout=60_000)
    tab = window.tab("deals")
    assert not tab.isVisible()
    # 14 public deals and the user's, listed while hidden (before: 14 until shown).
    assert tab.table.rowCount() == 15
    first_cell = tab.table.item(0, 0)
    window.binding.set_values("contract", monthly_fee=0.5e9)     # an edit while hidden
    settle(qtbot, window)
    window.show_tab("deals")
    qtbot.waitExposed(tab)
    assert tab.table.rowCount() == 15
    assert tab.table.item(0, 0) is first_cell        # the table was not filled again
    # The figures in force: 36 x $0.5B = $18.0B over 220,000 GPUs x 26,304 hours.
    assert chart(tab, "GPU cloud: $ per GPU-hour").scenario_bar() == \
        pytest.approx(18e9 / (GPUS * TERM_HOURS))
    # 2.4e9 / (4 years x 8,760 x 50,000) = $1.37, the lowest GPU-cloud bar: the user's deal
    assert min(v for _n, v, _m in chart(tab, "GPU cloud: $ per GPU-hour").rows) == \
        pytest.approx(2.4e9 / (4 * 8_760 * 50_000))
