"""Simulations of the economics behind the frameworks: outcome pricing and risk, sales motions,
compensation and level migrations. Pure numpy/pandas; no charts or widgets here."""
