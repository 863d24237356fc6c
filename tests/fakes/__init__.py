"""Test doubles for the platforms thinktwice talks to."""
