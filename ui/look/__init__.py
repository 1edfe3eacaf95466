"""The base layer of ui/: the look and feel (themes, the plot colours and styles) that
every widget, plot, tab and export paints with; it imports nothing else of ui/."""
