"""Where things are: the gazetteer of places (`places`), Polish voivodeships and country
outlines (`regions`), and the PNG map of the groups drawn from both (`maps`). All offline,
from data shipped in data/gazetteer and data/geo."""
