"""Placeholder until this area is written in this session."""

urlpatterns = []
