
# Before anything imports pyqtgraph: it then copies Qt's names lazily (a faster start).
from ui.fast_pyqtgraph_import import install as _install_fast_pyqtgraph_import  # noqa: E402

_install_fast_pyqtgraph_import()
