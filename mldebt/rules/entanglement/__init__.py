"""MLD3xx: entanglement. Changing anything changes everything (Sculley et al.): what couples
code, data and models in ways the code does not show."""
