"""Normalisation: dates, entities and quantities as typed, comparable values."""
