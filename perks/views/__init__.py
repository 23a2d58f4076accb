"""Discount-card pages, one module per area; each module's ``urlpatterns`` is mounted by ``perks.urls``."""
